"""Pure views of the deal card's features: deal lists, stage picker, history, wins."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import UTC, date, datetime, tzinfo

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import codec as cb
from bot.formatting import format_date, format_money
from bot.i18n import N_, Translator
from bot.labels import DEAL_TYPE_NAMES, RATING_NAMES, STAGE_NAMES, coded_name, label
from bot.views import DASH, PAGE_SIZE, days_to_close
from storage.cards import DealCard
from storage.deal_history import DealHistory
from storage.models import ActivityKind, Opportunity, Stage
from storage.stages import HistoryEntry
from storage.team_chat import WinNotice

MAX_TEXT = 4000  # Telegram allows 4096; the rest is margin for the header
OVERDUE = "⚠️"
CURRENT = "✓"

# Buttons offered when a deal is lost; the chosen one is stored in the user's language.
LOST_REASONS = {
    "price": N_("Price too high"),
    "competitor": N_("Chose a competitor"),
    "budget": N_("No budget"),
    "timing": N_("Not the right time"),
    "silent": N_("The customer stopped answering"),
}
ACTIVITY_CODES = {
    "call": ActivityKind.CALL,
    "meeting": ActivityKind.MEETING,
    "note": ActivityKind.NOTE,
}


def shorten(text: str, limit: int) -> str:
    """``text`` cut to ``limit`` characters, with an ellipsis when cut."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _button(text: str, data: cb.Button) -> InlineKeyboardButton:
    return InlineKeyboardButton(text, callback_data=data.pack())


def activity_name(t: Translator, kind: ActivityKind) -> str:
    names = {
        ActivityKind.CALL: t.p_("activity", "Call"),
        ActivityKind.MEETING: t.p_("activity", "Meeting"),
        ActivityKind.NOTE: t.p_("activity", "Note"),
    }
    return names[kind]


# --- lists of deals ---------------------------------------------------------------------


def deal_list_text(
    t: Translator,
    title: str,
    deals: Sequence[Opportunity],
    *,
    page: int,
    today: date,
    gregorian: bool = False,
) -> str:
    """A page of deals: name, amount, close date and days to close, overdue ones marked."""
    if not deals:
        return title + "\n\n" + t._("You have no open deals. Save one with /new.")
    lines = [f"<b>{title}</b>"]
    for number, deal in enumerate(deals, start=page * PAGE_SIZE + 1):
        mark = f"{OVERDUE} " if deal.close_date < today else ""
        lines.append(
            f"{number}. {mark}<b>{html.escape(shorten(deal.name, 80))}</b> · "
            f"{format_money(deal.amount, deal.currency, t.language)} · "
            f"{format_date(deal.close_date, t.language, gregorian=gregorian)} "
            f"({days_to_close(t, deal.close_date, today)})"
        )
    return "\n".join(lines)


def deal_list_keyboard(
    t: Translator,
    deals: Sequence[Opportunity],
    *,
    kind: str,
    action: str,
    page: int,
    has_next: bool,
    today: date,
    gregorian: bool = False,
) -> InlineKeyboardMarkup:
    """One button per deal (``dc:<action>:<id>``), then Previous / Next.

    Deals often share a name ("ERP – Minh Phát"): the amount and close date tell them apart.
    """
    rows = []
    for number, deal in enumerate(deals, start=page * PAGE_SIZE + 1):
        mark = f"{OVERDUE} " if deal.close_date < today else ""
        label = " · ".join(
            [
                f"{number}. {mark}{shorten(deal.name, 28)}",
                format_money(deal.amount, deal.currency, t.language),
                format_date(deal.close_date, t.language, gregorian=gregorian, fmt="short"),
            ]
        )
        rows.append([_button(label, cb.CardButton(action, deal.id))])
    paging = []
    if page > 0:
        paging.append(_button("« " + t._("Previous"), cb.DealListPage(kind, page - 1)))
    if has_next:
        paging.append(_button(t._("Next") + " »", cb.DealListPage(kind, page + 1)))
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(rows)


# --- moving a stage ---------------------------------------------------------------------


