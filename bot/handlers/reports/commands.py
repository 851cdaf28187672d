"""Manager views: /pipeline, /forecast, /campaigns, /sources, /fx, and their Chart buttons."""

from __future__ import annotations

import html
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from babel.numbers import NumberFormatError, parse_decimal
from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update, WebAppInfo
from telegram.constants import ChatType
from telegram.ext import CallbackQueryHandler, CommandHandler

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.handlers.reports.args import ReportArgs, parse_report_args
from bot.handlers.reports.charts import render
from bot.handlers.reports.views import (
    effect_chart,
    effect_text,
    forecast_chart,
    forecast_text,
    fx_command,
    period_label,
    pipeline_chart,
    pipeline_text,
    rate_lines,
)
from bot.i18n import Translator
from bot.parsing import parse_date
from bot.parsing.results import PAST, ParseError
from storage.errors import Forbidden, InvalidInput
from storage.fx import current_rates, set_rate
from storage.fx_hints import example_currency, suggested_rate
from storage.models import Team
from storage.people import match_person, team_people
from storage.reports.effectiveness import Dimension, effectiveness
from storage.reports.forecast import Period, forecast, pipeline_report
from storage.reports.totals import GroupBy

logger = logging.getLogger(__name__)
TEAM = "t"
# Chart buttons: pipeline by stage or by rep, forecast, campaigns, sources.
CHARTS = ("p", "po", "f", "c", "s")


@dataclass(frozen=True, slots=True)
class Whose:
    """Whose deals a report covers: ``owner_id`` None is the team; ``token`` goes in buttons."""

    owner_id: int | None
    token: str
    label: str


async def _whose(update: Update, context: BotContext, args: ReportArgs) -> Whose | None:
    """The report's scope from "me", "team" or a name; None after explaining a problem."""
    t, actor = context.t, context.actor
    mine = Whose(actor.id, str(actor.id), t._("my deals"))
    if not actor.is_manager:
        if args.who == "name":
            await update.effective_message.reply_text(
                t._("You see your own deals; your manager sees the team's.")
            )
        return mine
    if args.who == "me":
        return mine
    if args.who == "team":
        return Whose(None, TEAM, t._("team"))
    async with context.reading() as uow:
        people = match_person(await team_people(uow, actor.team_id), args.name or "")
    if len(people) == 1:
        return Whose(people[0].id, str(people[0].id), people[0].name)
    if not people:
        text = t._("No one in your team is called “{name}”.").format(
            name=html.escape(args.name or "")
        )
    else:
        text = t._("Several people match “{name}”: {people}. Write more of the name.").format(
            name=html.escape(args.name or ""),
            people=html.escape(", ".join(p.name for p in people)),
        )
    await update.effective_message.reply_text(text)
    return None


async def _whose_token(context: BotContext, token: str) -> Whose | None:
    """The scope a button names, checked again: a button's data can be forged."""
    t, actor = context.t, context.actor
    if not actor.is_manager or token == str(actor.id):
        return Whose(actor.id, str(actor.id), t._("my deals"))
    if token == TEAM:
        return Whose(None, TEAM, t._("team"))
    async with context.reading() as uow:
        people = await team_people(uow, actor.team_id)
    person = next((p for p in people if str(p.id) == token), None)
    return Whose(person.id, token, person.name) if person else None


def _button(label: str, kind: str, view: str, who: str, period: str) -> InlineKeyboardButton:
    return InlineKeyboardButton(
        label, callback_data=cb.ReportButton(kind, view, who, period).pack()
    )


def _pipeline_keyboard(
    context: BotContext, whose: Whose, period: Period, by: GroupBy, *, private: bool = False
) -> InlineKeyboardMarkup:
    t = context.t
    row = []
    if context.actor.is_manager and whose.owner_id is None:
        if by is GroupBy.STAGE:
            row.append(_button(t._("By rep"), "p", "o", whose.token, period.value))
        else:
            row.append(_button(t._("By stage"), "p", "s", whose.token, period.value))
    view = "po" if by is GroupBy.OWNER else "p"
    row.append(_button(t._("Chart"), "c", view, whose.token, period.value))
    board_url = context.bot_data.settings.board_url
    # Telegram accepts web app buttons in private chats only.
    if board_url and private:
        return InlineKeyboardMarkup([row, [board_button(t, board_url)]])
    return InlineKeyboardMarkup([row])


def _is_private(update: Update) -> bool:
    return update.effective_chat is not None and update.effective_chat.type == ChatType.PRIVATE


def board_button(t: Translator, board_url: str) -> InlineKeyboardButton:
    """Opens the pipeline board inside Telegram (a Mini App)."""
    return InlineKeyboardButton(t._("Board"), web_app=WebAppInfo(board_url))


