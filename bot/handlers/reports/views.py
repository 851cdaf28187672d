"""Pure functions from report results to message text and chart specs: no I/O."""

from __future__ import annotations

import html
from collections.abc import Sequence
from datetime import date
from decimal import Decimal

from babel.numbers import format_decimal

from bot.formatting import (
    format_compact_money,
    format_date,
    format_money,
    format_number,
    format_percent,
    minor_units_per_unit,
    to_units,
)
from bot.handlers.reports.charts import Chart, Series
from bot.i18n import Translator
from bot.labels import SOURCE_NAMES, STAGE_NAMES, coded_name
from storage.fx import ConvertedGroup, CurrencyPart, Rate, Unconverted
from storage.reports.effectiveness import Dimension, EffectGroup, EffectReport
from storage.reports.forecast import Forecast, MonthTotal, Period, PipelineReport
from storage.reports.totals import GroupBy

WARNING = "⚠️"


def period_label(t: Translator, period: Period) -> str:
    return {
        Period.MONTH: t._("closing this month"),
        Period.QUARTER: t._("closing this quarter"),
        Period.YEAR: t._("closing this year"),
        Period.ALL: t._("all close dates"),
    }[period]


def _deals(t: Translator, count: int) -> str:
    return t.n_("{n} deal", "{n} deals", count).format(n=format_number(count, t.language))


def _money(t: Translator, amount: int, currency: str) -> str:
    """Summaries are scanned, not copied: compact, in the reader's words."""
    return format_compact_money(amount, currency, t.language)


def _parts(t: Translator, parts: Sequence[CurrencyPart], base: str, field: str) -> str:
    """The per-currency amounts beside a converted one, when there is more than the base."""
    if all(part.currency == base for part in parts):
        return ""
    amounts = " · ".join(_money(t, getattr(part, field), part.currency) for part in parts)
    return t._("In their own currencies: {amounts}").format(amounts=amounts)


def _rate(t: Translator, rate: Rate) -> str:
    """ "25.400 ₫" for a rate in whole base units; "0,0014 THB" when finer than the base."""
    minor = rate.rate * minor_units_per_unit(rate.base)
    if minor == minor.to_integral_value():
        return format_money(int(minor), rate.base, t.language)
    return f"{format_number(rate.rate.normalize(), t.language)} {rate.base}"


def rate_lines(t: Translator, rates: Sequence[Rate], today: date, gregorian: bool) -> list[str]:
    return [
        t._("1 {currency} = {rate} (set {date})").format(
            currency=rate.currency,
            rate=_rate(t, rate),
            date=format_date(rate.valid_from, t.language, gregorian=gregorian),
        )
        for rate in rates
    ]


def fx_command(t: Translator, currency: str, rate: Decimal | None) -> str:
    """The /fx command an admin can send as it is, the rate typed the member's way."""
    # No grouping: "25000" reads as one argument in every language.
    number = format_decimal(rate or Decimal(1), format="0.##########", locale=t.language)
    return f"/fx {currency} {number}"


def unconverted_warning(t: Translator, flags: Sequence[Unconverted]) -> str:
    """One line per currency without a rate: how many deals, their total, the fix."""
    return "\n".join(
        WARNING
        + " "
        + t.n_(
            "{n} deal in {currency} ({amount}) has no exchange rate and is left out of "
            "the totals. An admin adds it with <code>{command}</code>",
            "{n} deals in {currency} ({amount}) have no exchange rate and are left out of "
            "the totals. An admin adds them with <code>{command}</code>",
            flag.count,
        ).format(
            n=format_number(flag.count, t.language),
            currency=flag.currency,
            amount=_money(t, flag.amount, flag.currency),
            command=fx_command(t, flag.currency, flag.suggested_rate),
        )
        for flag in flags
    )


def _group_lines(t: Translator, name: str, group: ConvertedGroup, base: str) -> list[str]:
    lines = [
        f"<b>{html.escape(name)}</b> — {_deals(t, group.count)}",
        "   "
        + t._("Amount {amount} · weighted {weighted}").format(
            amount=_money(t, group.amount, base), weighted=_money(t, group.weighted, base)
        ),
    ]
    beside = _parts(t, group.parts, base, "amount")
    if beside:
        lines.append(f"   <i>{beside}</i>")
    if group.unconverted:
        lines.append(
            "   "
            + WARNING
            + " "
            + t.n_(
                "{n} deal without an exchange rate",
                "{n} deals without an exchange rate",
                group.unconverted_count,
            ).format(n=group.unconverted_count)
        )
    return lines