def stage_label(t: Translator, stage: Stage, probability: int | None = None) -> str:
    """The stage and a probability: the stage's own, or the deal's when it has another."""
    name = coded_name(t, STAGE_NAMES, stage.code, stage.name)
    shown = stage.probability if probability is None else probability
    return t._("{stage} ({probability}%)").format(stage=name, probability=shown)


def stage_picker(t: Translator, card: DealCard, stages: Sequence[Stage]) -> InlineKeyboardMarkup:
    """The team's stages as buttons carrying the version the user sees; the current marked."""
    buttons = [
        _button(
            (f"{CURRENT} " if stage.id == card.stage_id else "") + stage_label(t, stage),
            cb.StageChoice(card.id, card.version, stage.id),
        )
        for stage in stages
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button(t._("Back"), cb.CardButton("card", card.id))])
    return InlineKeyboardMarkup(rows)


def lost_reason_keyboard(t: Translator, nonce: str) -> InlineKeyboardMarkup:
    buttons = [
        _button(t._(text), cb.LostReason(nonce, code)) for code, text in LOST_REASONS.items()
    ]
    rows = [buttons[i : i + 2] for i in range(0, len(buttons), 2)]
    rows.append([_button(t._("Cancel"), cb.MoveCancel(nonce))])
    return InlineKeyboardMarkup(rows)


def activity_keyboard(t: Translator, deal_id: int) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                _button(activity_name(t, kind), cb.ActivityChoice(deal_id, code))
                for code, kind in ACTIVITY_CODES.items()
            ],
            [_button(t._("Back"), cb.CardButton("card", deal_id))],
        ]
    )


def cancel_keyboard(t: Translator, nonce: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t._("Cancel"), cb.MoveCancel(nonce))]])


def activity_question(t: Translator, kind: ActivityKind, deal_name: str) -> str:
    name = html.escape(shorten(deal_name, 80))
    questions = {
        ActivityKind.CALL: t._("What came out of the call about {name}?"),
        ActivityKind.MEETING: t._("What came out of the meeting about {name}?"),
        ActivityKind.NOTE: t._("What should the note on {name} say?"),
    }
    return questions[kind].format(name=name)


# --- wins -------------------------------------------------------------------------------


def owner_congratulation(t: Translator, notice: WinNotice, who: str) -> str:
    return t._("🎉 Congratulations! {who} marked your deal {name} ({amount}) as won.").format(
        who=html.escape(who),
        name=f"<b>{html.escape(notice.deal_name)}</b>",
        amount=format_money(notice.amount, notice.currency, t.language),
    )


def win_announcement(t: Translator, notice: WinNotice) -> str:
    return t._("🎉 {owner} won {name}: {amount}!").format(
        owner=html.escape(notice.owner_name),
        name=f"<b>{html.escape(notice.deal_name)}</b>",
        amount=format_money(notice.amount, notice.currency, t.language),
    )


# --- history ----------------------------------------------------------------------------


def _when(at: datetime, zone: tzinfo, lang: str, gregorian: bool) -> str:
    local = (at if at.tzinfo else at.replace(tzinfo=UTC)).astimezone(zone)
    return f"{format_date(local.date(), lang, gregorian=gregorian)} {local:%H:%M}"


def _field_name(t: Translator, field: str | None) -> str:
    names = {
        "name": t._("Name"),
        "amount": t._("Amount"),
        "currency": t._("Currency"),
        "close_date": t._("Expected close"),
        "probability": t._("Probability"),
        "owner_id": t._("Owner"),
        "rating": t._("Rating"),
        "deal_type": t._("Type"),
        "account_id": t._("Account"),
        "contact_id": t._("Contact"),
        "campaign_id": t._("Campaign"),
        "source_id": t._("Source"),
        "description": t._("Description"),
        "lost_reason": t._("Lost reason"),
        "lines": t._("Product lines"),
    }
    return names.get(field or "", field or "")


