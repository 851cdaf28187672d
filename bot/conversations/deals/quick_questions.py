"""The questions a one-line deal may need answered: which number is the amount, and when."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.buttons import codec as cb
from bot.buttons.pickers import close_date_rows
from bot.context import BotContext
from bot.formatting import format_date, format_money
from bot.invalid import already_past
from bot.parsing import FieldAmbiguity, Money, parse_date
from bot.parsing.results import Ambiguous, ParseError


async def send_amount_question(
    update: Update, context: BotContext, nonce: str, doubt: FieldAmbiguity
) -> None:
    t = context.t
    rows = []
    for index, candidate in enumerate(doubt.candidates):
        if isinstance(candidate, Money):
            label = format_money(candidate.minor_units, candidate.currency, t.language)
            rows.append([(label, cb.QuickAmount(nonce, str(index)).pack())])
        else:
            rows.append([(t._("part of the name"), cb.QuickAmount(nonce, "n").pack())])
    rows.append([(t._("Cancel"), cb.QuickCancel(nonce).pack())])
    numbers = ", ".join(html.escape(text) for text in doubt.texts)
    if len(doubt.texts) == 1:
        question = t._("Is {number} the amount, or part of the name?").format(number=numbers)
    else:
        question = t._("Which of {numbers} is the amount?").format(numbers=numbers)
    keyboard = [
        [InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in rows
    ]
    await update.effective_message.reply_text(question, reply_markup=InlineKeyboardMarkup(keyboard))


async def send_date_question(
    update: Update,
    context: BotContext,
    nonce: str,
    prefix: str = "",
    dates: Sequence[object] = (),
) -> None:
    """Ask for the close date: the line's own readings when it had several, else presets."""
    t = context.t
    today = context.today()
    gregorian = context.member.gregorian_years
    rows = close_date_rows(
        t, today, lambda day: cb.QuickDay(nonce, day).pack(), gregorian=gregorian
    )
    readings = [day for day in dates if isinstance(day, date)]
    if readings:
        prefix = prefix or t._("Which date did you mean?") + " "
        rows = [
            [
                InlineKeyboardButton(
                    format_date(day, t.language, gregorian=gregorian, fmt="full"),
                    callback_data=cb.QuickDay(nonce, day).pack(),
                )
            ]
            for day in readings
        ]
    rows.append([InlineKeyboardButton(t._("Cancel"), callback_data=cb.QuickCancel(nonce).pack())])
    await update.effective_message.reply_text(
        prefix + t._("When is this deal expected to close? For example 31/12 or end of month."),
        reply_markup=InlineKeyboardMarkup(rows),
    )


def date_from(context: BotContext, text: str) -> tuple[date | None, str]:
    result = parse_date(text, context.t.language, context.today())
    t = context.t
    if isinstance(result, date):
        return result, ""
    if isinstance(result, Ambiguous):
        options = " / ".join(context.fmt.date(day) for day in result.candidates)
        return None, t._("Which date did you mean: {options}?").format(options=options) + " "
    if isinstance(result, ParseError) and result.code == "past":
        return None, already_past(t, result.value, gregorian=context.member.gregorian_years) + " "
    return None, t._("I could not read that date.") + " "
