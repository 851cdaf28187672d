"""/convert: turn a lead into an account, a contact and a deal, one question at a time."""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.conversations.leads.convert_steps import (
    CONVERT,
    FLOW,
    STEP_OF_FIELD,
    Step,
    amount_problem,
    ask,
    asked,
    date_problem,
    next_step,
    previous_step,
    store,
)
from bot.flowkit.active import ActiveFlows
from bot.handlers.deals.card_view import card_message
from bot.handlers.leads.commands import lead_message, lead_not_found
from bot.handlers.leads.views import (
    conversion_plan_text,
    conversion_result_text,
    lead_choices,
    proposed_deal_name,
)
from bot.invalid import explain
from bot.parsing import Money, parse_amount, parse_date
from storage.errors import InvalidInput, NotFound
from storage.lead_cards import SeveralMatch, my_leads, resolve_lead
from storage.leads import convert_lead, get_lead, plan_conversion
from storage.models import Draft, LeadStatus
from storage.opportunities import OpportunityInput

__all__ = ["FLOW", "Step", "build_convert_lead_conversation"]


async def _advance(
    update: Update, context: BotContext, draft: Draft, changes: dict[str, Any]
) -> Step | int:
    """Store an answer and ask the next question; after the stage, convert."""
    step = Step[draft.step]
    following = next_step({**draft.data, **changes}, step)
    if following is None:
        return await _convert(update, context, {**draft.data, **changes})
    draft = await store(context, following, changes)
    return await ask(update, context, draft, following)


async def start_convert(update: Update, context: BotContext) -> Step | int | None:
    """/convert <lead>: the lead's number or name; alone, a choice of my open leads."""
    t = context.t
    text = (update.effective_message.text or "").partition(" ")[2].strip()
    if not text:
        async with context.uow() as uow:
            leads = await my_leads(uow, context.actor, limit=8, open_only=True)
        if not leads:
            await update.effective_message.reply_text(
                t._("You have no leads to convert. Add one with /lead.")
            )
            return None
        await update.effective_message.reply_text(
            t._("Which lead should I convert? Pick one, or send /convert with its number."),
            reply_markup=lead_choices(leads, "cv"),
        )
        return None
    try:
        async with context.uow() as uow:
            lead = await resolve_lead(uow, context.actor, text)
    except NotFound:
        await lead_not_found(update, context)
        return None
    except SeveralMatch as several:
        await update.effective_message.reply_text(
            t._("Several leads match. Which one?"),
            reply_markup=lead_choices(several.candidates, "cv"),
        )
        return None
    return await _begin(update, context, lead.id)


async def pressed_convert(update: Update, context: BotContext) -> Step | int | None:
    """Convert on a lead's card (or in a list of leads)."""
    button = await cb.pressed(update, cb.LeadButton)
    if button is None:
        await lead_not_found(update, context)
        return None
    return await _begin(update, context, button.lead_id)


async def _begin(update: Update, context: BotContext, lead_id: int) -> Step | int | None:
    """Show what converting will create, then ask the first question.

    Returning None leaves any conversation the user is in where it was.
    """
    t = context.t
    try:
        async with context.uow() as uow:
            lead = await get_lead(uow, context.actor, lead_id)
            plan = await plan_conversion(uow, context.actor, lead_id)
    except NotFound:
        await lead_not_found(update, context)
        return None
    if lead.status in (LeadStatus.CONVERTED, LeadStatus.DISQUALIFIED):
        reason = "already_converted" if lead.status is LeadStatus.CONVERTED else "disqualified"
        text, markup = await lead_message(context, lead_id)
        await update.effective_message.reply_text(
            explain(t, InvalidInput("lead", reason)) + "\n\n" + text, reply_markup=markup
        )
        return None
    data = {
        "lead_id": lead.id,
        "person_name": lead.person_name,
        "proposed": proposed_deal_name(lead),
        "account_name": plan.existing_account.name if plan.existing_account else None,
        "contact_name": plan.existing_contact.name if plan.existing_contact else None,
        "link_account": False,
        "link_contact": False,
    }
    first = next(step for step in Step if asked(data, step))
    draft = await CONVERT.start(context, first, data)
    plan_text = conversion_plan_text(t, lead, plan)
    return await ask(update, context, draft, first, prefix=plan_text + "\n\n")


