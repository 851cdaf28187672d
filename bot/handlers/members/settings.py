"""/digest sends mine now; /settings: language, time zone, digest time and days, quiet mode,
and for Thai, Buddhist-era or Gregorian years."""

from __future__ import annotations

import html
import re
from datetime import time
from functools import cache
from zoneinfo import available_timezones

from babel.dates import get_day_names
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.handlers.digests.views import digest_messages
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, Translator
from bot.runtime.scheduler import paced
from storage.digests import load_digest
from storage.errors import InvalidInput
from storage.preferences import ALL_DAYS, Preferences, get_preferences, update_preferences

# Offered as buttons; any other IANA name can be typed: /settings tz Asia/Tokyo.
ZONES = (
    "Asia/Ho_Chi_Minh",
    "Asia/Bangkok",
    "Asia/Jakarta",
    "Asia/Phnom_Penh",
    "Asia/Vientiane",
    "Asia/Yangon",
    "Asia/Kuala_Lumpur",
    "Asia/Singapore",
    "Asia/Manila",
)
TIMES = tuple(time(hour, minute) for hour in range(6, 11) for minute in (0, 30))[:-1]
_TIME = re.compile(r"(\d{1,2})(?:[:h.](\d{2}))?")
_DAY_WORDS = {"weekdays": (1, 2, 3, 4, 5), "all": ALL_DAYS, "every": ALL_DAYS, "none": ()}
_ON, _OFF = ("on", "yes", "1", "true"), ("off", "no", "0", "false")
_GREGORIAN = ("gregorian", "ce", "ad", "ค.ศ.", "คศ")
_BUDDHIST = ("buddhist", "be", "พ.ศ.", "พศ")


async def my_digest(update: Update, context: BotContext) -> None:
    """/digest: my deals due, totals and stuck deals, now."""
    async with context.uow() as uow:
        digest = await load_digest(uow, context.actor, today=context.today(), now=context.now())
    messages = digest_messages(context.t, digest, gregorian=context.member.gregorian_years)
    for number, message in enumerate(messages):
        # The first part answers at once; the rest keep the one-a-second pace of a chat.
        pace = paced(context.application) if number else {}
        await context.bot.send_message(
            update.effective_chat.id, message.text, reply_markup=message.keyboard, **pace
        )


def _day_names(t: Translator, days: tuple[int, ...]) -> str:
    names = get_day_names("abbreviated", locale=t.language)
    return ", ".join(names[day - 1] for day in days) if days else t._("no days (digest off)")


def settings_text(t: Translator, prefs: Preferences) -> str:
    """The member's settings and how to change them."""
    zone = (
        html.escape(prefs.timezone)
        if prefs.timezone
        else t._("{zone} (the team's)").format(zone=html.escape(prefs.team_timezone))
    )
    quiet = (
        t._("on (no digest on days when nothing is due)")
        if prefs.only_when_due
        else t._("off (a digest comes even when nothing is due)")
    )
    language = LANGUAGE_NAMES.get(prefs.language or "", t._("not chosen"))
    lines = [
        "⚙️ <b>{}</b>".format(t._("Your settings")),
        t._("Language: {language}").format(language=language),
        t._("Time zone: {zone}").format(zone=zone),
        t._("Digest: {time} on {days}").format(
            time=f"{prefs.digest_time:%H:%M}", days=_day_names(t, prefs.digest_days)
        ),
        t._("Quiet mode: {quiet}").format(quiet=quiet),
    ]
    if t.language == "th":
        # Only Thai dates have another era to choose from.
        lines.append(t._("Years in dates: {era}").format(era=_era(t, prefs)))
    lines += [
        "",
        t._(
            "Change them with the buttons, or type for example <code>/settings time 07:30</code>, "
            "<code>/settings days 1-5</code>, <code>/settings tz Asia/Bangkok</code>, "
            "<code>/settings quiet on</code>."
        ),
    ]
    return "\n".join(lines)


def _era(t: Translator, prefs: Preferences) -> str:
    return t._("Gregorian (2026)") if prefs.gregorian_years else t._("Buddhist era (2569)")


