"""Deal card feature views are pure: lists, stage buttons and history, in any language."""

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.handlers.deals.views import (
    PAGE_SIZE,
    activity_keyboard,
    deal_list_keyboard,
    deal_list_text,
    history_text,
    lost_reason_keyboard,
    stage_picker,
)
from bot.i18n import translator
from storage.cards import DealCard
from storage.deal_history import DealHistory
from storage.models import Opportunity, Stage, StageKind
from storage.stages import HistoryEntry
from tests.cards import a_card

BIG = 2**63 - 1
ZONE = ZoneInfo("Asia/Ho_Chi_Minh")
AT = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)


def _data(markup) -> list[str]:
    return [button.callback_data for row in markup.inline_keyboard for button in row]


def _stages() -> list[Stage]:
    return [
        Stage(id=BIG - i, code=code, name=name, probability=p, kind=kind, position=i)
        for i, (code, name, p, kind) in enumerate(
            [
                ("prospecting", "Prospecting", 10, StageKind.OPEN),
                ("proposal", "Proposal", 50, StageKind.OPEN),
                ("won", "Closed won", 100, StageKind.WON),
                (None, "Chờ ký hợp đồng <gấp>", 90, StageKind.OPEN),
            ]
        )
    ]


def _card(**changes) -> DealCard:
    """A plain card with ids as large as Telegram's and PostgreSQL's allow."""
    values = dict(id=BIG, version=BIG, name="Acme", amount=1, expected_revenue=0, rating=None)
    values.update(account_name=None, stage_id=BIG - 1, team_id=1)
    return a_card(**(values | changes))


@pytest.mark.parametrize("language", ["vi", "th", "en"])
def test_the_stage_buttons_mark_the_current_stage_and_fit_64_bytes(language):
    t = translator(language)
    markup = stage_picker(t, _card(), _stages())
    labels = [button.text for row in markup.inline_keyboard for button in row]
    assert labels[1].startswith("✓ ")
    assert sum(label.startswith("✓") for label in labels) == 1
    assert "Chờ ký hợp đồng <gấp> (90%)" in labels  # a team's own stage, as typed, unescaped
    assert all(len(data.encode()) <= 64 for data in _data(markup))
    for markup in (lost_reason_keyboard(t, "ffffffff"), activity_keyboard(t, BIG)):
        assert all(len(data.encode()) <= 64 for data in _data(markup))


def _deal(number: int, close: date, name: str = "Deal") -> Opportunity:
    return Opportunity(
        id=BIG - number, name=f"{name} {number}", amount=0, currency="THB", close_date=close
    )


def test_a_deal_list_marks_overdue_deals_and_pages_both_ways():
    t = translator("en")
    deals = [_deal(1, date(2026, 11, 1)), _deal(2, date(2026, 12, 1), "ก" * 200)]
    text = deal_list_text(t, "Mine", deals, page=1, today=date(2026, 11, 23))
    assert f"{PAGE_SIZE + 1}. ⚠️ <b>Deal 1</b>" in text
    assert "overdue by 22 days" in text
    assert "⚠️" not in text.splitlines()[2]
    markup = deal_list_keyboard(
        t, deals, kind="m", action="open", page=1, has_next=True, today=date(2026, 11, 23)
    )
    labels = [button.text for row in markup.inline_keyboard for button in row]
    assert labels[-2:] == ["« Previous", "Next »"]
    assert len(labels[1]) < 64  # a 200-character name is shortened on its button
    assert all(len(data.encode()) <= 64 for data in _data(markup))


def _history(entries: list[HistoryEntry], **changes) -> DealHistory:
    values = dict(
        deal_id=1,
        name="Acme <ERP>",
        currency="VND",
        entries=entries,
        stage_codes={"Prospecting": "prospecting", "Closed won": "won"},
        names={("account_id", "7"): "Minh & Phát"},
        activities=[],
    )
    values.update(changes)
    return DealHistory(**values)


def test_history_localizes_stages_values_and_names_and_hides_the_moves_own_probability():
    entries = [
        HistoryEntry(AT, "An", "stage", None, None, "Prospecting", 0, "VND", 10),
        HistoryEntry(AT, "Mai", "field", "account_id", None, "7"),
        HistoryEntry(AT, "An", "stage", None, "Prospecting", "Closed won", 5_000, "VND", 100),
        HistoryEntry(AT, "An", "field", "probability", "10", "100"),
        HistoryEntry(AT, "An", "field", "close_date", "2026-12-31", "2027-01-15"),
    ]
    text = history_text(translator("th"), _history(entries), zone=ZONE)
    th = translator("th")
    assert "Acme &lt;ERP&gt;" in text
    assert th._("Closed won") in text and th._("Prospecting") in text
    assert "Minh &amp; Phát" in text
    assert "10% → 100%" not in text
    assert "2570" in text  # the Buddhist-era year of the new close date
    assert "23 พ.ย. 2569 09:00" in text  # local time in Ho Chi Minh City


def test_a_long_history_fits_one_message_and_says_what_it_left_out():
    entries = [HistoryEntry(AT, "An", "field", "name", "ก" * 200, "ข" * 200) for _ in range(100)]
    text = history_text(translator("en"), _history(entries), zone=ZONE)
    assert len(text) < 4096
    assert "earlier changes are not shown" in text