def _headed(heading: str, text: str) -> str:
    """A report that has nothing to show: its heading and why."""
    return f"<b>{heading}</b>\n\n{text}"


def _closed(
    t: Translator,
    lines: list[str],
    rates: Sequence[Rate],
    unconverted: Sequence[Unconverted],
    today: date,
    gregorian: bool,
) -> str:
    """A report's lines, then the exchange rates it used and which deals had none."""
    lines = [*lines, "", *rate_lines(t, rates, today, gregorian)]
    warning = unconverted_warning(t, unconverted)
    if warning:
        lines += ["", warning]
    return "\n".join(lines).strip()


def group_name(t: Translator, report: PipelineReport, group: ConvertedGroup) -> str:
    if report.by is GroupBy.STAGE and isinstance(group.key, int):
        return coded_name(t, STAGE_NAMES, report.stage_codes.get(group.key), group.label or "")
    return group.label or "—"


def pipeline_text(
    t: Translator, report: PipelineReport, heading: str, *, today: date, gregorian: bool = False
) -> str:
    """By stage (or rep): deals, amount and weighted amount in the base currency."""
    if not report.groups:
        return _headed(heading, t._("No open deals here."))
    lines = [f"<b>{heading}</b>", ""]
    for group in report.groups:
        lines += _group_lines(t, group_name(t, report, group), group, report.base)
    lines.append("")
    lines += _group_lines(t, t._("Total"), report.total, report.base)
    return _closed(t, lines, report.rates, report.unconverted, today, gregorian)


def _flag(group: ConvertedGroup) -> str:
    """A mark on a line whose amount leaves out deals without a rate (the warning says which)."""
    return f" {WARNING}" if group.unconverted else ""


def _month(t: Translator, month: date, gregorian: bool) -> str:
    return format_date(month, t.language, gregorian=gregorian, fmt="MMM y")


def _month_lines(
    t: Translator,
    months: Sequence[MonthTotal],
    line: str,
    empty: str,
    *,
    weighted: bool,
    base: str,
    gregorian: bool,
) -> list[str]:
    """A ``line`` per month with deals (flagged where some lack a rate), or ``empty``."""
    shown = [month for month in months if month.total.count]
    if not shown:
        return [empty]
    lines = []
    for month in shown:
        total = month.total
        money = _money(t, total.weighted if weighted else total.amount, base)
        # The two lines name their sum differently: {weighted} ahead, {amount} behind.
        text = line.format(
            month=_month(t, month.month, gregorian),
            weighted=money,
            amount=money,
            deals=_deals(t, total.count),
        )
        lines.append(text + _flag(total))
    return lines


def forecast_text(
    t: Translator, forecast: Forecast, heading: str, *, today: date, gregorian: bool = False
) -> str:
    """The weighted forecast ahead, closed-won behind, and the win rate."""
    base = forecast.base
    lines = [
        f"<b>{heading}</b>",
        "",
        "<b>" + t._("Weighted pipeline by expected close month") + "</b>",
    ]
    lines += _month_lines(
        t,
        forecast.ahead,
        t._("{month}: {weighted} ({deals})"),
        t._("Nothing is expected to close in these six months."),
        weighted=True,
        base=base,
        gregorian=gregorian,
    )
    if forecast.overdue.count:
        lines.append(
            WARNING
            + " "
            + t._("Overdue, still open: {deals}, weighted {weighted}").format(
                deals=_deals(t, forecast.overdue.count),
                weighted=_money(t, forecast.overdue.weighted, base),
            )
        )
    if forecast.beyond.count:
        lines.append(
            t._("Expected later: {deals}, weighted {weighted}").format(
                deals=_deals(t, forecast.beyond.count),
                weighted=_money(t, forecast.beyond.weighted, base),
            )
        )
    lines += ["", "<b>" + t._("Closed won by month") + "</b>"]
    lines += _month_lines(
        t,
        forecast.won,
        t._("{month}: {amount} ({deals})"),
        t._("Nothing won in these six months yet."),
        weighted=False,
        base=base,
        gregorian=gregorian,
    )
    closed = forecast.won_count + forecast.lost_count
    lines.append("")
    if forecast.win_rate is None:
        lines.append(t._("Win rate: nothing closed in these six months yet."))
    else:
        lines.append(
            t._("Win rate: {rate} ({won} won of {closed} closed)").format(
                rate=format_percent(forecast.win_rate, t.language),
                won=forecast.won_count,
                closed=closed,
            )
        )
    return _closed(t, lines, forecast.rates, forecast.unconverted, today, gregorian)


