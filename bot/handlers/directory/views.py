"""Pure views of contacts and accounts: the contact card's two tabs, the account card, choices."""

from __future__ import annotations

import html
from collections.abc import Sequence

from telegram import InlineKeyboardMarkup

from bot.buttons import codec as cb
from bot.formatting import format_date, format_money
from bot.handlers.deals.views import shorten
from bot.handlers.leads.views import button
from bot.i18n import Translator
from bot.labels import RESULT_NAMES, STAGE_NAMES, coded_name, label
from bot.views import DASH
from storage.directory_cards import AccountCard, ContactCard, DealLine
from storage.models import Account, Contact, Result

DETAILS = "d"
OPPORTUNITIES = "o"
CURRENT = "•"


def _row(name: str, value: str | None) -> str:
    return f"{name}: {html.escape(value) if value else DASH}"


def deal_line(t: Translator, deal: DealLine, *, gregorian: bool = False) -> str:
    """One deal in a list: name, amount, stage (or result) and close date."""
    if deal.result is Result.OPEN:
        state = t._("{stage} ({probability}%)").format(
            stage=coded_name(t, STAGE_NAMES, deal.stage_code, deal.stage_name),
            probability=deal.probability,
        )
    else:
        state = label(t, RESULT_NAMES, deal.result) or ""
    return " · ".join(
        [
            f"<b>{html.escape(shorten(deal.name, 80))}</b> #{deal.id}",
            format_money(deal.amount, deal.currency, t.language),
            html.escape(state),
            format_date(deal.close_date, t.language, gregorian=gregorian),
        ]
    )


# --- the contact card -------------------------------------------------------------------


def contact_card_text(
    t: Translator,
    card: ContactCard,
    tab: str,
    deals: Sequence[DealLine] = (),
    *,
    gregorian: bool = False,
) -> str:
    """The Details tab (who and how to reach them) or the Opportunities tab (their deals)."""
    title = f"<b>{html.escape(card.name)}</b> · #{card.id}"
    if tab == OPPORTUNITIES:
        lines = [title, t._("Deals") + ":"]
        if not deals:
            lines.append(t._("No opportunities yet."))
        for number, deal in enumerate(deals, start=1):
            lines.append(f"{number}. {deal_line(t, deal, gregorian=gregorian)}")
        if card.deal_count > len(deals):
            more = card.deal_count - len(deals)
            lines.append(t.n_("…and {n} more.", "…and {n} more.", more).format(n=more))
        return "\n".join(lines)
    return "\n".join(
        [
            title,
            _row(t._("Account"), card.account_name),
            _row(t._("Phone"), card.phone),
            _row(t._("Email"), card.email),
            _row(t._("Owner"), card.owner_name),
            _row(t._("Deals"), str(card.deal_count)),
        ]
    )


def contact_card_keyboard(
    t: Translator, card: ContactCard, tab: str, deals: Sequence[DealLine] = ()
) -> InlineKeyboardMarkup:
    """The two tabs (the current one marked), the tab's own buttons, and Add opportunity."""

    def tab_label(text: str, name: str) -> str:
        return f"{CURRENT} {text}" if name == tab else text

    opportunities = t._("Deals ({count})").format(count=card.deal_count)
    rows = [
        [
            button(tab_label(t._("Details"), DETAILS), cb.ContactTab(DETAILS, card.id)),
            button(tab_label(opportunities, OPPORTUNITIES), cb.ContactTab(OPPORTUNITIES, card.id)),
        ]
    ]
    if tab == OPPORTUNITIES:
        rows += [
            [button(f"{number}. {deal.name}", cb.CardButton("open", deal.id))]
            for number, deal in enumerate(deals, start=1)
        ]
    elif card.account_id is not None and card.account_name:
        rows.append([button(card.account_name, cb.AccountCard(card.account_id))])
    # The guided deal form starts from this button with the contact and account filled in.
    rows.append([button(t._("Add deal"), cb.NewDealFromContact(card.id))])
    return InlineKeyboardMarkup(rows)


# --- the account card -------------------------------------------------------------------


def account_card_text(t: Translator, card: AccountCard, *, gregorian: bool = False) -> str:
    """An account with its contacts and deals (those the reader may see)."""
    lines = [
        f"<b>{html.escape(card.name)}</b> · #{card.id}",
        _row(t._("Phone"), card.phone),
        _row(t._("Email"), card.email),
        _row(t._("Owner"), card.owner_name),
        "",
        "<b>{title}</b>".format(title=t._("Contacts ({count})").format(count=card.contact_count)),
    ]
    if not card.contacts:
        lines.append(t._("No contacts yet."))
    for contact in card.contacts:
        reach = contact.phone or contact.email
        lines.append(
            f"• {html.escape(shorten(contact.name, 80))}"
            + (f" · {html.escape(reach)}" if reach else "")
        )
    if card.contact_count > len(card.contacts):
        more = card.contact_count - len(card.contacts)
        lines.append(t.n_("…and {n} more.", "…and {n} more.", more).format(n=more))
    lines += [
        "",
        "<b>{title}</b>".format(title=t._("Deals ({count})").format(count=card.deal_count)),
    ]
    if not card.deals:
        lines.append(t._("No opportunities yet."))
    for deal in card.deals:
        lines.append("• " + deal_line(t, deal, gregorian=gregorian))
    if card.deal_count > len(card.deals):
        more = card.deal_count - len(card.deals)
        lines.append(t.n_("…and {n} more.", "…and {n} more.", more).format(n=more))
    return "\n".join(lines)


def account_card_keyboard(card: AccountCard) -> InlineKeyboardMarkup | None:
    """A button per contact shown (its card) and per deal shown (its card)."""
    rows = [
        [button("👤 " + contact.name, cb.ContactTab(DETAILS, contact.id))]
        for contact in card.contacts
    ]
    rows += [[button("💼 " + deal.name, cb.CardButton("open", deal.id))] for deal in card.deals]
    return InlineKeyboardMarkup(rows) if rows else None


def choices(records: Sequence[Contact | Account]) -> InlineKeyboardMarkup:
    """Several contacts or accounts match what was typed: one button each."""
    rows = []
    for record in records:
        if isinstance(record, Account):
            rows.append([button(f"#{record.id} {record.name}", cb.AccountCard(record.id))])
        else:
            rows.append([button(f"#{record.id} {record.name}", cb.ContactTab(DETAILS, record.id))])
    return InlineKeyboardMarkup(rows)
