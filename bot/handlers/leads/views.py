"""Pure views of leads: the lead card, lists, one-line problems, a conversion's plan and result."""

from __future__ import annotations

import html
from collections.abc import Sequence

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import codec as cb
from bot.handlers.deals.views import shorten
from bot.i18n import N_, Translator
from bot.labels import SOURCE_NAMES, coded_name, label
from bot.parsing import LeadLineParse
from bot.views import DASH, PAGE_SIZE
from storage.lead_cards import LeadCard
from storage.leads import Conversion, ConversionPlan
from storage.models import Lead, LeadStatus

LABEL_LIMIT = 40

LEAD_STATUS_NAMES = {
    "new": N_("New"),
    "working": N_("Working"),
    "converted": N_("Converted"),
    "disqualified": N_("Disqualified"),
}


def _bold(text: str) -> str:
    return f"<b>{html.escape(text)}</b>"


def _row(name: str, value: str | None) -> str:
    return f"{name}: {html.escape(value) if value else DASH}"


def button(text: str, data: cb.Button) -> InlineKeyboardButton:
    """A button with a label cut to fit a phone's keyboard and data from the codec."""
    label = shorten(" ".join(text.split()), LABEL_LIMIT)
    return InlineKeyboardButton(label, callback_data=data.pack())


def proposed_deal_name(lead: Lead | LeadCard) -> str:
    """The deal name offered when converting: "Company – Person", or the person alone."""
    if lead.company_name:
        return f"{lead.company_name} – {lead.person_name}"[:200]
    return lead.person_name


# --- the lead card ----------------------------------------------------------------------


def lead_card_text(t: Translator, card: LeadCard) -> str:
    """A lead's card: who, where from, status; a converted lead's account, contact and deal."""
    source = coded_name(t, SOURCE_NAMES, card.source_code, card.source_name or "")
    lines = [
        "<b>{title}</b> · #{id}".format(
            title=t._("Lead: {person}").format(person=html.escape(card.person_name)), id=card.id
        ),
        _row(t._("Company"), card.company_name),
        _row(t._("Phone"), card.phone),
        _row(t._("Email"), card.email),
        _row(t._("Source"), source if card.source_name else None),
        _row(t._("Campaign"), card.campaign_name),
        _row(t._("Status"), label(t, LEAD_STATUS_NAMES, card.status)),
    ]
    if card.status is LeadStatus.CONVERTED:
        deal = None
        if card.deal_id is not None:
            deal = f"{card.deal_name} (#{card.deal_id})"
        lines += [
            _row(t._("Account"), card.account_name),
            _row(t._("Contact"), card.contact_name),
            _row(t._("Deal"), deal),
        ]
    return "\n".join(lines)


def lead_card_keyboard(t: Translator, card: LeadCard) -> InlineKeyboardMarkup | None:
    """Convert and Disqualify on an open lead; a converted one opens what it became."""
    if card.is_open:
        return InlineKeyboardMarkup(
            [
                [
                    button(t._("Convert"), cb.LeadButton("cv", card.id)),
                    button(t._("Disqualify"), cb.LeadButton("dq", card.id)),
                ]
            ]
        )
    if card.status is not LeadStatus.CONVERTED:
        return None
    rows = []
    if card.deal_id is not None:
        rows.append([button(t._("Open deal"), cb.CardButton("open", card.deal_id))])
    links = []
    if card.contact_id is not None:
        links.append(button(t._("Open contact"), cb.ContactTab("d", card.contact_id)))
    if card.account_id is not None:
        links.append(button(t._("Open account"), cb.AccountCard(card.account_id)))
    if links:
        rows.append(links)
    return InlineKeyboardMarkup(rows) if rows else None


# --- lists of leads ---------------------------------------------------------------------


def lead_list_text(t: Translator, leads: Sequence[Lead], *, page: int) -> str:
    """A page of my leads, newest first: person, company and status."""
    if not leads:
        return t._("You have no leads yet. Add one with /lead.")
    title = t._("Your leads, newest first (page {page}).").format(page=page + 1)
    lines = [f"<b>{title}</b>"]
    for number, lead in enumerate(leads, start=page * PAGE_SIZE + 1):
        company = f" · {html.escape(shorten(lead.company_name, 60))}" if lead.company_name else ""
        status = label(t, LEAD_STATUS_NAMES, lead.status)
        lines.append(
            f"{number}. <b>{html.escape(shorten(lead.person_name, 80))}</b>{company} · {status}"
        )
    return "\n".join(lines)


