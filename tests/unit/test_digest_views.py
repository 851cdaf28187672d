"""Digest views are pure: split between deals, within Telegram's limits, in each language."""

from __future__ import annotations

import re
from datetime import date, time

import pytest

from bot.handlers.digests.views import DEALS_PER_MESSAGE, MAX_CHARS, digest_messages, month_end
from bot.handlers.members.settings import parse_days, parse_time
from bot.i18n import translator
from storage.digests import Digest, DigestDeal, RepStuck, TeamDigest
from storage.reports.totals import TotalsRow

TODAY = date(2026, 3, 4)


def _deal(number: int, *, name: str | None = None, stuck: int | None = None) -> DigestDeal:
    return DigestDeal(
        id=number,
        name=name or f"Deal {number} <Co & Sons>",
        amount=1_000_000 * number,
        currency="VND",
        close_date=date(2026, 2, 1) if number % 3 == 0 else date(2026, 3, 5 + number % 5),
        probability=50,
        stage_name="Proposal",
        stage_code="proposal",
        stuck_days=stuck,
    )


def _digest(deals: list[DigestDeal], team: TeamDigest | None = None) -> Digest:
    totals = [TotalsRow(1, "An", "VND", len(deals), 10**9, 5 * 10**8)] if deals else []
    return Digest(TODAY, 14, deals, totals, [], 0, team)


def _ids(texts: list[str]) -> list[int]:
    return [int(found) for text in texts for found in re.findall(r"· #(\d+)\n", text)]


@pytest.mark.parametrize("language", ["en", "vi", "th"])
def test_a_long_digest_splits_between_deals_within_4096_characters(language):
    deals = [_deal(number, name="ก" * 200 if number % 7 == 0 else None) for number in range(1, 301)]
    messages = digest_messages(translator(language), _digest(deals), gregorian=False)
    assert len(messages) > 1
    assert all(len(message.text) <= MAX_CHARS for message in messages)
    assert sorted(_ids([message.text for message in messages])) == list(range(1, 301))
    for message in messages:
        rows = message.keyboard.inline_keyboard if message.keyboard else ()
        assert len(rows) == len(_ids([message.text])) <= DEALS_PER_MESSAGE
        # Each part ends on a whole deal (or a section), never inside one.
        assert not message.text.rstrip().endswith(("·", "<b>"))


def test_overdue_deals_come_first_and_names_are_escaped():
    (message,) = digest_messages(translator("en"), _digest([_deal(1), _deal(3)]))
    assert message.text.index("Overdue") < message.text.index("#3") < message.text.index("#1")
    assert "&lt;Co &amp; Sons&gt;" in message.text and "<Co" not in message.text


def test_a_manager_digest_ends_with_the_team_by_rep():
    team = TeamDigest(
        week_start=date(2026, 3, 2),
        week_end=date(2026, 3, 8),
        month_start=date(2026, 3, 1),
        month_end=date(2026, 3, 31),
        week=[TotalsRow(2, "Binh <B>", "VND", 2, 10**8, 5 * 10**7)],
        month=[TotalsRow(2, "Binh <B>", "VND", 3, 2 * 10**8, 10**8)],
        stuck=[RepStuck(2, "Binh <B>", 4)],
    )
    (message,) = digest_messages(translator("en"), _digest([], team))
    assert "Nothing is due" in message.text
    assert "Binh &lt;B&gt;: 2 deals" in message.text
    assert "Binh &lt;B&gt;: 4 stuck deals" in message.text


def test_thai_digest_dates_use_buddhist_era_years():
    (message,) = digest_messages(translator("th"), _digest([_deal(1)]))
    assert "2569" in message.text


def test_settings_arguments_read_times_and_days():
    assert parse_time("7:30") == time(7, 30)
    assert parse_time("07h45") == time(7, 45)
    assert parse_time("9") == time(9, 0)
    assert parse_time("24:00") is None and parse_time("soon") is None
    assert parse_days("1-5") == (1, 2, 3, 4, 5)
    assert parse_days("1,3, 5-7") == (1, 3, 5, 6, 7)
    assert parse_days("weekdays") == (1, 2, 3, 4, 5)
    assert parse_days("none") == ()
    assert parse_days("0-8") is None and parse_days("mon") is None


def test_month_end_crosses_years():
    assert month_end(date(2026, 12, 15)) == date(2026, 12, 31)
    assert month_end(date(2026, 12, 15), 1) == date(2027, 1, 31)
    assert month_end(date(2028, 1, 31), 1) == date(2028, 2, 29)
