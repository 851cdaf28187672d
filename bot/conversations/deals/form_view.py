"""The guided deal form's summary card and keyboards: pure functions, no I/O."""

from __future__ import annotations

import html
from datetime import date
from decimal import Decimal

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import codec as cb
from bot.conversations.deals.new_deal_steps import Step
from bot.formatting import format_date, format_money, format_number, format_percent
from bot.i18n import N_, Translator
from bot.labels import DEAL_TYPE_NAMES, RATING_NAMES, SOURCE_NAMES, STAGE_NAMES, coded_name, label
from bot.views import DASH, short_description
from storage.deal_form import DealPreview

LABEL_LIMIT = 40
# The questions "Edit a field" offers, with the name each button shows.
EDITABLE: tuple[tuple[Step, str], ...] = (
    (Step.NAME, N_("Name")),
    (Step.AMOUNT, N_("Amount")),
    (Step.CLOSE_DATE, N_("Expected close")),
    (Step.STAGE, N_("Stage")),
    (Step.ACCOUNT, N_("Account")),
    (Step.CONTACT, N_("Contact")),
    (Step.CAMPAIGN, N_("Campaign")),
    (Step.RATING, N_("Rating")),
    (Step.DEAL_TYPE, N_("Type")),
    (Step.SOURCE, N_("Source")),
    (Step.PROBABILITY, N_("Probability")),
    (Step.PRODUCTS, N_("Products")),
    (Step.DESCRIPTION, N_("Description")),
)


def short(text: str, limit: int = LABEL_LIMIT) -> str:
    """A button label cut to ``limit`` characters, so a long name keeps the keyboard usable."""
    text = text.replace("\n", " ")
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def form_data(nonce: str, step: Step, *parts: object) -> str:
    """Button data naming the draft (by nonce) and the question the button belongs to."""
    return cb.NewDealButton(nonce, int(step), str(parts[0]), tuple(map(str, parts[1:]))).pack()


def add_from_contact_data(contact_id: int) -> str:
    """The data of a contact card's "Add opportunity" button."""
    return cb.NewDealFromContact(contact_id).pack()


def button(text: str, nonce: str, step: Step, *parts: object) -> InlineKeyboardButton:
    return InlineKeyboardButton(short(text), callback_data=form_data(nonce, step, *parts))


def grid(buttons: list[InlineKeyboardButton], per_row: int) -> list[list[InlineKeyboardButton]]:
    return [buttons[i : i + per_row] for i in range(0, len(buttons), per_row)]


def controls(
    t: Translator,
    nonce: str,
    step: Step,
    *,
    optional: bool,
    first: bool = False,
    skip_label: str | None = None,
) -> list[list[InlineKeyboardButton]]:
    """Skip and I'm done (optional questions), then Back and Cancel."""
    rows = []
    if optional:
        rows.append(
            [
                button(skip_label or t._("Skip"), nonce, step, "skip"),
                button(t._("I'm done"), nonce, step, "done"),
            ]
        )
    navigation = [] if first else [button(t._("Back"), nonce, step, "back")]
    navigation.append(button(t._("Cancel"), nonce, step, "cancel"))
    rows.append(navigation)
    return rows


def summary_keyboard(t: Translator, nonce: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                button(t._("Save"), nonce, Step.SUMMARY, "save"),
                button(t._("Edit a field"), nonce, Step.SUMMARY, "edit"),
            ],
            [
                button(t._("Back"), nonce, Step.SUMMARY, "back"),
                button(t._("Cancel"), nonce, Step.SUMMARY, "cancel"),
            ],
        ]
    )


def fields_keyboard(t: Translator, nonce: str) -> InlineKeyboardMarkup:
    """One button per field of the summary; pressing one asks that question again."""
    buttons = [
        button(t._(name), nonce, Step.SUMMARY, "field", int(step)) for step, name in EDITABLE
    ]
    rows = grid(buttons, 3)
    rows.append([button(t._("Back to the summary"), nonce, Step.SUMMARY, "show")])
    return InlineKeyboardMarkup(rows)


def _row(name: str, value: str | None) -> str:
    return f"{name}: {html.escape(value) if value else DASH}"


def _new(t: Translator, name: str | None, is_new: bool) -> str | None:
    if name is None:
        return None
    return t._("{name} (new)").format(name=name) if is_new else name


def probability_text(t: Translator, probability: int, overridden: bool) -> str:
    percent = format_percent(Decimal(probability) / 100, t.language)
    return t._("{percent} (set by you)").format(percent=percent) if overridden else percent


def summary_text(t: Translator, preview: DealPreview, *, gregorian: bool = False) -> str:
    """The card shown before the deal is saved: every answer, escaped and formatted."""
    lang = t.language

    def money(minor_units: int) -> str:
        return format_money(minor_units, preview.currency, lang)

    stage = (
        coded_name(t, STAGE_NAMES, preview.stage_code, preview.stage_name)
        if preview.stage_name
        else None
    )
    close = (
        format_date(preview.close_date, lang, gregorian=gregorian)
        if isinstance(preview.close_date, date)
        else None
    )
    source = (
        coded_name(t, SOURCE_NAMES, preview.source_code, preview.source_name)
        if preview.source_name
        else None
    )
    rows = [
        "<b>" + t._("New deal") + "</b>",
        _row(t._("Name"), preview.name),
        _row(t._("Amount"), money(preview.amount)),
        _row(t._("Expected close"), close),
        _row(t._("Stage"), stage),
        _row(
            t._("Probability"),
            probability_text(t, preview.probability, preview.probability_overridden),
        ),
        _row(t._("Expected revenue"), money(preview.expected_revenue)),
        _row(t._("Account"), _new(t, preview.account_name, preview.account_is_new)),
        _row(t._("Contact"), _new(t, preview.contact_name, preview.contact_is_new)),
        _row(t._("Campaign"), _new(t, preview.campaign_name, preview.campaign_is_new)),
        _row(t._("Rating"), label(t, RATING_NAMES, preview.rating)),
        _row(t._("Type"), label(t, DEAL_TYPE_NAMES, preview.deal_type)),
        _row(t._("Source"), source),
    ]
    if preview.lines:
        rows.append(t._("Products:"))
        rows += [
            "• "
            + t._("{product} × {quantity} at {price}: {total}").format(
                product=html.escape(line.product_name),
                quantity=format_number(line.quantity, lang),
                price=money(line.unit_price),
                total=money(line.total),
            )
            for line in preview.lines
        ]
    else:
        rows.append(_row(t._("Products"), None))
    rows.append(_row(t._("Description"), short_description(preview.description)))
    return "\n".join(rows)
