"""Digest, reminder and overdue-nudge messages: pure functions of data and a translator."""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import cache, cached_property, partial

from telegram import InlineKeyboardButton, InlineKeyboardMarkup

from bot.buttons import codec as cb
from bot.formatting import format_compact_money, format_date, format_money
from bot.i18n import Translator
from bot.labels import STAGE_NAMES, coded_name
from bot.views import days_to_close
from storage.cards import DealCard
from storage.digests import Digest, DigestDeal, TeamDigest
from storage.months import month_end
from storage.reports.totals import TotalsRow

MAX_CHARS = 4096
# Two buttons per deal; Telegram refuses keyboards of more than 100 buttons.
DEALS_PER_MESSAGE = 25
# Room for the "Part 2 of 5" line added once the parts are counted.
_PART_ROOM = 60


# A keyboard row as (label, button data) pairs.
Row = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Outgoing:
    """One message to send: HTML text and its inline keyboard's rows."""

    text: str
    rows: tuple[Row, ...] = ()

    @cached_property
    def keyboard(self) -> InlineKeyboardMarkup | None:
        """The keyboard as Telegram objects, built when the message is sent.

        A round composes thousands of digests ahead of a send paced at 30 a second;
        PTB's buttons cost more to build than the rest of a digest, so only the
        message being sent pays for them.
        """
        if not self.rows:
            return None
        return InlineKeyboardMarkup(
            [
                [InlineKeyboardButton(label, callback_data=data) for label, data in row]
                for row in self.rows
            ]
        )


@dataclass
class _Part:
    lines: list[str] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    size: int = 0

    def add(self, line: str) -> None:
        self.lines.append(line)
        self.size += len(line) + 1


def _button(text: str, data: cb.Button) -> tuple[str, str]:
    return text, data.pack()


def _name(deal_name: str) -> str:
    return f"<b>{html.escape(deal_name)}</b>"


def _stage(t: Translator, code: str | None, name: str, probability: int) -> str:
    stage = html.escape(coded_name(t, STAGE_NAMES, code, name))
    return t._("{stage} ({probability}%)").format(stage=stage, probability=probability)


def _stuck_for(t: Translator, days: int) -> str:
    return t.n_("stuck for {n} day", "stuck for {n} days", days).format(n=days)


class _Words:
    """What a digest says again and again, worded once per digest rather than per deal:
    a team has a handful of stages, and its deals share close dates and idle days."""

    def __init__(self, t: Translator, today: date) -> None:
        self.t = t
        self.stage = cache(partial(_stage, t))
        self.days_left = cache(partial(days_to_close, t, today=today))
        self.stuck_for = cache(partial(_stuck_for, t))
        self._stage_button = t._("Stage #{id}")
        self._date_button = t._("Close date #{id}")

    def stuck(self, deal: DigestDeal) -> list[str]:
        return [] if deal.stuck_days is None else [self.stuck_for(deal.stuck_days)]

    def buttons(self, deal_id: int) -> Row:
        """Move the stage (the deal card's stage picker) or set a new close date."""
        return (
            _button(self._stage_button.format(id=deal_id), cb.CardButton("mv", deal_id)),
            _button(self._date_button.format(id=deal_id), cb.PushButton("d", deal_id)),
        )


def _deal_block(words: _Words, deal: DigestDeal) -> str:
    details = [
        format_money(deal.amount, deal.currency, words.t.language),
        words.stage(deal.stage_code, deal.stage_name, deal.probability),
        words.days_left(deal.close_date),
        *words.stuck(deal),
    ]
    return f"• {_name(deal.name)} · #{deal.id}\n   " + " · ".join(details)


def _stuck_line(words: _Words, deal: DigestDeal) -> str:
    details = [words.stage(deal.stage_code, deal.stage_name, deal.probability), *words.stuck(deal)]
    return f"• {_name(deal.name)} · #{deal.id}\n   " + " · ".join(details)


def _totals_line(t: Translator, row: TotalsRow, who: str | None = None) -> str:
    text = t.n_(
        "{count} deal · {amount} · weighted {weighted}",
        "{count} deals · {amount} · weighted {weighted}",
        row.count,
    ).format(
        count=row.count,
        amount=format_compact_money(row.amount, row.currency, t.language),
        weighted=format_compact_money(row.weighted, row.currency, t.language),
    )
    return f"• {html.escape(who)}: {text}" if who is not None else f"• {text}"


def _section(heading: str, items: list[str]) -> list[str]:
    """A heading glued to its first item, so a split never leaves a heading alone."""
    if not items:
        return []
    return [f"\n<b>{heading}</b>\n{items[0]}", *items[1:]]


def _team_blocks(t: Translator, team: TeamDigest, gregorian: bool) -> list[str]:
    lang = t.language

    def span(start: date, end: date) -> str:
        return t._("{start} – {end}").format(
            start=format_date(start, lang, gregorian=gregorian, fmt="short"),
            end=format_date(end, lang, gregorian=gregorian, fmt="short"),
        )

    week = t._("Team, closing this week ({dates})").format(
        dates=span(team.week_start, team.week_end)
    )
    month = t._("Team, closing this month ({dates})").format(
        dates=span(team.month_start, team.month_end)
    )
    stuck = [
        "• "
        + t.n_("{rep}: {n} stuck deal", "{rep}: {n} stuck deals", rep.count).format(
            rep=html.escape(rep.name), n=rep.count
        )
        for rep in team.stuck
    ]
    return [
        *_section(week, [_totals_line(t, row, row.label or "?") for row in team.week]),
        *_section(month, [_totals_line(t, row, row.label or "?") for row in team.month]),
        *_section(t._("Team, stuck deals by rep"), stuck),
    ]


