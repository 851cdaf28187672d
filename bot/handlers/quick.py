"""/new <one line>: save a deal from one message, ask only for what is missing."""

from __future__ import annotations

import enum
import warnings
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.ext import (
    CallbackQueryHandler,
    CommandHandler,
    ConversationHandler,
    MessageHandler,
    filters,
)
from telegram.warnings import PTBUserWarning

from bot import callback_data as cb
from bot.context import BotContext
from bot.conversations import endings
from bot.deal_text import explain_problems
from bot.flows import ActiveFlows
from bot.formatting import format_date
from bot.invalid import explain
from bot.labels import STAGE_NAMES, coded_name, stage_aliases
from bot.parsing import DealLineParse, parse_date, parse_deal_line
from bot.parsing.results import Ambiguous, ParseError
from bot.views import deal_card, short_description
from storage import idempotency
from storage.cards import deal_card as load_card
from storage.drafts import (
    NONCE,
    discard_all_drafts,
    discard_draft,
    get_draft,
    is_expired,
    stage_draft,
)
from storage.errors import Conflict, InvalidInput, NotFound
from storage.models import Rating
from storage.opportunities import OpportunityInput, delete_opportunity, update_opportunity
from storage.quick_create import QuickCreated, create_from_line
from storage.stages import move_stage, team_stages

FLOW = "quick"


class Step(enum.IntEnum):
    CLOSE_DATE = 1
    EDIT_LINE = 2


def _line_of(message: Message) -> str:
    """The message text after the command, as typed (quotes and spacing kept)."""
    return (message.text or "").partition(" ")[2].strip()


def _message_key(message: Message) -> str:
    return idempotency.message_key(message.get_bot().id, message.chat_id, message.message_id)


async def _parse(context: BotContext, text: str) -> tuple[DealLineParse, dict[object, str]]:
    async with context.uow() as uow:
        stages = await team_stages(uow, context.actor.team_id)
    parse = parse_deal_line(
        text,
        context.t.language,
        context.today(),
        context.member.currency,
        [(stage.id, stage_aliases(stage.code, stage.name)) for stage in stages],
    )
    names = {
        stage.id: coded_name(context.t, STAGE_NAMES, stage.code, stage.name) for stage in stages
    }
    return parse, names


def card_keyboard(
    context: BotContext,
    deal_id: int,
    version: int | None = None,
    *,
    undo: bool = False,
    show_all: bool = False,
) -> InlineKeyboardMarkup:
    """A deal card's buttons; Undo only on the answer to a fresh quick-create.

    ``version`` is the version the card shows: Move stage carries it, so a move made from
    a card someone changed since is refused instead of overwriting their change.
    """
    t = context.t
    move = cb.encode(cb.DEAL_CARD, "mv", deal_id, *([] if version is None else [version]))
    rows = [
        [
            InlineKeyboardButton(t._("Move stage"), callback_data=move),
            InlineKeyboardButton(t._("Edit"), callback_data=cb.encode(cb.DEAL, "edit", deal_id)),
        ],
        [
            InlineKeyboardButton(
                t._("Log activity"), callback_data=cb.encode(cb.DEAL_CARD, "act", deal_id)
            ),
            InlineKeyboardButton(
                t._("History"), callback_data=cb.encode(cb.DEAL_CARD, "hist", deal_id)
            ),
        ],
    ]
    if show_all:
        rows.append(
            [
                InlineKeyboardButton(
                    t._("Show the whole description"),
                    callback_data=cb.encode(cb.DEAL_CARD, "desc", deal_id),
                )
            ]
        )
    if undo:
        rows.insert(
            0,
            [InlineKeyboardButton(t._("Undo"), callback_data=cb.encode(cb.DEAL, "undo", deal_id))],
        )
    return InlineKeyboardMarkup(rows)


async def card_text(context: BotContext, deal_id: int) -> str:
    return (await card_message(context, deal_id))[0]


