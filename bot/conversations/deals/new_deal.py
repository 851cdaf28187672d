"""/new without text: the guided deal form, one question at a time, on top of a stored draft."""

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
from bot.conversations.deals import new_deal_answers as answers
from bot.conversations.deals.form_view import form_data
from bot.conversations.deals.new_deal_buttons import chose
from bot.conversations.deals.new_deal_questions import ask
from bot.conversations.deals.new_deal_steps import (
    EDITING,
    PREFILLED,
    PRODUCT,
    QUERY,
    SEARCHED,
    Step,
    following,
    form_of,
)
from bot.flowkit import endings
from bot.flowkit.active import ActiveFlows
from bot.flowkit.flow import Flow
from bot.handlers.deals.card_view import card_keyboard, card_text
from bot.i18n import Translator
from bot.invalid import explain
from storage.deal_form import has_products, stage_new_links
from storage.directory import get_account, get_contact
from storage.drafts import NONCE
from storage.errors import InvalidInput, NotFound
from storage.models import Draft
from storage.opportunities import create_opportunity

NEW_DEAL = Flow("new_deal", Step)
FLOW = NEW_DEAL.name

__all__ = [
    "FLOW",
    "NEW_DEAL",
    "Step",
    "build_new_deal_conversation",
    "start_new_deal",
    "start_prefilled_deal",
]


async def store(
    context: BotContext, step: Step, changes: dict[str, Any], *, fresh: bool = False
) -> dict[str, Any]:
    """Write the answer and the next step in one transaction that claims the update's key.

    A search text belongs to its question, so it is dropped when the question changes.
    """
    if fresh:
        return (await NEW_DEAL.start(context, step, changes)).data
    draft = await NEW_DEAL.draft(context)
    forget = []
    if draft is not None and draft.step != step.name and QUERY not in changes:
        forget.append(QUERY)
    if step is Step.SUMMARY:
        forget.append(EDITING)
    return (await NEW_DEAL.save(context, step, changes, forget=tuple(forget))).data


async def advance(update: Update, context: BotContext, step: Step, changes: dict[str, Any]) -> Step:
    """Store an accepted answer to ``step`` and ask the question that follows it."""
    draft = await NEW_DEAL.draft(context)
    following_step = following(step, {**(draft.data if draft else {}), **changes})
    data = await store(context, following_step, changes)
    return await ask(update, context, data, following_step)


async def start_new_deal(update: Update, context: BotContext) -> Step:
    """Start the form, or offer to continue the deal left unfinished."""
    draft = await NEW_DEAL.draft(context)
    if draft is not None and not NEW_DEAL.expired(context, draft):
        t = context.t
        nonce = draft.data[NONCE]
        name = draft.data.get("name") or t._("a new deal")
        await update.effective_message.reply_text(
            t._("You have an unfinished deal {name}. Continue it?").format(name=html.escape(name)),
            reply_markup=InlineKeyboardMarkup(
                [
                    [
                        InlineKeyboardButton(
                            t._("Continue"), callback_data=form_data(nonce, Step.RESUME, "resume")
                        ),
                        InlineKeyboardButton(
                            t._("Start over"),
                            callback_data=form_data(nonce, Step.RESUME, "restart"),
                        ),
                    ]
                ]
            ),
        )
        context.enter_flow(FLOW)
        return Step.RESUME
    data = await store(context, Step.NAME, await _fresh(context), fresh=True)
    return await ask(update, context, data, Step.NAME)


async def _fresh(context: BotContext) -> dict[str, Any]:
    """A new form's start: steps that cannot apply are skipped (no products, no question)."""
    async with context.uow() as uow:
        products = await has_products(uow, context.actor)
    return {PREFILLED: [] if products else [Step.PRODUCTS.name]}