def _button(text: str, what: str, value: object = None) -> InlineKeyboardButton:
    data = cb.Setting(what, None if value is None else str(value))
    return InlineKeyboardButton(text, callback_data=data.pack())


def settings_keyboard(t: Translator, prefs: Preferences) -> InlineKeyboardMarkup:
    quiet = t._("Quiet mode: on") if prefs.only_when_due else t._("Quiet mode: off")
    last_row = [_button(quiet, "q")]
    if t.language == "th":
        last_row.append(_button(t._("Years: {era}").format(era=_era(t, prefs)), "y"))
    return InlineKeyboardMarkup(
        [
            [_button(t._("Language"), "l"), _button(t._("Time zone"), "z")],
            [_button(t._("Digest time"), "t"), _button(t._("Digest days"), "d")],
            last_row,
        ]
    )


def _choices(t: Translator, prefs: Preferences, what: str) -> tuple[str, InlineKeyboardMarkup]:
    """The question and buttons for one setting."""
    back = [_button(t._("Back"), "s")]
    if what == "t":
        buttons = [_button(f"{at:%H:%M}", "t", f"{at:%H%M}") for at in TIMES]
        rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
        question = t._("When should your digest come? Or type e.g. /settings time 07:45.")
    elif what == "z":
        buttons = [
            _button(zone.split("/")[-1].replace("_", " "), "z", i) for i, zone in enumerate(ZONES)
        ]
        rows = [buttons[i : i + 3] for i in range(0, len(buttons), 3)]
        rows.append([_button(t._("The team's time zone"), "z", "team")])
        question = t._("Which time zone are you in? Or type e.g. /settings tz Asia/Tokyo.")
    elif what == "d":
        names = get_day_names("abbreviated", locale=t.language)
        buttons = [
            _button(("✓ " if day in prefs.digest_days else "") + names[day - 1], "d", day)
            for day in ALL_DAYS
        ]
        rows = [buttons[:4], buttons[4:]]
        question = t._("On which days should your digest come? Tap a day to switch it.")
    else:
        rows = [
            [
                InlineKeyboardButton(
                    ("✓ " if code == prefs.language else "") + LANGUAGE_NAMES[code],
                    callback_data=cb.ChooseLanguage(code).pack(),
                )
                for code in LANGUAGES
            ]
        ]
        question = t._("Which language should I use?")
    return question, InlineKeyboardMarkup([*rows, back])


def parse_time(text: str) -> time | None:
    """ "7:30", "07:30", "7h30", "7" -> a time; None if it is not one."""
    match = _TIME.fullmatch(text.strip().lower())
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2] or 0)
    return time(hour, minute) if hour < 24 and minute < 60 else None


def parse_days(text: str) -> tuple[int, ...] | None:
    """ "1-5", "1,3,5", "1-5,7", "weekdays", "all", "none" -> ISO weekdays; None if unreadable."""
    text = text.strip().lower()
    if text in _DAY_WORDS:
        return _DAY_WORDS[text]
    days: set[int] = set()
    for part in filter(None, re.split(r"[,\s]+", text)):
        first, _, last = part.partition("-")
        if not first.isdigit() or (last and not last.isdigit()):
            return None
        start, end = int(first), int(last or first)
        if not 1 <= start <= end <= 7:
            return None
        days.update(range(start, end + 1))
    return tuple(sorted(days)) if days else None


@cache
def _zone_names() -> dict[str, str]:
    return {name.casefold(): name for name in available_timezones()}


