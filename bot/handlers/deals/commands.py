"""One-line deal commands: /deal, /won, /lost, /stage, /close, /note, /find."""

from __future__ import annotations

import html
from collections.abc import Awaitable, Callable
from typing import TypeVar

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.handlers.deals.outcomes import answer
from bot.handlers.deals.pick import STAGES, ask_which_deal, picked
from bot.handlers.deals.stages import show_stages
from bot.handlers.deals.text import match_stage
from bot.handlers.deals.views import stage_label
from bot.invalid import already_past, explain
from bot.labels import STAGE_NAMES, coded_name, stage_aliases
from bot.parsing import find_dates
from bot.parsing.results import Ambiguous, ParseError
from storage import deal_actions
from storage.errors import InvalidInput, NotFound
from storage.models import (
    Account,
    Contact,
    Lead,
    Opportunity,
    Stage,
    StageKind,
)
from storage.queries import AmbiguousDeal, search

T = TypeVar("T")


def _words(update: Update, args: list[str] | None = None) -> list[str]:
    """The command's words: ``args`` when a picked deal runs it again, else as typed."""
    return args if args is not None else (update.effective_message.text or "").split()[1:]


async def _reply(update: Update, text: str) -> None:
    await update.effective_message.reply_text(text)


async def _act(
    update: Update,
    context: BotContext,
    words: list[str],
    usage: str,
    service: Callable[[], Awaitable[T]],
    command: str,
    extra: list[str] | None = None,
) -> T | None:
    """Run the storage ``service`` on the deal the leading words name; explain every failure.

    When they name several deals, the member picks one and ``command`` runs again on it,
    with the words after the deal's and then ``extra`` (the stage or date it was given).
    """
    t = context.t
    if not words:
        await _reply(update, usage)
        return None
    try:
        return await service()
    except NotFound:
        await _reply(
            update,
            t._("No deal of yours matches “{text}”.").format(text=html.escape(" ".join(words))),
        )
    except AmbiguousDeal as ambiguous:
        rest = [*words[ambiguous.words_used :], *(extra or [])]
        typed = " ".join(words[: ambiguous.words_used])
        await ask_which_deal(update, context, command, ambiguous.candidates, rest, typed)
    except InvalidInput as error:
        await _reply(update, explain(t, error))
    return None


async def show_deal(update: Update, context: BotContext, args: list[str] | None = None) -> None:
    """/deal <id or name>: the deal's card."""
    words = _words(update, args)
    usage = context.t._("Which deal? For example <code>/deal 12</code> or <code>/deal Acme</code>.")
    outcome = await _act(
        update,
        context,
        words,
        usage,
        lambda: deal_actions.show(context.reading(), context.actor, words),
        "deal",
    )
    await answer(update, context, outcome, "")


async def _close(
    update: Update,
    context: BotContext,
    words: list[str],
    usage: str,
    command: str,
    kind: StageKind,
    header: str,
    target: Stage | None = None,
    extra: list[str] | None = None,
) -> None:
    """/won, /lost and /stage: one service call, one answer."""
    stage = target if target is not None else await context.stage_of_kind(kind)
    outcome = await _act(
        update,
        context,
        words,
        usage,
        lambda: deal_actions.close(
            context.uow(),
            context.actor,
            words,
            stage=stage,
            closing=target is None,
            key=context.update_key,
        ),
        command,
        extra,
    )
    if isinstance(outcome, deal_actions.Done) and target is not None:
        label = stage_label(context.t, target, outcome.probability or target.probability)
        header = header.format(stage=html.escape(label))
    await answer(update, context, outcome, header)


async def won(update: Update, context: BotContext, args: list[str] | None = None) -> None:
    """/won <deal>: closed won."""
    t = context.t
    usage = t._("Which deal did you win? For example <code>/won Acme ERP</code>.")
    header = t._("Congratulations on the win! 🎉")
    await _close(update, context, _words(update, args), usage, "won", StageKind.WON, header)


async def lost(update: Update, context: BotContext, args: list[str] | None = None) -> None:
    """/lost <deal> <reason>: closed lost, with the reason."""
    t = context.t
    usage = t._("Which deal was lost, and why? For example <code>/lost Acme price too high</code>.")
    header = t._("Marked as lost. Better luck next time.")
    await _close(update, context, _words(update, args), usage, "lost", StageKind.LOST, header)


async def stage(update: Update, context: BotContext, args: list[str] | None = None) -> None:
    """/stage <deal> <stage>: move a deal."""
    t = context.t
    stages = await context.stages()
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
    # Kept as a template: the stage's probability is known once the deal has moved.
    header = t._("Moved to {stage}.")
    rest = words[len(deal_words) :]
    await _close(update, context, deal_words, usage, "stage", target.kind, header, target, rest)


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
    extra = [found[0].text]
    if isinstance(result, Ambiguous):
        named = await _act(
            update,
            context,
            deal_words,
            usage,
            lambda: deal_actions.resolve(context.reading(), context.actor, deal_words),
            "close",
            extra,
        )
        if named is None:
            return
        # The readings as buttons, the same ones a reminder's "New date" offers.
        buttons = [
            [
                InlineKeyboardButton(
                    context.fmt.date(day, fmt="full"),
                    callback_data=cb.PushDate(named.deal_id, day).pack(),
                )
            ]
            for day in result.candidates
        ]
        await update.effective_message.reply_text(
            t._("Which date did you mean?"), reply_markup=InlineKeyboardMarkup(buttons)
        )
        return
    outcome = await _act(
        update,
        context,
        deal_words,
        usage,
        lambda: deal_actions.set_close_date(context.uow(), context.actor, deal_words, result),
        "close",
        extra,
    )
    header = t._("New close date: {date}.").format(date=context.fmt.date(result))
    await answer(update, context, outcome, header)


async def note(update: Update, context: BotContext, args: list[str] | None = None) -> None:
    """/note <deal> <text>: log a note on a deal."""
    t = context.t
    words = _words(update, args)
    usage = t._(
        "Which deal, and what note? For example <code>/note Acme called, wants a demo</code>."
    )
    noted = await _act(
        update,
        context,
        words,
        usage,
        lambda: deal_actions.note(context.uow(), context.actor, words, key=context.update_key),
        "note",
    )
    if noted is None:
        return
    named, logged = noted
    if not logged:
        await _reply(update, t._("What should the note say?"))
        return
    await _reply(update, t._("Note added to {name}.").format(name=html.escape(named.name)))


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