async def received_text(update: Update, context: BotContext) -> Step | int:
    """A typed answer: the deal's name, amount or close date; buttons elsewhere."""
    draft = await CONVERT.open(update, context)
    if draft is None:
        return ConversationHandler.END
    t = context.t
    step = Step[draft.step]
    text = (update.effective_message.text or "").strip()
    if step is Step.NAME:
        if not 1 <= len(text) <= 200:
            return await ask(
                update,
                context,
                draft,
                step,
                t._("The deal needs a name of 1 to 200 characters.") + " ",
            )
        return await _advance(update, context, draft, {"name": text})
    if step is Step.AMOUNT:
        amount = parse_amount(text, t.language, context.member.currency)
        if not isinstance(amount, Money):
            return await ask(update, context, draft, step, amount_problem(context, amount) + " ")
        changes = {"amount": amount.minor_units, "currency": amount.currency}
        return await _advance(update, context, draft, changes)
    if step is Step.CLOSE_DATE:
        day = parse_date(text, t.language, context.today())
        if not isinstance(day, date):
            return await ask(update, context, draft, step, date_problem(context, day, text) + " ")
        return await _advance(update, context, draft, {"close_date": day.isoformat()})
    return await ask(update, context, draft, step, t._("Please choose one of the buttons.") + " ")


async def pressed_button(update: Update, context: BotContext) -> Step | int:
    """Link or create, the suggested name, Skip, a date, a stage, Back or Cancel."""
    button = await cb.pressed(update, cb.ConvertButton)
    if await CONVERT.pressed(update, context, button) is None:
        return await CONVERT.state(context)
    draft = await CONVERT.open(update, context)
    if draft is None:
        return ConversationHandler.END
    step = Step[draft.step]
    action, argument = button.action, button.argument or ""
    if action == "x":
        return await CONVERT.cancel(update, context, everything=False)
    if action == "bk":
        previous = previous_step(draft.data, step) or step
        draft = await store(context, previous, {})
        return await ask(update, context, draft, previous)
    choices: dict[tuple[Step, str], dict[str, Any]] = {
        (Step.ACCOUNT, "la"): {"link_account": True},
        (Step.ACCOUNT, "na"): {"link_account": False},
        (Step.CONTACT, "lc"): {"link_contact": True},
        (Step.CONTACT, "nc"): {"link_contact": False},
        (Step.NAME, "nm"): {"name": draft.data["proposed"]},
        (Step.AMOUNT, "sk"): {"amount": 0, "currency": None},
    }
    if (step, action) in choices:
        return await _advance(update, context, draft, choices[(step, action)])
    if step is Step.CLOSE_DATE and action == "d":
        try:
            day = date(int(argument[:4]), int(argument[4:6]), int(argument[6:8]))
        except ValueError:
            return await ask(update, context, draft, step)
        return await _advance(update, context, draft, {"close_date": day.isoformat()})
    if step is Step.STAGE and action == "st" and argument.isdigit():
        return await _advance(update, context, draft, {"stage_id": int(argument)})
    return await ask(update, context, draft, step)


async def _convert(update: Update, context: BotContext, data: dict[str, Any]) -> Step | int:
    """Create (or link) everything in one transaction and say what was created and linked."""
    t = context.t
    deal = OpportunityInput(
        name=data.get("name") or data["proposed"],
        close_date=date.fromisoformat(data["close_date"]) if data.get("close_date") else None,
        amount=data.get("amount") or 0,
        currency=data.get("currency"),
        stage_id=data.get("stage_id"),
    )
    try:
        async with CONVERT.finishing(context) as uow:
            conversion = await convert_lead(
                uow,
                context.actor,
                data["lead_id"],
                deal,
                link_account=data["link_account"],
                link_contact=data["link_contact"],
                idempotency_key=context.update_key,
            )
    except NotFound:
        await CONVERT.end(context)
        await lead_not_found(update, context)
        return ConversationHandler.END
    except InvalidInput as error:
        if error.field == "lead":
            await CONVERT.end(context)
            await update.effective_message.reply_text(explain(t, error))
            return ConversationHandler.END
        step = STEP_OF_FIELD.get(error.field, Step.STAGE)
        draft = await store(context, step, {})
        return await ask(update, context, draft, step, explain(t, error) + " ")
    card, markup = await card_message(context, conversion.opportunity.id)
    await update.effective_message.reply_text(
        conversion_result_text(t, conversion) + "\n\n" + card, reply_markup=markup
    )
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel at any step: drop the draft, convert nothing."""
    return await CONVERT.cancel(update, context, everything=False)


def build_convert_lead_conversation(flows: ActiveFlows) -> ConversationHandler:
    answer = MessageHandler(CONVERT.typed(flows), received_text)
    buttons = CallbackQueryHandler(pressed_button, pattern=cb.pattern(cb.CONVERT))
    return CONVERT.conversation(
        entry_points=[
            CommandHandler("convert", start_convert),
            CallbackQueryHandler(pressed_convert, pattern=rf"^{cb.LEAD}:cv:"),
        ],
        states={step: [answer, buttons] for step in Step},
        fallbacks=[CommandHandler("cancel", cancel)],
        # Convert on another lead's card, or /convert again, starts over.
        allow_reentry=True,
    )
