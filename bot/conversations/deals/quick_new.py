"""/new <one line>: save a deal from one message, ask only for what is missing."""

from __future__ import annotations

from datetime import date
from typing import Any

from telegram import Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
)

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.conversations.deals.quick_edit import pressed_edit, received_edit_line
from bot.conversations.deals.quick_flow import QUICK, Step, parse_line
from bot.conversations.deals.quick_links import ask_link
from bot.conversations.deals.quick_questions import (
    date_from,
    send_amount_question,
    send_date_question,
)
from bot.flowkit.active import ActiveFlows
from bot.handlers.deals.card_view import render_card
from bot.handlers.deals.text import explain_problems
from bot.invalid import explain
from bot.parsing import DealLineParse, FieldAmbiguity, Money
from bot.parsing.oneline import NAME
from storage import idempotency
from storage.cards import DealCard
from storage.cards import deal_card as load_card
from storage.drafts import NONCE
from storage.errors import InvalidInput, NotFound
from storage.models import Draft, Rating
from storage.opportunities import OpportunityInput
from storage.quick_create import NEW, AmbiguousLink, QuickCreated, create_from_line


def _line_of(message: Message) -> str:
    """The message text after the command, as typed (quotes and spacing kept)."""
    return (message.text or "").partition(" ")[2].strip()


def _message_key(message: Message) -> str:
    return idempotency.message_key(message.get_bot().id, message.chat_id, message.message_id)


def _usage(context: BotContext) -> str:
    return context.t._(
        "Write the deal in one line: name, amount, close date, and optionally rating, "
        "stage, @account, +contact, #campaign. For example:\n"
        "<code>/new Acme ERP 50tr 31/12 hot @Acme</code>"
    )


async def quick_new(update: Update, context: BotContext) -> Step | int:
    """Read a one-line deal; save it, or ask what it leaves in doubt or missing."""
    message = update.effective_message
    text = _line_of(message)
    if not text:
        await message.reply_text(_usage(context))
        return ConversationHandler.END
    return await _go_on(update, context, {"line": text, "key": _message_key(message)}, None)


def _bare_choice(data: dict[str, object]) -> Money | str | None:
    """The stored answer to "is this number the amount?" (see ``parse_deal_line``)."""
    bare = data.get("bare")
    if isinstance(bare, list):
        return Money(int(bare[0]), str(bare[1]))
    return bare if isinstance(bare, str) else None


def _doubt(parse: DealLineParse, field: str) -> FieldAmbiguity | None:
    return next((a for a in parse.ambiguities if a.field == field), None)


async def _go_on(
    update: Update, context: BotContext, data: dict[str, object], draft: Draft | None
) -> Step | int:
    """Ask the next thing the line leaves open (a bare number, the close date), or save."""
    parse, stage_names = await parse_line(context, str(data["line"]), _bare_choice(data))
    amount, day = _doubt(parse, "amount"), _doubt(parse, "close_date")
    if parse.errors or any(a not in (amount, day) for a in parse.ambiguities):
        await update.effective_message.reply_text(
            explain_problems(context.t, parse, stage_names, gregorian=context.fmt.gregorian)
            + "\n"
            + context.t._("Send /new again with the corrected line.")
        )
        return (
            await QUICK.end(context, claim=True) if draft is not None else ConversationHandler.END
        )
    if amount is not None:
        return await _ask(update, context, data, Step.AMOUNT, amount)
    if parse.close_date is None:
        return await _ask(update, context, data, Step.CLOSE_DATE, day)
    return await _create(update, context, parse, parse.close_date, data)


async def _ask(
    update: Update,
    context: BotContext,
    data: dict[str, object],
    step: Step,
    doubt: FieldAmbiguity | None,
) -> Step:
    """Keep the line and the answers so far, then ask about the amount or the date."""
    staged = await _stage(context, data, step)
    if step is Step.AMOUNT and doubt is not None:
        await send_amount_question(update, context, staged[NONCE], doubt)
    else:
        dates = doubt.candidates if doubt is not None else ()
        await send_date_question(update, context, staged[NONCE], dates=dates)
    return step


async def _create(
    update: Update,
    context: BotContext,
    parse: DealLineParse,
    close_date: date,
    answers: dict[str, Any],
) -> Step | int:
    """Save the deal; when ``@name``/``+name`` match several records, ask which first."""
    data = OpportunityInput(
        name=parse.name,
        close_date=close_date,
        amount=parse.amount.minor_units if parse.amount else 0,
        currency=parse.amount.currency if parse.amount else None,
        stage_id=int(parse.stage_id) if parse.stage_id is not None else None,
        rating=Rating(parse.rating) if parse.rating else None,
    )
    try:
        async with QUICK.finishing(context, claim=True) as uow:
            created = await create_from_line(
                uow,
                context.actor,
                data,
                account_name=parse.account,
                contact_name=parse.contact,
                campaign_name=parse.campaign,
                idempotency_key=answers["key"],
                account_choice=answers.get("account"),
                contact_choice=answers.get("contact"),
            )
            # Read back in the same unit of work: the card shows what was committed.
            card = await load_card(uow, context.actor, created.opportunity.id)
    except AmbiguousLink as several:
        asked = {
            **answers,
            "close": close_date.isoformat(),
            "asking": several.field,
            "account_name": parse.account,
            "contact_name": parse.contact,
        }
        staged = await _stage(context, asked, Step.LINK)
        await ask_link(update, context, staged, several.candidates, 0)
        return Step.LINK
    except NotFound:
        await update.effective_message.reply_text(context.t._("That record was not found."))
        return await QUICK.end(context, claim=True)
    except InvalidInput as error:
        await update.effective_message.reply_text(
            explain(context.t, error) + "\n" + _usage(context)
        )
        return ConversationHandler.END
    await _answer_created(update, context, created, card)
    return ConversationHandler.END


