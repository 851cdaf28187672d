"""One-line deal commands: /deal, /won, /lost, /stage, /close, /note, /find."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.handlers.deals.card_view import card_message
from bot.handlers.deals.pick import STAGES, ask_which_deal, picked
from bot.handlers.deals.reopen import ask_reopen
from bot.handlers.deals.stages import show_stages
from bot.handlers.deals.text import match_stage, split_deal
from bot.handlers.deals.views import stage_label
from bot.handlers.members.group import announce_win, load_win
from bot.invalid import already_past, explain
from bot.labels import STAGE_NAMES, coded_name, stage_aliases
from bot.parsing import find_dates
from bot.parsing.results import Ambiguous, ParseError
from storage.errors import Conflict, InvalidInput, NotFound
from storage.models import (
    Account,
    ActivityKind,
    Contact,
    Lead,
    Opportunity,
    Result,
    Stage,
    StageKind,
)
from storage.opportunities import add_activity, update_opportunity
from storage.queries import AmbiguousDeal, search
from storage.stages import move_stage, team_stages


def _words(update: Update, args: list[str] | None = None) -> list[str]:
    """The command's words: ``args`` when a picked deal runs it again, else as typed."""
    return args if args is not None else (update.effective_message.text or "").split()[1:]


async def _reply(update: Update, text: str) -> None:
    await update.effective_message.reply_text(text)


async def _with_deal(
    update: Update,
    context: BotContext,
    words: list[str],
    usage: str,
    action: Callable[[Opportunity, list[str]], Awaitable[None]],
    command: str,
    extra: list[str] | None = None,
) -> None:
    """Find the deal the leading words name, then run ``action``; explain every failure.

    When they name several deals, the member picks one and ``command`` runs again on it,
    with the words after the deal's and then ``extra`` (the stage or date it was given).
    """
    t = context.t
    if not words:
        await _reply(update, usage)
        return
    try:
        async with context.reading() as uow:
            deal, rest = await split_deal(uow, context.actor, words)
    except NotFound:
        await _reply(
            update,
            t._("No deal of yours matches “{text}”.").format(text=html.escape(" ".join(words))),
        )
        return
    except AmbiguousDeal as ambiguous:
        rest = [*words[ambiguous.words_used :], *(extra or [])]
        typed = " ".join(words[: ambiguous.words_used])
        await ask_which_deal(update, context, command, ambiguous.candidates, rest, typed)
        return
    try:
        await action(deal, rest)
    except Conflict:
        card, keyboard = await card_message(context, deal.id)
        await update.effective_message.reply_text(
            t._("This deal changed meanwhile; nothing was overwritten. Here it is now:")
            + "\n\n"
            + card,
            reply_markup=keyboard,
        )
    except InvalidInput as error:
        await _reply(update, explain(t, error))
    except NotFound:
        await _reply(update, t._("That deal was not found."))


async def _stage_of_kind(context: BotContext, kind: StageKind) -> Stage:
    async with context.reading() as uow:
        stages = await team_stages(uow, context.actor.team_id)
    return next(stage for stage in stages if stage.kind is kind)


async def _moved(update: Update, context: BotContext, deal_id: int, header: str) -> None:
    card, keyboard = await card_message(context, deal_id)
    await update.effective_message.reply_text(header + "\n\n" + card, reply_markup=keyboard)


async def _won(update: Update, context: BotContext, deal_id: int, header: str) -> None:
    """Answer the mover first, then congratulate the owner and tell the team's group."""
    notice = await load_win(context, deal_id)
    await _moved(update, context, deal_id, header)
    if notice is not None:
        await announce_win(context, notice)


async def show_deal(update: Update, context: BotContext, args: list[str] | None = None) -> None:
    """/deal <id or name>: the deal's card."""

    async def show(deal: Opportunity, rest: list[str]) -> None:
        card, keyboard = await card_message(context, deal.id)
        await update.effective_message.reply_text(card, reply_markup=keyboard)

    usage = context.t._("Which deal? For example <code>/deal 12</code> or <code>/deal Acme</code>.")
    await _with_deal(update, context, _words(update, args), usage, show, "deal")