async def start_prefilled_deal(
    update: Update, context: BotContext, *, contact_id: int | None, account_id: int | None
) -> Step | int:
    """Start the form with the contact and account filled in (a contact card's button).

    Both are looked up with the actor's permissions: another rep's contact is "not found".
    """
    try:
        async with context.uow() as uow:
            contact = await get_contact(uow, context.actor, contact_id) if contact_id else None
            account = await get_account(uow, context.actor, account_id) if account_id else None
    except NotFound:
        return await _contact_not_found(update, context)
    changes = await _fresh(context)
    if contact is not None:
        changes.update(contact_id=contact.id, contact_name=contact.name)
        changes[PREFILLED].append(Step.CONTACT.name)
    if account is not None:
        changes.update(account_id=account.id, account_name=account.name)
        changes[PREFILLED].append(Step.ACCOUNT.name)
    data = await store(context, Step.NAME, changes, fresh=True)
    return await ask(update, context, data, Step.NAME)


async def _contact_not_found(update: Update, context: BotContext) -> Step | int:
    """Say so, and stay on the question of a form already open (nothing of it is lost)."""
    await update.effective_message.reply_text(context.t._("That contact was not found."))
    draft = await NEW_DEAL.draft(context)
    return _current(draft) if draft is not None else ConversationHandler.END


async def _add_from_contact(
    update: Update, context: BotContext, contact_id: int | None
) -> Step | int:
    """A contact card's "Add opportunity" button (nd:c:<contact id>), checked in storage."""
    try:
        if contact_id is None:
            raise NotFound("contacts", contact_id)
        async with context.uow() as uow:
            contact = await get_contact(uow, context.actor, contact_id)
    except NotFound:
        return await _contact_not_found(update, context)
    return await start_prefilled_deal(
        update, context, contact_id=contact.id, account_id=contact.account_id
    )


def _read(context: BotContext, step: Step, text: str, data: dict[str, Any]) -> dict[str, Any]:
    """The draft changes a typed answer to ``step`` makes, or raise answers.Problem."""
    t = context.t
    if step is Step.NAME:
        return {"name": answers.read_name(t, text)}
    if step is Step.AMOUNT:
        money = answers.read_amount(t, text, context.member.currency)
        if data.get("lines") and money.currency != data.get("currency"):
            raise answers.Problem(
                t._(
                    "The products are priced in {currency}. Remove them first "
                    "to give the amount in another currency."
                ).format(currency=data.get("currency"))
            )
        return {"amount": money.minor_units, "currency": money.currency}
    if step is Step.CLOSE_DATE:
        return {
            "close_date": answers.read_close_date(
                t, text, context.today(), gregorian=context.fmt.gregorian
            ).isoformat()
        }
    if step in SEARCHED:
        field = {Step.ACCOUNT: "account", Step.CONTACT: "contact", Step.CAMPAIGN: "campaign"}
        return {QUERY: answers.read_name(t, text, field[step])}
    if step is Step.PROBABILITY:
        return {"probability": answers.read_probability(t, text)}
    if step is Step.PRODUCTS:
        return {QUERY: answers.read_name(t, text, "product")}
    if step is Step.QUANTITY:
        return {"lines": _with_line(t, data, answers.read_quantity(t, text)), PRODUCT: None}
    if step is Step.DESCRIPTION:
        return {"description": answers.read_description(t, text)}
    raise answers.use_buttons(t)


def _with_line(t: Translator, data: dict[str, Any], quantity: int) -> list[list[int]]:
    """The lines with ``quantity`` more of the product being asked about (one line each)."""
    product_id = data.get(PRODUCT)
    if not product_id:
        raise answers.use_buttons(t)
    lines = [list(line) for line in data.get("lines") or []]
    for line in lines:
        if line[0] == product_id:
            line[1] += quantity
            return lines
    return [*lines, [product_id, quantity]]


async def received_answer(update: Update, context: BotContext) -> Step | int:
    """Store a typed answer and ask the next question, or explain and ask the same one."""
    draft = await NEW_DEAL.open(update, context)
    if draft is None:
        return ConversationHandler.END
    step = _current(draft)
    try:
        changes = _read(context, step, update.effective_message.text or "", draft.data)
    except answers.Problem as problem:
        return await ask(update, context, draft.data, step, problem.message, problem.choices)
    if QUERY in changes:
        # A search text is not an answer yet: show what it finds, on the same question.
        data = await store(context, step, changes)
        return await ask(update, context, data, step)
    return await advance(update, context, step, changes)