def _chart_keyboard(t: Translator, what: str, whose: str, period: Period) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup([[_button(t._("Chart"), "c", what, whose, period.value)]])


def _text(context: BotContext, view: Callable[..., str], result: object, heading: str) -> str:
    """A report's text (``view`` is one of the report views) in the member's dates and calendar."""
    return view(
        context.t,
        result,
        heading,
        today=context.today(),
        gregorian=context.member.gregorian_years,
    )


def _pipeline_title(t: Translator, whose: Whose, period: Period) -> str:
    return t._("Pipeline · {who} · {period}").format(
        who=html.escape(whose.label), period=period_label(t, period)
    )


async def _pipeline_view(
    context: BotContext, whose: Whose, period: Period, by: GroupBy, *, private: bool = False
) -> tuple[str, InlineKeyboardMarkup]:
    async with context.reading() as uow:
        report = await pipeline_report(
            uow, context.actor, today=context.today(), by=by, owner_id=whose.owner_id, period=period
        )
    text = _text(context, pipeline_text, report, _pipeline_title(context.t, whose, period))
    return text, _pipeline_keyboard(context, whose, period, by, private=private)


async def pipeline(update: Update, context: BotContext) -> None:
    """/pipeline [me|team|<rep>] [this month|quarter|year|all]: open deals by stage."""
    args = parse_report_args(" ".join(context.args or []))
    whose = await _whose(update, context, args)
    if whose is None:
        return
    text, keyboard = await _pipeline_view(
        context, whose, args.period, GroupBy.STAGE, private=_is_private(update)
    )
    await update.effective_message.reply_text(text, reply_markup=keyboard)


def _forecast_title(t: Translator, whose: Whose) -> str:
    return t._("Forecast · {who}").format(who=html.escape(whose.label))


async def show_forecast(update: Update, context: BotContext) -> None:
    """/forecast [me|team|<rep>]: weighted by close month ahead, won behind, win rate."""
    args = parse_report_args(" ".join(context.args or []))
    whose = await _whose(update, context, args)
    if whose is None:
        return
    async with context.reading() as uow:
        result = await forecast(uow, context.actor, today=context.today(), owner_id=whose.owner_id)
    text = _text(context, forecast_text, result, _forecast_title(context.t, whose))
    keyboard = _chart_keyboard(context.t, "f", whose.token, Period.ALL)
    await update.effective_message.reply_text(text, reply_markup=keyboard)


def _effect_title(t: Translator, dimension: Dimension, period: Period) -> str:
    if dimension is Dimension.CAMPAIGN:
        return t._("Campaign effectiveness · {period}").format(period=period_label(t, period))
    return t._("Lead sources · {period}").format(period=period_label(t, period))


async def _effect(update: Update, context: BotContext, dimension: Dimension) -> None:
    period = parse_report_args(" ".join(context.args or [])).period
    async with context.reading() as uow:
        report = await effectiveness(
            uow, context.actor, dimension, today=context.today(), period=period
        )
    text = _text(context, effect_text, report, _effect_title(context.t, dimension, period))
    what = "c" if dimension is Dimension.CAMPAIGN else "s"
    keyboard = _chart_keyboard(context.t, what, TEAM, period) if report.groups else None
    await update.effective_message.reply_text(text, reply_markup=keyboard)


async def campaigns(update: Update, context: BotContext) -> None:
    """/campaigns [period]: deals, wins, win rate and open pipeline per campaign."""
    await _effect(update, context, Dimension.CAMPAIGN)


async def sources(update: Update, context: BotContext) -> None:
    """/sources [period]: the same per lead source."""
    await _effect(update, context, Dimension.SOURCE)


async def _send_chart(
    message: Message, context: BotContext, what: str, whose: Whose, period: Period
) -> None:
    t, today, actor = context.t, context.today(), context.actor
    async with context.reading() as uow:
        if what in ("p", "po"):
            by = GroupBy.OWNER if what == "po" else GroupBy.STAGE
            report = await pipeline_report(
                uow, actor, today=today, by=by, owner_id=whose.owner_id, period=period
            )
            title = _pipeline_title(t, whose, period)
            chart = pipeline_chart(t, report, title)
        elif what == "f":
            result = await forecast(uow, actor, today=today, owner_id=whose.owner_id)
            title = _forecast_title(t, whose)
            chart = forecast_chart(t, result, title, gregorian=context.member.gregorian_years)
        else:
            dimension = Dimension.CAMPAIGN if what == "c" else Dimension.SOURCE
            effect = await effectiveness(uow, actor, dimension, today=today, period=period)
            title = _effect_title(t, dimension, period)
            chart = effect_chart(t, effect, title)
    png = await render(chart)
    await message.reply_photo(photo=png, caption=title, filename=f"chart-{what}.png")