async def won(update: Update, context: BotContext, args: list[str] | None = None) -> None:
    """/won <deal>: closed won."""
    t = context.t

    async def mark_won(deal: Opportunity, rest: list[str]) -> None:
        stage = await _stage_of_kind(context, StageKind.WON)
        if deal.result is Result.LOST:
            await ask_reopen(update, context, deal, stage, None)
            return
        async with context.uow() as uow:
            await move_stage(
                uow,
                context.actor,
                deal.id,
                stage.id,
                expected_version=deal.version,
                idempotency_key=context.update_key,
                only_if_open=True,
            )
        await _won(update, context, deal.id, t._("Congratulations on the win! 🎉"))

    usage = t._("Which deal did you win? For example <code>/won Acme ERP</code>.")
    await _with_deal(update, context, _words(update, args), usage, mark_won, "won")


async def lost(update: Update, context: BotContext, args: list[str] | None = None) -> None:
    """/lost <deal> <reason>: closed lost, with the reason."""
    t = context.t

    async def mark_lost(deal: Opportunity, rest: list[str]) -> None:
        if not rest:
            await _reply(
                update,
                t._("Please add why it was lost, e.g. <code>/lost Acme price too high</code>."),
            )
            return
        stage = await _stage_of_kind(context, StageKind.LOST)
        if deal.result is Result.WON:
            await ask_reopen(update, context, deal, stage, " ".join(rest))
            return
        async with context.uow() as uow:
            await move_stage(
                uow,
                context.actor,
                deal.id,
                stage.id,
                expected_version=deal.version,
                lost_reason=" ".join(rest),
                idempotency_key=context.update_key,
                only_if_open=True,
            )
        await _moved(update, context, deal.id, t._("Marked as lost. Better luck next time."))

    usage = t._("Which deal was lost, and why? For example <code>/lost Acme price too high</code>.")
    await _with_deal(update, context, _words(update, args), usage, mark_lost, "lost")


async def stage(update: Update, context: BotContext, args: list[str] | None = None) -> None:
    """/stage <deal> <stage>: move a deal."""
    t = context.t
    async with context.reading() as uow:
        stages = await team_stages(uow, context.actor.team_id)
    aliases = {s.id: stage_aliases(s.code, s.name) for s in stages}
    words = _words(update, args)
    target, deal_words = match_stage(words, stages, aliases)
    names = ", ".join(coded_name(t, STAGE_NAMES, s.code, s.name) for s in stages)
    usage = t._(
        "Which deal and which stage? For example <code>/stage Acme proposal</code>.\n"
        "Stages: {names}"
    ).format(names=html.escape(names))
    if target is None:
        await _reply(update, usage)
        return
    if target.kind is StageKind.LOST:
        await _reply(update, t._("To close a deal as lost, use /lost with the reason."))
        return

    async def move(deal: Opportunity, rest: list[str]) -> None:
        if target.kind is StageKind.WON and deal.result is Result.LOST:
            await ask_reopen(update, context, deal, target, None)
            return
        async with context.uow() as uow:
            moved = await move_stage(
                uow,
                context.actor,
                deal.id,
                target.id,
                expected_version=deal.version,
                idempotency_key=context.update_key,
            )
        header = t._("Moved to {stage}.").format(
            stage=html.escape(stage_label(t, target, moved.probability))
        )
        if target.kind is StageKind.WON:
            await _won(update, context, deal.id, header)
        else:
            await _moved(update, context, deal.id, header)

    await _with_deal(update, context, deal_words, usage, move, "stage", words[len(deal_words) :])