def effect_name(t: Translator, report: EffectReport, group: EffectGroup) -> str:
    if group.key is None:
        if report.dimension is Dimension.CAMPAIGN:
            return t._("No campaign")
        return t._("No source")
    if report.dimension is Dimension.SOURCE:
        return coded_name(t, SOURCE_NAMES, group.code, group.name or "")
    return group.name or "—"


def effect_text(
    t: Translator, report: EffectReport, heading: str, *, today: date, gregorian: bool = False
) -> str:
    """Per campaign (source): deals, won count and value, win rate, open pipeline."""
    if not report.groups:
        return _headed(heading, t._("No deals here yet."))
    lines = [f"<b>{heading}</b>", ""]
    for group in [*report.groups, report.total]:
        name = t._("Total") if group is report.total else effect_name(t, report, group)
        rate = format_percent(group.win_rate, t.language) if group.win_rate is not None else "—"
        lines += [
            f"<b>{html.escape(name)}</b> — {_deals(t, group.opportunities)}",
            "   "
            + t._("Won {won} ({amount}) · lost {lost} · win rate {rate}").format(
                won=group.won,
                amount=_money(t, group.won_amount, report.base),
                lost=group.lost,
                rate=rate,
            ),
            "   "
            + t._("Open pipeline {amount}").format(
                amount=_money(t, group.open_amount, report.base)
            ),
        ]
        if group is report.total:
            continue
        if group.unconverted:
            count = sum(p.opportunities for p in group.unconverted)
            lines.append(
                f"   {WARNING} "
                + t.n_(
                    "{n} deal without an exchange rate",
                    "{n} deals without an exchange rate",
                    count,
                ).format(n=count)
            )
    return _closed(t, lines, report.rates, report.unconverted, today, gregorian)


def _units(amount: int, currency: str) -> float:
    return float(to_units(amount, currency))


def pipeline_chart(t: Translator, report: PipelineReport, title: str) -> Chart:
    """The funnel: one bar per stage, as wide as its amount in the base currency."""
    notes = [f"{_deals(t, g.count)} · {_money(t, g.amount, report.base)}" for g in report.groups]
    values = [_units(g.amount, report.base) for g in report.groups]
    return Chart(
        kind="funnel" if report.by is GroupBy.STAGE else "hbars",
        title=title,
        labels=[group_name(t, report, g) for g in report.groups],
        series=[Series(t._("Amount"), values, notes)],
        language=t.language,
        unit=report.base,
    )


def forecast_chart(
    t: Translator, forecast: Forecast, title: str, *, gregorian: bool = False
) -> Chart:
    """Closed-won bars for the months behind, weighted forecast bars for the months ahead."""
    won = [_units(m.total.amount, forecast.base) for m in forecast.won]
    ahead = [_units(m.total.weighted, forecast.base) for m in forecast.ahead]
    labels = [_month(t, m.month, gregorian) for m in forecast.won + forecast.ahead]
    return Chart(
        kind="bars",
        title=title,
        labels=labels,
        series=[Series(t._("Closed won"), won), Series(t._("Weighted forecast"), ahead)],
        language=t.language,
        unit=forecast.base,
        subtitles=[t._("Closed won by month"), t._("Weighted forecast by close month")],
    )


def effect_chart(t: Translator, report: EffectReport, title: str) -> Chart:
    """Won value and open pipeline side by side for each campaign (source)."""
    return Chart(
        kind="hbars",
        title=title,
        labels=[effect_name(t, report, g) for g in report.groups],
        series=[
            Series(t._("Won"), [_units(g.won_amount, report.base) for g in report.groups]),
            Series(
                t._("Open pipeline"), [_units(g.open_amount, report.base) for g in report.groups]
            ),
        ],
        language=t.language,
        unit=report.base,
    )
