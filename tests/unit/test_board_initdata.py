"""Telegram Mini App initData: the signature, the age, and what a forger may change."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qsl, urlencode

import pytest

from bot.board.initdata import InvalidInitData, sign, signature, verify
from bot.board.payload import initials

TOKEN = "123456:" + "T" * 35
NOW = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _signed(**overrides) -> str:
    return sign(TOKEN, user_id=101, first_name="An", language="vi", now=NOW, **overrides)


def test_data_signed_with_the_token_names_its_user():
    user = verify(_signed(), TOKEN, NOW + timedelta(hours=1))
    assert (user.id, user.first_name, user.language_code) == (101, "An", "vi")


def test_the_check_string_is_the_sorted_fields_without_the_hash():
    fields = dict(parse_qsl(_signed()))
    assert fields["hash"] == signature({k: v for k, v in fields.items() if k != "hash"}, TOKEN)
    reordered = urlencode(dict(reversed(list(fields.items()))))
    assert verify(reordered, TOKEN, NOW).id == 101


@pytest.mark.parametrize(
    "init_data",
    [
        "",
        "user=%7B%22id%22%3A1%7D&auth_date=1",
        _signed().replace("An", "Bo"),
        _signed().replace("hash=", "hash=0"),
        _signed() + "&auth_date=1",
        sign("999:" + "X" * 35, user_id=101, first_name="An", language="vi", now=NOW),
        "%%%",
    ],
    ids=["empty", "unsigned", "tampered", "bad-hash", "repeated", "other-token", "garbage"],
)
def test_anything_but_the_signed_data_is_refused(init_data):
    with pytest.raises(InvalidInitData):
        verify(init_data, TOKEN, NOW)


def test_data_older_than_a_day_is_refused():
    assert verify(_signed(), TOKEN, NOW + timedelta(hours=24)).id == 101
    with pytest.raises(InvalidInitData):
        verify(_signed(), TOKEN, NOW + timedelta(hours=24, seconds=1))


def test_no_token_accepts_nothing():
    with pytest.raises(InvalidInitData):
        verify(_signed(), "", NOW)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("Nguyễn Văn An", "NA"), ("Somchai", "SO"), ("สมชาย ใจดี", "สใ"), ("", "?")],
)
def test_an_owners_badge_shows_two_letters(name, expected):
    assert initials(name) == expected
