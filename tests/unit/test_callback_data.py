"""Button data: typed kinds that round-trip, fit Telegram's 64 bytes, and refuse forgeries."""

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.buttons import codec as cb

MAX_ROW = 2**31 - 1

# Each kind with every field at its longest (the biggest id, the longest token).
LONGEST = [
    cb.ChooseLanguage("th"),
    cb.GateChoice("d"),
    cb.DealListPage("abcdefgh", 9_999),
    cb.CardButton("abcdefgh", MAX_ROW, 2**63 - 1),
    cb.ActivityChoice(MAX_ROW, "abcdefgh"),
    cb.StageChoice(MAX_ROW, 2**63 - 1, MAX_ROW),
    cb.LostReason("f" * 16, "abcdefgh"),
    cb.MoveCancel("f" * 16),
    cb.PushButton("d", MAX_ROW),
    cb.PushDate(MAX_ROW, date(9999, 12, 31)),
    cb.PushReason(MAX_ROW, "abcdefgh"),
    cb.Setting("abcdefgh", "x" * 24),
    cb.LeadButton("abcdefgh", MAX_ROW),
    cb.LeadPage(9_999),
    cb.ContactTab("abcdefgh", MAX_ROW),
    cb.AccountCard(MAX_ROW),
    cb.SharedContactButton("f" * 16, "abcdefgh", MAX_ROW),
    cb.ReportButton("c", "abcdefgh", "x" * 24, "a"),
    cb.ImportChoice("f" * 16, "abcdefgh"),
    cb.PickDeal("f" * 16, MAX_ROW),
    cb.PickMore("f" * 16, 9_999),
    cb.QuickDay("f" * 16, date(9999, 12, 31)),
    cb.QuickAmount("f" * 16, "99"),
    cb.QuickCancel("f" * 16),
    cb.QuickMore("f" * 16, 9_999),
    cb.QuickLink("f" * 16, str(MAX_ROW)),
    cb.DealEdit(MAX_ROW),
    cb.DealUndo(MAX_ROW, "y"),
    cb.ReopenAnswer("f" * 16, "n"),
    cb.ConvertButton("f" * 16, "abcdefgh", "x" * 24),
    cb.LeadFormButton("f" * 16, "abcdefgh", MAX_ROW),
    cb.NewDealFromContact(MAX_ROW),
    cb.NewDealButton("f" * 16, 99, "abcdefgh", (str(MAX_ROW),)),
]


def test_every_kind_is_covered():
    assert {type(button) for button in LONGEST} == set(cb.KINDS)


@pytest.mark.parametrize("button", LONGEST, ids=lambda b: type(b).__name__)
def test_every_kind_round_trips_within_64_bytes(button):
    data = button.pack()
    assert len(data.encode()) <= cb.MAX_BYTES
    assert type(button).parse(data) == button


def test_optional_fields_left_out_round_trip():
    for button in (
        cb.CardButton("mv", 5),
        cb.DealUndo(9),
        cb.Setting("q"),
        cb.NewDealButton("ab", 3, "save"),
    ):
        assert not button.pack().endswith(":")
        assert type(button).parse(button.pack()) == button


def test_the_kinds_keep_the_data_buttons_already_carry():
    assert cb.DealUndo(12, "y").pack() == "deal:undo:12:y"
    assert cb.PushDate(7, date(2026, 12, 31)).pack() == "pu:c:7:20261231"
    assert cb.NewDealButton("ab12cd34", 4, "st", ("9",)).pack() == "nd:ab12cd34:4:st:9"
    assert cb.parse("qn:ab12cd34:x", *cb.KINDS) == cb.QuickCancel("ab12cd34")


def test_thai_text_is_not_carried_but_refused():
    # Buttons carry ids and codes only; a name or note goes in the draft, never the data.
    with pytest.raises(ValueError):
        cb.Setting("t", "ก").pack()
    assert cb.Setting.parse("st:t:ก") is None


@pytest.mark.parametrize(
    "data",
    [
        None,
        "",
        "deal:undo:abc",
        "deal:undo:0",
        f"deal:undo:{2**31}",
        f"deal:undo:{2**63}",
        "deal:undo:5:maybe",
        "deal:undo:5:y:extra",
        "pu:c:5:20261331",
        "pu:x:5",
        "rp:p:s:1:z",
        "lang:de",
        "sp:1:2",
        "dl:mine:-1",
        "qn:ab12:a:999",
        "nd:ab12:3:st:99999999999",
        "x" * 65,
    ],
)
def test_forged_or_out_of_range_data_is_refused(data):
    assert cb.parse(data, *cb.KINDS) is None


@pytest.mark.parametrize("part", ["a:b", "", "x" * 41, "ก"])
def test_parts_that_could_confuse_the_codec_are_refused(part):
    with pytest.raises(ValueError):
        cb.encode(cb.DEAL, part)


@given(st.lists(st.integers(min_value=0, max_value=2**63), min_size=0, max_size=6))
def test_every_encoded_value_fits_in_64_bytes_or_is_refused(ids):
    try:
        data = cb.encode(cb.DEAL, *ids)
    except ValueError:
        return
    assert len(data.encode()) <= 64


@given(st.text(max_size=80))
def test_no_data_at_all_breaks_the_codec(data):
    button = cb.parse(data, *cb.KINDS)
    assert button is None or button.pack() == data


@given(st.text(max_size=70))
def test_packing_refuses_exactly_what_the_encoder_refuses(value):
    # pack() checks the whole data in one match; encode() checks part by part. An
    # empty optional value is left out.
    try:
        expected = cb.encode(cb.SETTINGS, "t", *(value.split(":") if value else ()))
    except ValueError:
        expected = None
    try:
        packed = cb.Setting("t", value).pack()
    except ValueError:
        packed = None
    assert packed == expected