def digest_messages(t: Translator, digest: Digest, *, gregorian: bool = False) -> list[Outgoing]:
    """The digest as one or more messages, each at most 4096 characters, split between deals.

    Overdue deals first, then those closing within 7 days, soonest first, each with its
    buttons; then totals, stuck deals and, for a manager, the team.
    """
    today = digest.today
    words = _Words(t, today)
    title = "📋 <b>{}</b>".format(
        t._("Your deals, {date}").format(
            date=format_date(today, t.language, gregorian=gregorian, fmt="full")
        )
    )
    overdue = [deal for deal in digest.due if deal.close_date < today]
    upcoming = [deal for deal in digest.due if deal.close_date >= today]
    blocks: list[tuple[str, int | None]] = []
    for heading, deals in (
        (t._("Overdue"), overdue),
        (t._("Closing in the next 7 days"), upcoming),
    ):
        texts = _section(heading, [_deal_block(words, deal) for deal in deals])
        blocks += [(text, deal.id) for text, deal in zip(texts, deals, strict=True)]
    if not digest.due:
        blocks.append((t._("Nothing is due in the next 7 days."), None))
    totals = [_totals_line(t, row) for row in digest.totals]
    blocks += [(text, None) for text in _section(t._("Total due"), totals)]
    stuck = [_stuck_line(words, deal) for deal in digest.stuck]
    if digest.stuck_total > len(digest.stuck):
        more = digest.stuck_total - len(digest.stuck)
        stuck.append(t.n_("…and {n} more", "…and {n} more", more).format(n=more))
    heading = t.n_(
        "Stuck: no stage change for {n} day or more",
        "Stuck: no stage change for {n} days or more",
        digest.stale_days,
    ).format(n=digest.stale_days)
    blocks += [(text, None) for text in _section(heading, stuck)]
    if digest.team is not None:
        blocks += [(text, None) for text in _team_blocks(t, digest.team, gregorian)]
    return _pack(words, title, blocks)


def _pack(words: _Words, title: str, blocks: list[tuple[str, int | None]]) -> list[Outgoing]:
    parts = [_Part()]
    parts[0].add(title)
    for text, deal_id in blocks:
        part = parts[-1]
        full = part.size + len(text) > MAX_CHARS - _PART_ROOM
        if full or (deal_id is not None and len(part.rows) >= DEALS_PER_MESSAGE):
            part = _Part()
            parts.append(part)
        part.add(text.lstrip("\n") if not part.lines else text)
        if deal_id is not None:
            part.rows.append(words.buttons(deal_id))
    messages = []
    for number, part in enumerate(parts, start=1):
        text = "\n".join(part.lines)
        if len(parts) > 1:
            marker = words.t._("Part {part} of {parts}").format(part=number, parts=len(parts))
            text = f"<i>{marker}</i>\n{text}"
        messages.append(Outgoing(text, tuple(part.rows)))
    return messages


def reminder_message(t: Translator, card: DealCard, today: date, *, gregorian: bool) -> Outgoing:
    """A close date is near: the deal, when, and buttons to move it or change the date."""
    when = format_date(card.close_date, t.language, gregorian=gregorian)
    days = (card.close_date - today).days
    if days <= 0:
        headline = t._("{name} · #{id} closes today, {date}.")
    else:
        headline = t.n_(
            "{name} · #{id} closes in {n} day, on {date}.",
            "{name} · #{id} closes in {n} days, on {date}.",
            days,
        )
    text = "⏰ <b>{}</b>\n{}\n{}".format(
        t._("Reminder"),
        headline.format(name=_name(card.name), id=card.id, n=days, date=when),
        " · ".join(
            [
                format_money(card.amount, card.currency, t.language),
                _stage(t, card.stage_code, card.stage_name, card.probability),
            ]
        ),
    )
    rows = (
        (
            _button(t._("Move stage"), cb.CardButton("mv", card.id)),
            _button(t._("New close date"), cb.PushButton("d", card.id)),
        ),
    )
    return Outgoing(text, rows)


def overdue_message(t: Translator, card: DealCard, today: date, *, gregorian: bool) -> Outgoing:
    """The one nudge after the close date passed: a new date, won, or lost."""
    text = "⚠️ " + t._(
        "{name} · #{id} was expected to close on {date} ({late}). How did it go?"
    ).format(
        name=_name(card.name),
        id=card.id,
        date=format_date(card.close_date, t.language, gregorian=gregorian),
        late=days_to_close(t, card.close_date, today),
    )
    rows = (
        (_button(t._("New close date"), cb.PushButton("d", card.id)),),
        (
            _button(t._("Won"), cb.PushButton("w", card.id)),
            _button(t._("Lost"), cb.PushButton("l", card.id)),
        ),
    )
    return Outgoing(text, rows)


def close_date_choices(
    t: Translator, deal_id: int, today: date, *, gregorian: bool
) -> InlineKeyboardMarkup:
    """A few likely new close dates, each a button, from ``today``."""
    options = [
        (t._("In a week"), today + timedelta(days=7)),
        (t._("In two weeks"), today + timedelta(days=14)),
        (t._("End of this month"), month_end(today)),
        (t._("End of next month"), month_end(today, 1)),
    ]
    seen: set[date] = set()
    rows = []
    for label, day in options:
        if day <= today or day in seen:
            continue
        seen.add(day)
        shown = format_date(day, t.language, gregorian=gregorian, fmt="short")
        data = cb.PushDate(deal_id, day).pack()
        rows.append([InlineKeyboardButton(f"{label} ({shown})", callback_data=data)])
    return InlineKeyboardMarkup(rows)
