"""The /convert flow's steps: their order, their questions and buttons, the stored draft."""

from __future__ import annotations

import enum
import html
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.buttons import codec as cb
from bot.buttons.pickers import close_date_rows
from bot.context import BotContext
from bot.flowkit.flow import Flow
from bot.formatting import format_money
from bot.handlers.deals.views import stage_label
from bot.handlers.leads.views import button
from bot.invalid import already_past
from bot.parsing.results import Ambiguous, ParseError
from storage.drafts import NONCE
from storage.models import Draft

Step = enum.IntEnum("Step", "ACCOUNT CONTACT NAME AMOUNT CLOSE_DATE STAGE")


CONVERT = Flow("convert", Step)
FLOW = CONVERT.name


# Which step a refused field is asked again at.
STEP_OF_FIELD = {
    "name": Step.NAME,
    "amount": Step.AMOUNT,
    "currency": Step.AMOUNT,
    "close_date": Step.CLOSE_DATE,
}


def asked(data: dict[str, Any], step: Step) -> bool:
    """The link-or-create questions are only asked when something exists to link."""
    if step is Step.ACCOUNT:
        return bool(data.get("account_name"))
    if step is Step.CONTACT:
        return bool(data.get("contact_name"))
    return True


def next_step(data: dict[str, Any], step: Step) -> Step | None:
    return next((s for s in Step if s > step and asked(data, s)), None)


def previous_step(data: dict[str, Any], step: Step) -> Step | None:
    return next((s for s in reversed(Step) if s < step and asked(data, s)), None)


async def question(
    context: BotContext, draft: Draft, step: Step
) -> tuple[str, list[list[InlineKeyboardButton]]]:
    """The text of ``step``'s question and its own buttons."""
    t, data, nonce = context.t, draft.data, draft.data[NONCE]
    if step is Step.ACCOUNT:
        text = t._(
            "Your team already has the account {name}. Link the deal to it, or create a new one?"
        ).format(name=f"<b>{html.escape(data['account_name'])}</b>")
        return text, [
            [
                button(t._("Link existing"), cb.ConvertButton(nonce, "la")),
                button(t._("Create new"), cb.ConvertButton(nonce, "na")),
            ]
        ]
    if step is Step.CONTACT:
        text = t._("You already have the contact {name}. Link it, or create a new one?").format(
            name=f"<b>{html.escape(data['contact_name'])}</b>"
        )
        return text, [
            [
                button(t._("Link existing"), cb.ConvertButton(nonce, "lc")),
                button(t._("Create new"), cb.ConvertButton(nonce, "nc")),
            ]
        ]
    if step is Step.NAME:
        text = t._("What should the new deal be called? Suggested: {name}").format(
            name=html.escape(data["proposed"])
        )
        use = t._("Use “{name}”").format(name=data["proposed"])
        return text, [[button(use, cb.ConvertButton(nonce, "nm"))]]
    if step is Step.AMOUNT:
        text = t._("How much is the deal worth? For example 50tr, 1.2 ล้าน or 5000.")
        return text, [[button(t._("Skip"), cb.ConvertButton(nonce, "sk"))]]
    if step is Step.CLOSE_DATE:
        text = t._("When is this deal expected to close? For example 31/12 or end of month.")
        return text, close_date_rows(
            t,
            context.today(),
            lambda day: cb.ConvertButton(nonce, "d", f"{day:%Y%m%d}").pack(),
            gregorian=context.member.gregorian_years,
        )
    stages = await context.open_stages()
    rows = [
        [
            button(stage_label(t, stage), cb.ConvertButton(nonce, "st", str(stage.id)))
            for stage in pair
        ]
        for pair in (stages[i : i + 2] for i in range(0, len(stages), 2))
    ]
    return t._("Which stage is the deal in?"), rows


async def ask(
    update: Update, context: BotContext, draft: Draft, step: Step, prefix: str = ""
) -> Step:
    """Send ``step``'s question with its buttons, Back and Cancel; return it as the state."""
    t, nonce = context.t, draft.data[NONCE]
    text, rows = await question(context, draft, step)
    controls = []
    if previous_step(draft.data, step) is not None:
        controls.append(button(t._("Back"), cb.ConvertButton(nonce, "bk")))
    controls.append(button(t._("Cancel"), cb.ConvertButton(nonce, "x")))
    await update.effective_message.reply_text(
        prefix + text, reply_markup=InlineKeyboardMarkup([*rows, controls])
    )
    return step


async def store(context: BotContext, step: Step, changes: dict[str, Any]) -> Draft:
    """Write the answer and the next step in one transaction with the update's key."""
    return await CONVERT.save(context, step, changes)


def amount_problem(context: BotContext, result: object) -> str:
    t = context.t
    if isinstance(result, Ambiguous):
        options = " / ".join(
            format_money(money.minor_units, money.currency, t.language)
            for money in result.candidates
        )
        return t._("Which amount did you mean: {options}?").format(options=options)
    code = result.code if isinstance(result, ParseError) else ""
    if code == "negative":
        return t._("The amount cannot be negative.")
    if code == "too_large":
        return t._("That amount is too large.")
    return t._("I could not read that amount.")


def date_problem(context: BotContext, result: object, text: str) -> str:
    t = context.t
    if isinstance(result, ParseError) and result.code == "impossible_date":
        return t._("{text} is not a real date.").format(text=html.escape(text[:40]))
    if isinstance(result, Ambiguous):
        options = " / ".join(context.fmt.date(day) for day in result.candidates)
        return t._("Which date did you mean: {options}?").format(options=options)
    if isinstance(result, ParseError) and result.code == "past":
        return already_past(t, result.value, gregorian=context.member.gregorian_years)
    return t._("I could not read that date.")