async def card_message(
    context: BotContext, deal_id: int, *, undo: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    """The card's text and buttons from one read, the buttons carrying its version.

    Raises:
        NotFound: no such deal, or another rep's.
    """
    async with context.reading() as uow:
        card = await load_card(uow, context.actor, deal_id)
    text = deal_card(
        context.t, card, today=context.today(), gregorian=context.member.gregorian_years
    )
    cut = short_description(card.description) != card.description
    return text, card_keyboard(context, deal_id, card.version, undo=undo, show_all=cut)


def _usage(context: BotContext) -> str:
    return context.t._(
        "Write the deal in one line: name, amount, close date, and optionally rating, "
        "stage, @account, +contact, #campaign. For example:\n"
        "<code>/new Acme ERP 50tr 31/12 hot @Acme</code>"
    )


async def quick_new(update: Update, context: BotContext) -> Step | int:
    """Read a one-line deal; save it, or ask for the close date if it is missing."""
    message = update.effective_message
    text = _line_of(message)
    if not text:
        await message.reply_text(_usage(context))
        return ConversationHandler.END
    parse, stage_names = await _parse(context, text)
    problems = explain_problems(context.t, parse, stage_names)
    if problems:
        await message.reply_text(
            problems + "\n" + context.t._("Send /new again with the corrected line.")
        )
        return ConversationHandler.END
    if parse.close_date is None:
        return await _ask_close_date(update, context, text)
    return await _create(update, context, text, parse, parse.close_date, _message_key(message))


async def _ask_close_date(update: Update, context: BotContext, text: str) -> Step:
    async with context.uow() as uow:
        await discard_all_drafts(uow, context.actor)
        draft = stage_draft(
            uow,
            context.actor,
            None,
            flow=FLOW,
            step=Step.CLOSE_DATE.name,
            data={"line": text, "key": _message_key(update.effective_message)},
            ttl=context.bot_data.settings.draft_ttl,
            now=context.now(),
        )
        await idempotency.claim(uow.session, context.update_key)
        await uow.commit()
    context.enter_flow(FLOW)
    await _send_date_question(update, context, draft.data[NONCE])
    return Step.CLOSE_DATE


async def _send_date_question(
    update: Update, context: BotContext, nonce: str, prefix: str = ""
) -> None:
    t = context.t
    today = context.today()
    quarter_end_month = ((today.month - 1) // 3 + 1) * 3
    choices = [
        (t._("End of this month"), _month_end(today.year, today.month)),
        (t._("End of next month"), _month_end(today.year, today.month + 1)),
        (t._("End of quarter"), _month_end(today.year, quarter_end_month)),
    ]
    rows = [
        [
            InlineKeyboardButton(
                f"{name} ({format_date(day, t.language, fmt='short')})",
                callback_data=cb.encode(cb.QUICK_FORM, nonce, "d", day.strftime("%Y%m%d")),
            )
        ]
        for name, day in choices
    ]
    rows.append(
        [InlineKeyboardButton(t._("Cancel"), callback_data=cb.encode(cb.QUICK_FORM, nonce, "x"))]
    )
    await update.effective_message.reply_text(
        prefix + t._("When is this deal expected to close? For example 31/12 or end of month."),
        reply_markup=InlineKeyboardMarkup(rows),
    )


def _month_end(year: int, month: int) -> date:
    year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    following = date(year + month // 12, month % 12 + 1, 1)
    return date.fromordinal(following.toordinal() - 1)


async def _create(
    update: Update,
    context: BotContext,
    text: str,
    parse: DealLineParse,
    close_date: date,
    key: str,
) -> int:
    data = OpportunityInput(
        name=parse.name,
        close_date=close_date,
        amount=parse.amount.minor_units if parse.amount else 0,
        currency=parse.amount.currency if parse.amount else None,
        stage_id=int(parse.stage_id) if parse.stage_id is not None else None,
        rating=Rating(parse.rating) if parse.rating else None,
    )
    try:
        async with context.uow() as uow:
            await discard_draft(uow, context.actor, FLOW)
            await idempotency.claim(uow.session, context.update_key)
            created = await create_from_line(
                uow,
                context.actor,
                data,
                account_name=parse.account,
                contact_name=parse.contact,
                campaign_name=parse.campaign,
                idempotency_key=key,
            )
    except InvalidInput as error:
        await update.effective_message.reply_text(
            explain(context.t, error) + "\n" + _usage(context)
        )
        return ConversationHandler.END
    context.leave_flow(FLOW)
    await _answer_created(update, context, created)
    return ConversationHandler.END


async def _answer_created(update: Update, context: BotContext, created: QuickCreated) -> None:
    t = context.t
    notes = []
    if created.account_created:
        notes.append(t._("New account created."))
    if created.contact_created:
        notes.append(t._("New contact created."))
    if created.campaign_missing:
        notes.append(t._("No campaign has that name, so none was linked."))
    header = t._("Deal saved.") if not created.replayed else t._("This deal was already saved.")
    card, keyboard = await card_message(context, created.opportunity.id, undo=True)
    text = "\n".join([header, *notes, "", card])
    await update.effective_message.reply_text(text, reply_markup=keyboard)


def _date_from(context: BotContext, text: str) -> tuple[date | None, str]:
    result = parse_date(text, context.t.language, context.today())
    t = context.t
    if isinstance(result, date):
        return result, ""
    if isinstance(result, Ambiguous):
        options = " / ".join(format_date(day, t.language) for day in result.candidates)
        return None, t._("Which date did you mean: {options}?").format(options=options) + " "
    if isinstance(result, ParseError) and result.code == "past":
        return None, t._("{date} is already past. Did you mean a later date?").format(
            date=format_date(result.value, t.language)
        ) + " "
    return None, t._("I could not read that date.") + " "


async def received_close_date(update: Update, context: BotContext) -> Step | int:
    """The close date the one-liner was missing, typed."""
    async with context.uow() as uow:
        draft = await get_draft(uow, context.actor, FLOW)
    if draft is None or draft.step != Step.CLOSE_DATE.name or is_expired(draft, context.now()):
        return ConversationHandler.END
    day, problem = _date_from(context, update.effective_message.text or "")
    if day is None:
        await _send_date_question(update, context, draft.data[NONCE], prefix=problem)
        return Step.CLOSE_DATE
    parse, _ = await _parse(context, draft.data["line"])
    return await _create(update, context, draft.data["line"], parse, day, draft.data["key"])


async def pressed_quick_button(update: Update, context: BotContext) -> Step | int:
    """A close-date button, or Cancel."""
    query = update.callback_query
    await query.answer()
    _, parts = cb.parse(query.data)
    async with context.uow() as uow:
        draft = await get_draft(uow, context.actor, FLOW)
    if draft is None or not parts or parts[0] != draft.data.get(NONCE):
        await update.effective_message.reply_text(
            context.t._("That button belongs to a draft that is no longer open.")
        )
        return ConversationHandler.END if draft is None else Step[draft.step]
    if len(parts) == 3 and parts[1] == "d" and draft.step == Step.CLOSE_DATE.name:
        day = date(int(parts[2][:4]), int(parts[2][4:6]), int(parts[2][6:]))
        parse, _ = await _parse(context, draft.data["line"])
        return await _create(update, context, draft.data["line"], parse, day, draft.data["key"])
    return await endings.cancelled(update, context, FLOW)


async def pressed_edit(update: Update, context: BotContext) -> Step | int:
    """Edit on a deal card: the next line corrects the deal."""
    query = update.callback_query
    await query.answer()
    _, parts = cb.parse(query.data)
    try:
        async with context.uow() as uow:
            card = await load_card(uow, context.actor, int(parts[1]))
    except (NotFound, ValueError, IndexError):
        await update.effective_message.reply_text(context.t._("That deal was not found."))
        return ConversationHandler.END
    async with context.uow() as uow:
        await discard_all_drafts(uow, context.actor)
        stage_draft(
            uow,
            context.actor,
            None,
            flow=FLOW,
            step=Step.EDIT_LINE.name,
            data={"deal_id": card.id, "version": card.version},
            ttl=context.bot_data.settings.draft_ttl,
            now=context.now(),
        )
        await uow.commit()
    context.enter_flow(FLOW)
    await update.effective_message.reply_text(
        context.t._(
            "Send what to change in one line, e.g. <code>60tr 15/01 warm</code>. "
            "Only what you write changes; /cancel keeps the deal as it is."
        )
    )
    return Step.EDIT_LINE


async def received_edit_line(update: Update, context: BotContext) -> Step | int:
    """Apply a corrected line to the deal being edited."""
    async with context.uow() as uow:
        draft = await get_draft(uow, context.actor, FLOW)
    if draft is None or draft.step != Step.EDIT_LINE.name:
        return ConversationHandler.END
    t = context.t
    parse, stage_names = await _parse(context, update.effective_message.text or "")
    problems = explain_problems(t, parse, stage_names)
    if problems:
        await update.effective_message.reply_text(problems)
        return Step.EDIT_LINE
    changes: dict[str, object] = {}
    if parse.name:
        changes["name"] = parse.name
    if parse.amount:
        changes["amount"] = parse.amount.minor_units
        changes["currency"] = parse.amount.currency
    if parse.close_date:
        changes["close_date"] = parse.close_date
    if parse.rating:
        changes["rating"] = Rating(parse.rating)
    deal_id, version = draft.data["deal_id"], draft.data["version"]
    try:
        if changes:
            async with context.uow() as uow:
                deal = await update_opportunity(
                    uow, context.actor, deal_id, changes, expected_version=version
                )
                version = deal.version
        if parse.stage_id is not None:
            async with context.uow() as uow:
                await move_stage(
                    uow, context.actor, deal_id, int(parse.stage_id), expected_version=version
                )
    except Conflict:
        card, keyboard = await card_message(context, deal_id)
        await update.effective_message.reply_text(
            t._("This deal changed meanwhile; nothing was overwritten. Here it is now:")
            + "\n\n"
            + card,
            reply_markup=keyboard,
        )
        return await _end_edit(context)
    except InvalidInput as error:
        await update.effective_message.reply_text(explain(t, error))
        return Step.EDIT_LINE
    card, keyboard = await card_message(context, deal_id)
    await update.effective_message.reply_text(
        t._("Deal updated.") + "\n\n" + card, reply_markup=keyboard
    )
    return await _end_edit(context)


async def _end_edit(context: BotContext) -> int:
    async with context.uow() as uow:
        await discard_draft(uow, context.actor, FLOW)
        await idempotency.claim(uow.session, context.update_key)
        await uow.commit()
    context.leave_flow(FLOW)
    return ConversationHandler.END


async def cancel(update: Update, context: BotContext) -> int:
    """/cancel while a one-liner waits for its date or correction."""
    return await endings.cancelled(update, context)


async def pressed_undo(update: Update, context: BotContext) -> None:
    """Undo on a freshly saved deal: delete it."""
    query = update.callback_query
    await query.answer()
    _, parts = cb.parse(query.data)
    try:
        async with context.uow() as uow:
            await delete_opportunity(uow, context.actor, int(parts[1]))
    except (NotFound, ValueError, IndexError):
        await update.effective_message.reply_text(context.t._("That deal was not found."))
        return
    await query.edit_message_text(context.t._("Undone: the deal was deleted."))


def build_quick_new_conversation(flows: ActiveFlows) -> ConversationHandler:
    text = filters.TEXT & ~filters.COMMAND & flows.only(FLOW)
    with warnings.catch_warnings():
        # Typed answers and buttons share the flow, so per_message stays False; PTB
        # warns about exactly that combination.
        warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
        return ConversationHandler(
            name=FLOW,
            entry_points=[
                CommandHandler("new", quick_new, has_args=True),
                CallbackQueryHandler(pressed_edit, pattern=rf"^{cb.DEAL}:edit:"),
            ],
            states={
                Step.CLOSE_DATE: [
                    MessageHandler(text, received_close_date),
                    CallbackQueryHandler(pressed_quick_button, pattern=cb.pattern(cb.QUICK_FORM)),
                ],
                Step.EDIT_LINE: [MessageHandler(text, received_edit_line)],
            },
            fallbacks=[
                CommandHandler("cancel", cancel),
                CommandHandler("new", quick_new, has_args=True),
            ],
            per_user=True,
            per_chat=True,
            per_message=False,
            persistent=True,
        )


def handlers() -> list[object]:
    return [
        # /new alone is the guided form (bot.conversations.new_deal).
        CallbackQueryHandler(pressed_undo, pattern=rf"^{cb.DEAL}:undo:"),
    ]
