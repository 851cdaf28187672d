"""Leads: /lead <one line>, /leads, the lead card and its Disqualify button."""

from __future__ import annotations

import html

from telegram import InlineKeyboardMarkup, Message, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.handlers.deals.card import show
from bot.handlers.leads.views import (
    PAGE_SIZE,
    lead_card_keyboard,
    lead_card_text,
    lead_line_problems,
    lead_line_usage,
    lead_list_keyboard,
    lead_list_text,
)
from bot.invalid import explain
from bot.parsing import parse_lead_line
from bot.parsing.contacts import region_of_currency
from storage import idempotency
from storage.errors import InvalidInput, NotFound
from storage.lead_cards import campaign_named, lead_card, my_leads
from storage.leads import LeadInput, create_lead, disqualify_lead


async def lead_message(
    context: BotContext, lead_id: int
) -> tuple[str, InlineKeyboardMarkup | None]:
    """A lead's card and its buttons.

    Raises:
        NotFound: no such lead, or another rep's.
    """
    async with context.uow() as uow:
        card = await lead_card(uow, context.actor, lead_id)
    return lead_card_text(context.t, card), lead_card_keyboard(context.t, card)


async def lead_not_found(update: Update, context: BotContext) -> None:
    await update.effective_message.reply_text(context.t._("That lead was not found."))


def phone_region(context: BotContext) -> str | None:
    """The country national numbers belong to: the team's, whatever the language."""
    return region_of_currency(context.member.currency)


def _message_key(message: Message) -> str:
    return idempotency.message_key(message.get_bot().id, message.chat_id, message.message_id)


async def quick_lead(update: Update, context: BotContext) -> None:
    """/lead <one line>: save the lead at once and answer with its card."""
    t = context.t
    message = update.effective_message
    line = (message.text or "").partition(" ")[2].strip()
    parse = parse_lead_line(line, t.language, phone_region(context))
    problems = lead_line_problems(t, parse)
    if problems:
        await message.reply_text(problems + "\n\n" + lead_line_usage(t))
        return
    notes = []
    campaign_id = None
    if parse.campaign:
        async with context.uow() as uow:
            campaign = await campaign_named(uow, context.actor, parse.campaign)
        if campaign is None:
            notes.append(t._("No campaign has that name, so none was linked."))
        else:
            campaign_id = campaign.id
    data = LeadInput(
        person_name=parse.person,
        company_name=parse.company,
        phone=parse.phone,
        email=parse.email,
        campaign_id=campaign_id,
    )
    try:
        async with context.uow() as uow:
            await idempotency.claim(uow.session, context.update_key)
            lead = await create_lead(
                uow, context.actor, data, idempotency_key=_message_key(message)
            )
    except InvalidInput as error:
        await message.reply_text(_explain_lead(context, error) + "\n\n" + lead_line_usage(t))
        return
    text, markup = await lead_message(context, lead.id)
    header = t._("Lead saved: {person} (#{id}).").format(
        person=html.escape(lead.person_name), id=lead.id
    )
    await message.reply_text("\n".join([header, *notes, "", text]), reply_markup=markup)


def _explain_lead(context: BotContext, error: InvalidInput) -> str:
    t = context.t
    if error.field == "person_name":
        return t._("The name must be 1 to 200 characters.")
    if error.field == "company_name":
        return t._("The company name must be 1 to 200 characters.")
    return explain(t, error)


async def send_lead_list(update: Update, context: BotContext, page: int) -> None:
    """A page of my leads, newest first."""
    page = max(page, 0)
    async with context.uow() as uow:
        leads = await my_leads(uow, context.actor, limit=PAGE_SIZE + 1, offset=page * PAGE_SIZE)
    if not leads and page > 0:
        # The list shrank since that page was shown: start again from the top.
        await send_lead_list(update, context, 0)
        return
    has_next = len(leads) > PAGE_SIZE
    leads = leads[:PAGE_SIZE]
    text = lead_list_text(context.t, leads, page=page)
    markup = lead_list_keyboard(context.t, leads, page=page, has_next=has_next)
    await show(update, text, markup, edit=update.callback_query is not None)


async def list_leads(update: Update, context: BotContext) -> None:
    """/leads: my leads, a page at a time."""
    await send_lead_list(update, context, 0)


async def turned_page(update: Update, context: BotContext) -> None:
    """Previous or Next under my leads."""
    button = await cb.pressed(update, cb.LeadPage)
    if button is not None:
        await send_lead_list(update, context, button.page)


async def pressed_lead_button(update: Update, context: BotContext) -> None:
    """Open a lead's card (from a list), or Disqualify it."""
    button = await cb.pressed(update, cb.LeadButton)
    if button is None:
        await lead_not_found(update, context)
        return
    action, lead_id = button.action, button.lead_id
    t = context.t
    try:
        if action == "dq":
            async with context.uow() as uow:
                await idempotency.claim(uow.session, context.update_key)
                await disqualify_lead(uow, context.actor, lead_id)
        text, markup = await lead_message(context, lead_id)
    except NotFound:
        await lead_not_found(update, context)
        return
    except InvalidInput as error:
        await update.effective_message.reply_text(explain(t, error))
        return
    if action == "dq":
        await show(update, t._("Lead disqualified.") + "\n\n" + text, markup)
    else:
        await show(update, text, markup, edit=False)


def handlers() -> list[object]:
    return [
        CommandHandler("lead", quick_lead, has_args=True),
        CommandHandler("leads", list_leads),
        CallbackQueryHandler(turned_page, pattern=cb.pattern(cb.LEAD_LIST)),
        CallbackQueryHandler(pressed_lead_button, pattern=rf"^{cb.LEAD}:(o|dq):"),
    ]