async def pressed_report(update: Update, context: BotContext) -> None:
    """By rep / By stage (the message is redrawn), or Chart (a PNG is sent)."""
    button = await cb.pressed(update, cb.ReportButton)
    query = update.callback_query
    valid = (
        button is not None
        and button.period in {p.value for p in Period}
        and (button.view in ("s", "o") if button.kind == "p" else button.view in CHARTS)
    )
    whose = await _whose_token(context, button.who) if valid and button else None
    if button is None or whose is None:
        await update.effective_message.reply_text(context.t._("That report is not available."))
        return
    period = Period(button.period)
    if button.kind == "p":
        by = GroupBy.OWNER if button.view == "o" and context.actor.is_manager else GroupBy.STAGE
        text, keyboard = await _pipeline_view(
            context, whose, period, by, private=_is_private(update)
        )
        await query.edit_message_text(text, reply_markup=keyboard)
        return
    await _send_chart(update.effective_message, context, button.view, whose, period)


def _read_rate(text: str, language: str) -> Decimal | None:
    """A rate as the member types it ("25.400" in Vietnamese), else as in English."""
    for locale in dict.fromkeys((language, "en")):
        try:
            rate = parse_decimal(text, locale=locale, strict=True)
        except NumberFormatError:
            continue
        # Babel reads "NaN" and "Infinity" as numbers; no rate is either.
        return rate if rate.is_finite() else None
    return None


def _read_day(text: str, context: BotContext) -> date | None:
    result = parse_date(text, context.t.language, context.today())
    if isinstance(result, ParseError) and result.code == PAST and isinstance(result.value, date):
        return result.value
    return result if isinstance(result, date) else None


async def fx(update: Update, context: BotContext) -> None:
    """/fx: the team's rates; /fx USD 25400 [date]: an admin sets one."""
    t, words = context.t, list(context.args or [])
    if not words:
        await _list_rates(update, context)
        return
    async with context.uow() as uow:
        base = (await uow.session.get(Team, context.actor.team_id)).currency
        example = example_currency(base)
        hint = await suggested_rate(uow, context.actor.team_id, example, base)
    command = fx_command(t, example, hint)
    usage = t._(
        "Write the currency and what one unit is worth in the team's currency, "
        "e.g. <code>{command}</code> or <code>{command} {day}</code>."
    ).format(command=command, day=context.fmt.date(context.today(), fmt="dd/MM"))
    rate = _read_rate(words[1], t.language) if len(words) >= 2 else None
    day = _read_day(" ".join(words[2:]), context) if len(words) > 2 else context.today()
    if rate is None or day is None:
        await update.effective_message.reply_text(usage)
        return
    try:
        async with context.uow() as uow:
            saved = await set_rate(uow, context.actor, context.actor.team_id, words[0], rate, day)
    except Forbidden:
        await update.effective_message.reply_text(t._("Only an admin can set exchange rates."))
        return
    except InvalidInput as error:
        messages = {
            "is_base": t._("{code} is the team's own currency.").format(
                code=html.escape(words[0].upper())
            ),
            "unknown": t._("“{code}” is not a currency code such as {example}.").format(
                code=html.escape(words[0]), example=example
            ),
            "out_of_range": t._("The rate must be a number above zero, e.g. {command}.").format(
                command=f"<code>{command}</code>"
            ),
        }
        await update.effective_message.reply_text(messages.get(error.reason, usage))
        return
    lines = rate_lines(t, [saved], context.today(), context.member.gregorian_years)
    await update.effective_message.reply_text(t._("Exchange rate saved.") + "\n" + lines[0])


async def _list_rates(update: Update, context: BotContext) -> None:
    t = context.t
    async with context.reading() as uow:
        team = await uow.session.get(Team, context.actor.team_id)
        rates = await current_rates(uow, context.actor.team_id, context.today())
        base = team.currency if team else context.member.currency
        example = example_currency(base)
        hint = await suggested_rate(uow, context.actor.team_id, example, base)
    lines = [t._("Totals are shown in {base}.").format(base=base)]
    lines += rate_lines(t, rates, context.today(), context.member.gregorian_years)
    if not rates:
        lines.append(
            t._("No exchange rates yet. An admin sets one with {command}.").format(
                command=f"<code>{fx_command(t, example, hint)}</code>"
            )
        )
    await update.effective_message.reply_text("\n".join(lines))


def handlers() -> list[object]:
    return [
        CommandHandler("pipeline", pipeline),
        CommandHandler("forecast", show_forecast),
        CommandHandler("campaigns", campaigns),
        CommandHandler("sources", sources),
        CommandHandler("fx", fx),
        CallbackQueryHandler(pressed_report, pattern=cb.pattern(cb.REPORT)),
    ]
