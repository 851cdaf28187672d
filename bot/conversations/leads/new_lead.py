"""/lead: capture a lead one question at a time, on top of a stored draft."""

from __future__ import annotations

import html
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.conversations.directory.shared_contact import SHARED
from bot.conversations.leads.lead_questions import (
    FIELDS,
    FLOW,
    LEAD,
    OPTIONAL,
    Step,
    ask,
    campaign_name,
    explain_answer,
    landing,
    parse_answer,
)
from bot.flowkit import endings
from bot.flowkit.active import ActiveFlows
from bot.handlers.leads.commands import lead_message
from bot.parsing.contacts import region_of_currency
from storage.drafts import NONCE
from storage.errors import InvalidInput
from storage.leads import LeadInput, create_lead
from storage.models import Draft

__all__ = ["FLOW", "Step", "build_new_lead_conversation"]


async def _store(context: BotContext, step: Step, changes: dict[str, Any]) -> Draft:
    return await LEAD.save(context, step, changes)


def _stale(context: BotContext) -> str:
    return context.t._(
        "That button belongs to a draft that is no longer open. Send /lead to start again."
    )


async def start_lead(update: Update, context: BotContext) -> Step:
    """Start a lead, or offer to continue the one left unfinished."""
    draft, unfinished = await LEAD.continue_or_start(context, Step.PERSON, {})
    if unfinished:
        t = context.t
        name = draft.data.get("person_name") or t._("a new lead")
        await update.effective_message.reply_text(
            t._("You have an unfinished lead for {name}. Continue it?").format(
                name=html.escape(name)
            ),
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            t._("Continue"),
                            callback_data=cb.LeadFormButton(draft.data[NONCE], "resume").pack(),
                        ),
                        InlineKeyboardButton(
                            t._("Start over"),
                            callback_data=cb.LeadFormButton(draft.data[NONCE], "restart").pack(),
                        ),
                    ]
                ]
            ),
        )
        return Step.RESUME
    return await ask(update, context, draft, Step.PERSON)


async def received_answer(update: Update, context: BotContext) -> Step | int:
    """Store a typed answer and ask the next question, or explain and ask again."""
    draft = await LEAD.open(update, context)
    if draft is None:
        return ConversationHandler.END
    step = Step[draft.step]
    try:
        changes = parse_answer(
            step,
            update.effective_message.text or "",
            context.t.language,
            region_of_currency(context.member.currency),
        )
    except InvalidInput as error:
        return await ask(update, context, draft, step, prefix=explain_answer(context, error))
    following = (
        Step.CONFIRM if step is Step.CONFIRM else await landing(context, Step(step + 1), draft.data)
    )
    draft = await _store(context, following, changes)
    return await ask(update, context, draft, following)


async def pressed_button(update: Update, context: BotContext) -> Step | int:
    """Skip, Back, Cancel, Save, a source or campaign, or Continue / Start over."""
    button = await cb.pressed(update, cb.LeadFormButton)
    draft = await LEAD.pressed(update, context, button, _stale(context))
    if draft is None:
        return await LEAD.state(context)
    if LEAD.expired(context, draft):
        return await endings.expired(update, context, FLOW, draft)
    action, choice_id = button.action, button.choice_id
    step = Step[draft.step]
    if action == "cancel":
        return await LEAD.cancel(update, context)
    if action == "restart":
        draft = await LEAD.start(context, Step.PERSON, {})
        return await ask(update, context, draft, Step.PERSON)
    if action == "resume":
        return await ask(update, context, draft, step)
    if action == "back" and Step.PERSON < step <= Step.CONFIRM:
        previous = await landing(context, Step(step - 1), draft.data, back=True)
        draft = await _store(context, previous, {})
        return await ask(update, context, draft, previous)
    if action == "skip" and step in OPTIONAL:
        following = await landing(context, Step(step + 1), draft.data)
        draft = await _store(context, following, {FIELDS[step]: None})
        return await ask(update, context, draft, following)
    if action == "src" and step is Step.SOURCE and choice_id is not None:
        following = await landing(context, Step.CAMPAIGN, draft.data)
        draft = await _store(context, following, {"source_id": choice_id})
        return await ask(update, context, draft, following)
    # The campaign id comes from a button, which a client can forge: it must be the team's.
    if (
        action == "cmp"
        and step is Step.CAMPAIGN
        and choice_id is not None
        and await campaign_name(context, choice_id) is not None
    ):
        draft = await _store(context, Step.CONFIRM, {"campaign_id": choice_id})
        return await ask(update, context, draft, Step.CONFIRM)
    if action == "save" and step is Step.CONFIRM:
        return await _save(update, context, draft)
    return await ask(update, context, draft, step)


async def _save(update: Update, context: BotContext, draft: Draft) -> int:
    data = draft.data
    lead_input = LeadInput(
        person_name=data.get("person_name", ""),
        company_name=data.get("company_name"),
        phone=data.get("phone"),
        email=data.get("email"),
        source_id=data.get("source_id"),
        campaign_id=data.get("campaign_id"),
    )
    try:
        async with LEAD.finishing(context) as uow:
            lead = await create_lead(
                uow, context.actor, lead_input, idempotency_key=context.update_key
            )
    except InvalidInput as error:
        return await ask(
            update, context, draft, Step.CONFIRM, prefix=explain_answer(context, error)
        )
    text, markup = await lead_message(context, lead.id)
    header = context.t._("Lead saved: {person} (#{id}).").format(
        person=html.escape(lead.person_name), id=lead.id
    )
    await update.effective_message.reply_text(header + "\n\n" + text, reply_markup=markup)
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel at any step: drop the draft."""
    return await LEAD.cancel(update, context)


async def start_from_contact(update: Update, context: BotContext) -> Step | int:
    """New lead on a shared Telegram contact: the form, with the person and phone filled in."""
    button = await cb.pressed(update, cb.SharedContactButton)
    shared = await SHARED.pressed(update, context, button, _stale(context), live=True)
    if shared is None:
        return ConversationHandler.END
    prefilled = {
        "person_name": shared.data["person_name"],
        "phone": shared.data.get("phone"),
        "phone_shared": bool(shared.data.get("phone")),
    }
    draft = await LEAD.start(context, Step.COMPANY, prefilled)
    return await ask(update, context, draft, Step.COMPANY)


def build_new_lead_conversation(flows: ActiveFlows) -> ConversationHandler:
    answer = MessageHandler(LEAD.typed(flows), received_answer)
    button = CallbackQueryHandler(pressed_button, pattern=cb.pattern(cb.LEAD_FORM))
    return LEAD.conversation(
        entry_points=[
            # /lead with a line after it saves at once (bot.handlers.leads.commands).
            CommandHandler("lead", start_lead, has_args=False),
            CallbackQueryHandler(
                start_from_contact, pattern=rf"^{cb.SHARED_CONTACT}:[0-9a-f]+:lead$"
            ),
        ],
        states={step: [answer, button] for step in Step},
        fallbacks=[
            CommandHandler("cancel", cancel),
            CommandHandler("lead", start_lead, has_args=False),
        ],
        # A shared contact's "New lead" starts the form even while a stale state lingers.
        allow_reentry=True,
    )
