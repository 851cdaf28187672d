"""/team: the team's reminder days and when a deal counts as stuck; a manager changes them."""

from __future__ import annotations

import re

from telegram import Update
from telegram.ext import CommandHandler

from bot.context import BotContext
from bot.i18n import Translator
from storage.errors import Forbidden, InvalidInput
from storage.team_rules import MAX_OFFSET, MAX_OFFSETS, STALE_DAYS, TeamRules, update_team_rules
from storage.team_rules import team_rules as load_rules

_REMINDERS = ("reminders", "reminder", "remind")
_STUCK = ("stuck", "stale")


def rules_text(t: Translator, rules: TeamRules) -> str:
    days = ", ".join(str(offset) for offset in rules.reminder_offsets)
    return "\n".join(
        [
            "👥 <b>{}</b>".format(t._("Your team's rules")),
            t._("Reminders: {days} days before the close date (0 is the day itself).").format(
                days=days
            ),
            t.n_(
                "Stuck: an open deal with no stage change for {n} day.",
                "Stuck: an open deal with no stage change for {n} days.",
                rules.stale_days,
            ).format(n=rules.stale_days),
        ]
    )


def _how_to(t: Translator) -> str:
    return t._(
        "A manager changes them, for example <code>/team reminders 7,3,1,0</code> or "
        "<code>/team stuck 10</code>."
    )


def _changes(args: list[str]) -> dict[str, object] | None:
    """What ``/team reminders 7,3,1,0`` or ``/team stuck 10`` asks for; None if unreadable."""
    what = args[0].lower()
    value = " ".join(args[1:])
    if what in _REMINDERS and re.fullmatch(r"\d{1,3}(?:[,\s]+\d{1,3})*", value.strip()):
        return {"reminder_offsets": [int(day) for day in re.split(r"[,\s]+", value.strip())]}
    if what in _STUCK and value.strip().isdigit():
        return {"stale_days": int(value)}
    return None


def _refusal(t: Translator, error: InvalidInput) -> str:
    if error.field == "stale_days":
        return t._("The stuck threshold must be between {low} and {high} days.").format(
            low=STALE_DAYS[0], high=STALE_DAYS[-1]
        )
    return t._("Give 1 to {count} reminder days, each from 0 to {most}.").format(
        count=MAX_OFFSETS, most=MAX_OFFSET
    )


async def team(update: Update, context: BotContext) -> None:
    """/team shows the rules; /team reminders 7,3,1,0 and /team stuck 10 change them."""
    t, message = context.t, update.effective_message
    if not context.args:
        async with context.uow() as uow:
            rules = await load_rules(uow, context.actor)
        await message.reply_text(rules_text(t, rules) + "\n\n" + _how_to(t))
        return
    changes = _changes(context.args)
    if changes is None:
        await message.reply_text(t._("I could not read that.") + " " + _how_to(t))
        return
    try:
        async with context.uow() as uow:
            rules = await update_team_rules(uow, context.actor, context.actor.team_id, **changes)
    except Forbidden:
        await message.reply_text(t._("Only a manager can change the team's rules."))
        return
    except InvalidInput as error:
        await message.reply_text(_refusal(t, error))
        return
    await message.reply_text(t._("Saved.") + "\n\n" + rules_text(t, rules))


def handlers() -> list[object]:
    return [CommandHandler("team", team)]