async def _answer_created(
    update: Update, context: BotContext, created: QuickCreated, card: DealCard
) -> None:
    t = context.t
    notes = []
    if created.account_created:
        notes.append(t._("New account created."))
    if created.contact_created:
        notes.append(t._("New contact created."))
    if created.campaign_missing:
        notes.append(t._("No campaign has that name, so none was linked."))
    header = t._("Deal saved.") if not created.replayed else t._("This deal was already saved.")
    shown, keyboard = render_card(context, card, undo=True)
    text = "\n".join([header, *notes, "", shown])
    await update.effective_message.reply_text(text, reply_markup=keyboard)


async def received_close_date(update: Update, context: BotContext) -> Step | int:
    """The close date the one-liner was missing, typed."""
    draft = await QUICK.draft(context)
    if QUICK.step(draft) is not Step.CLOSE_DATE or QUICK.expired(context, draft):
        return ConversationHandler.END
    day, problem = date_from(context, update.effective_message.text or "")
    if day is None:
        await send_date_question(update, context, draft.data[NONCE], prefix=problem)
        return Step.CLOSE_DATE
    parse, _ = await parse_line(context, draft.data["line"], _bare_choice(draft.data))
    return await _create(update, context, parse, day, draft.data)


async def pressed_quick_button(update: Update, context: BotContext) -> Step | int:
    """A close-date button, or Cancel."""
    button = await cb.pressed(
        update, cb.QuickDay, cb.QuickAmount, cb.QuickCancel, cb.QuickMore, cb.QuickLink
    )
    draft = await QUICK.pressed(update, context, button)
    if draft is None:
        return await QUICK.state(context)
    if isinstance(button, cb.QuickDay) and draft.step == Step.CLOSE_DATE.name:
        parse, _ = await parse_line(context, draft.data["line"], _bare_choice(draft.data))
        return await _create(update, context, parse, button.day, draft.data)
    if isinstance(button, cb.QuickAmount) and draft.step == Step.AMOUNT.name:
        return await _chose_amount(update, context, draft, button.choice)
    if draft.step == Step.LINK.name:
        return await _chose_link(update, context, draft, button)
    if isinstance(button, cb.QuickCancel):
        return await QUICK.cancel(update, context, claim=False, everything=False)
    return await QUICK.state(context)


async def _stage(context: BotContext, data: dict[str, Any], step: Step) -> dict[str, Any]:
    """Keep the answers so far and the step: in the flow's draft once ``data`` came from it
    (it carries the draft's nonce), else in a new one that ends any other flow."""
    if NONCE in data:
        return dict((await QUICK.save(context, step, data)).data)
    return dict((await QUICK.start(context, step, data)).data)


async def _chose_link(
    update: Update, context: BotContext, draft: Draft, button: cb.Button
) -> Step | int:
    """Which account or contact ``@name``/``+name`` meant: one of them, More, or new."""
    data = dict(draft.data)
    field = str(data["asking"])
    if isinstance(button, cb.QuickMore):
        await ask_link(update, context, data, None, button.page, edit=True)
        return Step.LINK
    if not isinstance(button, cb.QuickLink):
        return Step.LINK
    data[field] = button.choice if button.choice == NEW else int(button.choice)
    parse, _ = await parse_line(context, data["line"], _bare_choice(data))
    return await _create(update, context, parse, date.fromisoformat(data["close"]), data)


async def _chose_amount(
    update: Update, context: BotContext, draft: Draft, choice: str
) -> Step | int:
    """[₫11] or [part of the name]: read the line again with that answer."""
    data = dict(draft.data)
    data["bare"] = NAME
    if choice != "n":
        parse, _ = await parse_line(context, data["line"])
        doubt = _doubt(parse, "amount")
        candidates = doubt.candidates if doubt is not None else ()
        index = int(choice) if choice.isdigit() else -1
        money = candidates[index] if 0 <= index < len(candidates) else None
        if not isinstance(money, Money):
            return Step.AMOUNT
        data["bare"] = [money.minor_units, money.currency]
    return await _go_on(update, context, data, draft)


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel while a one-liner waits for its date or correction."""
    return await QUICK.cancel(update, context, claim=False)


def build_quick_new_conversation(flows: ActiveFlows) -> ConversationHandler:
    text = QUICK.typed(flows)
    button = CallbackQueryHandler(pressed_quick_button, pattern=cb.pattern(cb.QUICK_FORM))
    return QUICK.conversation(
        entry_points=[
            CommandHandler("new", quick_new, has_args=True),
            CallbackQueryHandler(pressed_edit, pattern=rf"^{cb.DEAL}:edit:"),
        ],
        states={
            Step.CLOSE_DATE: [MessageHandler(text, received_close_date), button],
            Step.EDIT_LINE: [MessageHandler(text, received_edit_line)],
            Step.AMOUNT: [button],
            Step.LINK: [button],
        },
        fallbacks=[
            CommandHandler("cancel", cancel),
            CommandHandler("new", quick_new, has_args=True),
        ],
    )