def lead_list_keyboard(
    t: Translator, leads: Sequence[Lead], *, page: int, has_next: bool
) -> InlineKeyboardMarkup | None:
    """One button per lead (``ld:o:<id>``), then Previous / Next (``ll:<page>``)."""
    rows = [
        [button(f"{number}. {lead.person_name}", cb.LeadButton("o", lead.id))]
        for number, lead in enumerate(leads, start=page * PAGE_SIZE + 1)
    ]
    paging = []
    if page > 0:
        paging.append(button("« " + t._("Previous"), cb.LeadPage(page - 1)))
    if has_next:
        paging.append(button(t._("Next") + " »", cb.LeadPage(page + 1)))
    if paging:
        rows.append(paging)
    return InlineKeyboardMarkup(rows) if rows else None


def lead_choices(leads: Sequence[Lead], action: str) -> InlineKeyboardMarkup:
    """Several leads match what was typed: one button each, opening or converting it."""
    return InlineKeyboardMarkup(
        [
            [button(f"#{lead.id} {lead.person_name}", cb.LeadButton(action, lead.id))]
            for lead in leads
        ]
    )


# --- /lead <one line> -------------------------------------------------------------------


def lead_line_usage(t: Translator) -> str:
    return t._(
        "Write the lead in one line: the person's name, then optionally a phone, an e-mail, "
        "the company after “cty”, “company” or “@”, and a #campaign. For example:\n"
        "<code>/lead Nguyễn Văn An 0901 234 567 an@abc.vn cty ABC</code>"
    )


def lead_line_problems(t: Translator, parse: LeadLineParse) -> str:
    """Localized lines for what could not be read in a lead line ("" when nothing)."""
    lines = []
    for ambiguity in parse.ambiguities:
        options = " / ".join(html.escape(str(option)) for option in ambiguity.candidates)
        if ambiguity.field == "phone":
            lines.append(
                t._(
                    "The phone number could be {options}. Write it with its country code, "
                    "for example +84 901 234 567 or +66 81 234 5678."
                ).format(options=options)
            )
        else:
            lines.append(
                t._("I found several companies: {options}. Write only one.").format(options=options)
            )
    for error in parse.errors:
        text = html.escape(error.text)
        if error.field == "phone":
            lines.append(t._("“{text}” does not look like a phone number.").format(text=text))
        elif error.field == "email":
            lines.append(t._("“{text}” does not look like an email address.").format(text=text))
        else:
            lines.append(t._("I could not read “{text}”.").format(text=text))
    if not parse.person:
        lines.append(t._("The lead needs the person's name."))
    return "\n".join(lines)


# --- converting -------------------------------------------------------------------------


def conversion_plan_text(t: Translator, lead: Lead, plan: ConversionPlan) -> str:
    """What converting will create; what it may link is asked right after."""
    lines = [
        t._("Converting the lead <b>{person}</b> (#{id}).").format(
            person=html.escape(lead.person_name), id=lead.id
        )
    ]
    if plan.existing_account is None:
        if lead.company_name:
            lines.append(
                t._("A new account {name} will be created.").format(name=_bold(lead.company_name))
            )
        else:
            lines.append(t._("The lead names no company, so no account will be linked."))
    if plan.existing_contact is None:
        lines.append(
            t._("A new contact {name} will be created.").format(name=_bold(lead.person_name))
        )
    lines.append(t._("A new deal will be created and linked to the lead."))
    return "\n".join(lines)


def conversion_result_text(t: Translator, conversion: Conversion) -> str:
    """What the conversion created and what it linked."""
    lines = ["<b>" + t._("Lead converted.") + "</b>"]
    account = conversion.account
    if account is None:
        lines.append(t._("No company was given, so no account was linked."))
    elif conversion.account_created:
        lines.append(t._("Created the account {name}.").format(name=_bold(account.name)))
    else:
        lines.append(t._("Linked the existing account {name}.").format(name=_bold(account.name)))
    contact = conversion.contact
    if conversion.contact_created:
        lines.append(t._("Created the contact {name}.").format(name=_bold(contact.name)))
    else:
        lines.append(t._("Linked the existing contact {name}.").format(name=_bold(contact.name)))
    deal = conversion.opportunity
    lines.append(t._("Created the deal {name} (#{id}).").format(name=_bold(deal.name), id=deal.id))
    return "\n".join(lines)