async def close_date(update: Update, context: BotContext, args: list[str] | None = None) -> None:
    """/close <deal> <date>: a new expected close date."""
    t = context.t
    text = " ".join(_words(update, args))
    found = find_dates(text, t.language, context.today())
    usage = t._("Which deal and which date? For example <code>/close Acme 31/12</code>.")
    if len(found) != 1:
        await _reply(update, usage)
        return
    result = found[0].result
    if isinstance(result, ParseError):
        if result.code == "past":
            await _reply(
                update,
                already_past(t, result.value, gregorian=context.fmt.gregorian),
            )
        else:
            await _reply(update, t._("I could not read that date.") + "\n" + usage)
        return
    deal_words = (text[: found[0].start] + " " + text[found[0].end :]).split()

    async def set_date(deal: Opportunity, rest: list[str]) -> None:
        if isinstance(result, Ambiguous):
            # The readings as buttons, the same ones a reminder's "New date" offers.
            buttons = [
                [
                    InlineKeyboardButton(
                        context.fmt.date(day, fmt="full"),
                        callback_data=cb.PushDate(deal.id, day).pack(),
                    )
                ]
                for day in result.candidates
            ]
            await update.effective_message.reply_text(
                t._("Which date did you mean?"), reply_markup=InlineKeyboardMarkup(buttons)
            )
            return
        async with context.uow() as uow:
            await update_opportunity(
                uow,
                context.actor,
                deal.id,
                {"close_date": result},
                expected_version=deal.version,
            )
        header = t._("New close date: {date}.").format(date=context.fmt.date(result))
        await _moved(update, context, deal.id, header)

    await _with_deal(update, context, deal_words, usage, set_date, "close", [found[0].text])


async def note(update: Update, context: BotContext, args: list[str] | None = None) -> None:
    """/note <deal> <text>: log a note on a deal."""
    t = context.t

    async def log(deal: Opportunity, rest: list[str]) -> None:
        if not rest:
            await _reply(update, t._("What should the note say?"))
            return
        async with context.uow() as uow:
            await add_activity(
                uow,
                context.actor,
                deal.id,
                ActivityKind.NOTE,
                " ".join(rest),
                idempotency_key=context.update_key,
            )
        await _reply(update, t._("Note added to {name}.").format(name=html.escape(deal.name)))

    usage = t._(
        "Which deal, and what note? For example <code>/note Acme called, wants a demo</code>."
    )
    await _with_deal(update, context, _words(update, args), usage, log, "note")


async def find(update: Update, context: BotContext) -> None:
    """/find <text>: deals, contacts, accounts and leads whose name contains the text."""
    t = context.t
    text = " ".join(_words(update))
    if not text:
        await _reply(update, t._("What should I look for? For example <code>/find nguyen</code>."))
        return
    async with context.reading() as uow:
        deals = await search(uow, context.actor, Opportunity, text, limit=8)
        contacts = await search(uow, context.actor, Contact, text, limit=5)
        accounts = await search(uow, context.actor, Account, text, limit=5)
        leads = await search(uow, context.actor, Lead, text, limit=5)
    sections = []
    if deals:
        sections.append(
            "<b>"
            + t._("Deals")
            + "</b>\n"
            + "\n".join(
                f"#{d.id} {html.escape(d.name)} · {context.fmt.date(d.close_date)}" for d in deals
            )
        )
    if contacts:
        sections.append(
            "<b>" + t._("Contacts") + "</b>\n" + "\n".join(html.escape(c.name) for c in contacts)
        )
    if accounts:
        sections.append(
            "<b>" + t._("Accounts") + "</b>\n" + "\n".join(html.escape(a.name) for a in accounts)
        )
    if leads:
        sections.append(
            "<b>"
            + t._("Leads")
            + "</b>\n"
            + "\n".join(html.escape(lead.person_name) for lead in leads)
        )
    if not sections:
        await _reply(update, t._("Nothing matches “{text}”.").format(text=html.escape(text)))
        return
    await _reply(update, "\n\n".join(sections))


# The commands a "which deal?" button runs again on the picked deal.
BY_NAME = {
    "deal": show_deal,
    "won": won,
    "lost": lost,
    "stage": stage,
    "close": close_date,
    "note": note,
}


async def pressed_pick(update: Update, context: BotContext) -> None:
    """A deal's button under "Which one?" runs the command on it; More shows the next eight."""
    choice = await picked(update, context)
    if choice is None:
        return
    command, deal_id, words = choice
    if command == STAGES:
        await show_stages(update, context, deal_id, None, edit=False)
        return
    await BY_NAME[command](update, context, [f"#{deal_id}", *words])


def handlers() -> list[object]:
    return [
        CallbackQueryHandler(pressed_pick, pattern=cb.pattern(cb.PICK)),
        CommandHandler("deal", show_deal),
        CommandHandler("won", won),
        CommandHandler("lost", lost),
        CommandHandler("stage", stage),
        CommandHandler("close", close_date),
        CommandHandler("note", note),
        CommandHandler("find", find),
    ]