async def pressed_button(update: Update, context: BotContext) -> Step | int:
    """Any button of the form: checked against the open draft, then acted on."""
    query = update.callback_query
    await query.answer()
    if (query.data or "").startswith(f"{cb.NEW_DEAL}:c:"):
        from_contact = cb.NewDealFromContact.parse(query.data)
        return await _add_from_contact(update, context, from_contact and from_contact.contact_id)
    button = cb.NewDealButton.parse(query.data)
    draft = await NEW_DEAL.draft(context)
    t = context.t
    if not NEW_DEAL.names(draft, button):
        stale = t._("That button belongs to a draft that is no longer open.")
        if draft is None:
            await update.effective_message.reply_text(
                stale + " " + t._("Send /new to start again.")
            )
            return ConversationHandler.END
        return await ask(update, context, draft.data, _current(draft), stale)
    if NEW_DEAL.expired(context, draft):
        return await endings.expired(update, context, FLOW, draft)
    # The open draft's own button may also arrive as an entry point (its conversation
    # state lost): typed answers must reach this form again.
    context.enter_flow(FLOW)
    step, action, args = _button_parts(button)
    current = _current(draft)
    if action == "cancel":
        return await NEW_DEAL.cancel(update, context)
    if action == "restart":
        data = await store(context, Step.NAME, await _fresh(context), fresh=True)
        return await ask(update, context, data, Step.NAME)
    if action == "resume":
        return await ask(update, context, draft.data, current)
    if step is not current:
        # A button of an earlier question in this draft: answer the one open now instead.
        return await ask(
            update, context, draft.data, current, t._("That button is from an earlier question.")
        )
    if action == "save" and current is Step.SUMMARY:
        return await _save(update, context, draft)
    try:
        result = await chose(context, draft.data, current, action, args)
    except answers.Problem as problem:
        return await ask(update, context, draft.data, current, problem.message, problem.choices)
    if result.fields_menu is not None:
        await update.effective_message.reply_text(
            result.fields_menu[0], reply_markup=result.fields_menu[1]
        )
        return current
    if result.go_to is not None:
        data = await store(context, result.go_to, result.changes)
        return await ask(update, context, data, result.go_to)
    return await advance(update, context, current, result.changes)


def _current(draft: Draft) -> Step:
    return NEW_DEAL.step(draft) or Step.NAME


def _button_parts(button: cb.NewDealButton) -> tuple[Step | None, str, list[str]]:
    """(question, action, arguments) of nd:<nonce>:<step>:<action>[:...] button data."""
    known = {int(step) for step in Step}
    step = Step(button.step) if button.step in known else None
    return step, button.action, list(button.args)


async def _save(update: Update, context: BotContext, draft: Draft) -> int | Step:
    form = form_of(draft.data)
    try:
        async with NEW_DEAL.finishing(context) as uow:
            await stage_new_links(uow, context.actor, form)
            deal = await create_opportunity(
                uow, context.actor, form.deal, idempotency_key=context.update_key
            )
    except InvalidInput as error:
        return await ask(update, context, draft.data, Step.SUMMARY, explain(context.t, error))
    await update.effective_message.reply_text(
        context.t._("Deal saved.") + "\n\n" + await card_text(context, deal.id),
        reply_markup=card_keyboard(context, deal.id),
    )
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel at any step: drop the draft."""
    return await NEW_DEAL.cancel(update, context)


def build_new_deal_conversation(flows: ActiveFlows) -> ConversationHandler:
    answer = MessageHandler(NEW_DEAL.typed(flows), received_answer)
    button = CallbackQueryHandler(pressed_button, pattern=cb.pattern(cb.NEW_DEAL))
    start = CommandHandler("new", start_new_deal, has_args=False)
    return NEW_DEAL.conversation(
        # The button entry answers a contact card's "Add opportunity", and tells
        # about buttons of a form that is no longer open.
        entry_points=[start, button],
        states={step: [answer, button] for step in Step},
        fallbacks=[CommandHandler("cancel", cancel), start],
    )