def _changes_from_args(t: Translator, args: list[str]) -> dict[str, object] | str:
    """The settings ``/settings <what> <value>`` asks for, or what was wrong with it."""
    what = args[0].lower() if args else ""
    value = " ".join(args[1:])
    if what == "time" and (at := parse_time(value)) is not None:
        return {"digest_time": at}
    if what == "days" and (days := parse_days(value)) is not None:
        return {"digest_days": days}
    if what in ("tz", "zone", "timezone") and value:
        if value.lower() == "team":
            return {"timezone": None}
        zone = _zone_names().get(value.casefold())
        if zone is None:
            return t._(
                "I do not know the time zone “{zone}”. Use a name like Asia/Bangkok."
            ).format(zone=html.escape(value))
        return {"timezone": zone}
    if what == "quiet" and value.lower() in (*_ON, *_OFF):
        return {"only_when_due": value.lower() in _ON}
    if what == "years" and value.lower() in (*_GREGORIAN, *_BUDDHIST):
        return {"gregorian_years": value.lower() in _GREGORIAN}
    if what == "language" and value.lower() in LANGUAGES:
        return {"language": value.lower()}
    return t._(
        "I could not read that. For example: <code>/settings time 07:30</code>, "
        "<code>/settings days 1-5</code>, <code>/settings tz Asia/Bangkok</code>, "
        "<code>/settings quiet on</code>, <code>/settings language en</code> or "
        "<code>/settings years gregorian</code>."
    )


async def _save(context: BotContext, changes: dict[str, object]) -> Preferences:
    async with context.uow() as uow:
        prefs = await update_preferences(uow, context.actor, **changes)
    if "language" in changes:
        context.state.language = str(changes["language"])
    return prefs


async def settings(update: Update, context: BotContext) -> None:
    """/settings: show them with buttons, or change one: /settings time 07:30."""
    message = update.effective_message
    if context.args:
        changes = _changes_from_args(context.t, context.args)
        if isinstance(changes, str):
            await message.reply_text(changes)
            return
        try:
            prefs = await _save(context, changes)
        except InvalidInput:
            await message.reply_text(context.t._("That value is not valid."))
            return
        header = context.t._("Saved.") + "\n\n"
    else:
        async with context.uow() as uow:
            prefs = await get_preferences(uow, context.actor)
        header = ""
    t = context.t
    await message.reply_text(
        header + settings_text(t, prefs), reply_markup=settings_keyboard(t, prefs)
    )


async def _edit(update: Update, text: str, markup: InlineKeyboardMarkup) -> None:
    try:
        await update.callback_query.edit_message_text(text, reply_markup=markup)
    except BadRequest as error:
        if "not modified" not in str(error).lower():
            await update.effective_message.reply_text(text, reply_markup=markup)


async def pressed_setting(update: Update, context: BotContext) -> None:
    """A /settings button: open a choice, or apply one."""
    button = await cb.pressed(update, cb.Setting)
    what, value = (button.what, button.value or "") if button else ("", "")
    async with context.uow() as uow:
        prefs = await get_preferences(uow, context.actor)
    changes: dict[str, object] = {}
    if what == "t" and value and (at := parse_time(value[:2] + ":" + value[2:])) is not None:
        changes = {"digest_time": at}
    elif what == "z" and value == "team":
        changes = {"timezone": None}
    elif what == "z" and value.isdigit() and int(value) < len(ZONES):
        changes = {"timezone": ZONES[int(value)]}
    elif what == "d" and value.isdigit() and int(value) in ALL_DAYS:
        changes = {"digest_days": tuple(set(prefs.digest_days) ^ {int(value)})}
    elif what == "q":
        changes = {"only_when_due": not prefs.only_when_due}
    elif what == "y":
        changes = {"gregorian_years": not prefs.gregorian_years}
    elif what in ("t", "z", "d", "l") and not value:
        question, markup = _choices(context.t, prefs, what)
        await _edit(update, question, markup)
        return
    if changes:
        prefs = await _save(context, changes)
    t = context.t
    if what == "d" and changes:
        # Days switch one at a time: keep the day buttons up until Back.
        question, markup = _choices(t, prefs, "d")
        await _edit(update, question + "\n" + _day_names(t, prefs.digest_days), markup)
        return
    await _edit(update, settings_text(t, prefs), settings_keyboard(t, prefs))


def handlers() -> list[object]:
    return [
        CommandHandler("digest", my_digest),
        CommandHandler("settings", settings),
        CallbackQueryHandler(pressed_setting, pattern=cb.pattern(cb.SETTINGS)),
    ]
