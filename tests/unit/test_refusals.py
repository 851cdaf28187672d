"""A stranger hears the refusal once an hour, however often they write."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from bot.delivery.refusals import RefusalLimit
from storage import clock

NOON = datetime(2026, 3, 2, 12, 0, tzinfo=UTC)


def test_a_stranger_is_refused_once_an_hour_and_others_are_not_held_up():
    now = [NOON]
    clock.install(lambda: now[0])
    limit = RefusalLimit()
    assert [limit.allow(7) for _ in range(5)] == [True, False, False, False, False]
    assert limit.allow(8)
    now[0] = NOON + timedelta(minutes=59)
    assert not limit.allow(7)
    now[0] = NOON + timedelta(hours=1)
    assert limit.allow(7)