def _field_value(
    t: Translator, history: DealHistory, field: str | None, value: str | None, gregorian: bool
) -> str:
    """One audited value as the reader writes it (the audit keeps plain text)."""
    if value is None or value == "":
        return DASH
    try:
        if field == "amount":
            return format_money(int(value), history.currency, t.language)
        if field == "close_date":
            return format_date(date.fromisoformat(value), t.language, gregorian=gregorian)
        if field == "probability":
            return f"{int(value)}%"
        if field == "lines":
            count = int(value)
            return t.n_("{n} product line", "{n} product lines", count).format(n=count)
    except ValueError:
        pass
    if field == "rating":
        return label(t, RATING_NAMES, value) or DASH
    if field == "deal_type":
        return label(t, DEAL_TYPE_NAMES, value) or DASH
    if field is not None and (field, value) in history.names:
        return html.escape(shorten(history.names[(field, value)], 60))
    return html.escape(shorten(value, 60))


def _stage_name(t: Translator, history: DealHistory, name: str | None) -> str:
    if name is None:
        return DASH
    return html.escape(coded_name(t, STAGE_NAMES, history.stage_codes.get(name), name))


def history_line(
    t: Translator, history: DealHistory, entry: HistoryEntry, zone: tzinfo, gregorian: bool
) -> str:
    """One move or field change: when, who, what."""
    if entry.kind == "stage":
        new = _stage_name(t, history, entry.new)
        if entry.old is None:
            what = t._("created in {stage} ({probability}%)").format(
                stage=new, probability=entry.probability
            )
        else:
            what = t._("moved from {old} to {new} ({probability}%, {amount})").format(
                old=_stage_name(t, history, entry.old),
                new=new,
                probability=entry.probability,
                amount=format_money(
                    entry.amount or 0, entry.currency or history.currency, t.language
                ),
            )
    else:
        what = t._("{field}: {old} → {new}").format(
            field=_field_name(t, entry.field),
            old=_field_value(t, history, entry.field, entry.old, gregorian),
            new=_field_value(t, history, entry.field, entry.new, gregorian),
        )
    return t._("{when} · {who}: {what}").format(
        when=_when(entry.at, zone, t.language, gregorian),
        who=html.escape(shorten(entry.who, 60)),
        what=what,
    )


def _worth_showing(entries: Sequence[HistoryEntry]) -> list[HistoryEntry]:
    """Leave out the probability change a stage move made: the move line already says it."""
    shown: list[HistoryEntry] = []
    for entry in entries:
        previous = shown[-1] if shown else None
        follows_move = (
            previous is not None
            and previous.kind == "stage"
            and previous.who == entry.who
            and str(previous.probability) == entry.new
        )
        if not (entry.kind == "field" and entry.field == "probability" and follows_move):
            shown.append(entry)
    return shown


def history_text(
    t: Translator, history: DealHistory, *, zone: tzinfo, gregorian: bool = False
) -> str:
    """The deal's moves and changes, oldest first, then its latest activities.

    Fits one message: when it would not, the oldest changes are left out and counted.
    """
    header = t._("History of {name}").format(name=html.escape(shorten(history.name, 120)))
    blocks = [f"<b>{header}</b>"]
    activity_lines = [
        t._("{when} · {who}: {what}").format(
            when=_when(item.at, zone, t.language, gregorian),
            who=html.escape(shorten(item.who, 60)),
            what=f"{activity_name(t, item.kind)} — {html.escape(shorten(item.text, 150))}",
        )
        for item in reversed(history.activities)
    ]
    activities = ""
    if activity_lines:
        activities = "<b>" + t._("Latest activities") + "</b>\n" + "\n".join(activity_lines)
    budget = MAX_TEXT - len(blocks[0]) - len(activities) - 100
    entries = _worth_showing(history.entries)
    kept: list[str] = []
    for entry in reversed(entries):
        line = history_line(t, history, entry, zone, gregorian)
        if len(line) + 1 > budget:
            break
        kept.append(line)
        budget -= len(line) + 1
    left_out = len(entries) - len(kept)
    if left_out:
        blocks.append(
            t.n_(
                "{n} earlier change is not shown.", "{n} earlier changes are not shown.", left_out
            ).format(n=left_out)
        )
    blocks.append("\n".join(reversed(kept)))
    if activities:
        blocks.append(activities)
    return "\n\n".join(block for block in blocks if block)
