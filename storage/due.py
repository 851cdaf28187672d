"""What is due now: digests whose local time has come, close-date reminders, overdue nudges."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import Select, func, not_, select

from storage.actors import Actor
from storage.models import Opportunity, Result, Role, Team, User
from storage.outbox import OutboxKey, handled, handled_keys
from storage.uow import UnitOfWork

logger = logging.getLogger(__name__)

DIGEST = "digest"
REMINDER = "reminder"
OVERDUE = "overdue"
# An overdue deal is nudged within this many days of its close date; older ones are
# listed in the digest instead, so a first start over an old backlog is not a flood.
NUDGE_DAYS = 3

_member_zone = func.coalesce(User.timezone, Team.timezone)


@dataclass(frozen=True, slots=True)
class Recipient:
    """A member a scheduled message goes to, with what composing it needs."""

    user_id: int
    telegram_id: int
    team_id: int
    role: Role
    language: str
    timezone: str
    gregorian_years: bool
    only_when_due: bool
    stale_days: int

    @property
    def actor(self) -> Actor:
        return Actor(id=self.user_id, team_id=self.team_id, role=self.role)


@dataclass(frozen=True, slots=True)
class DueDigest:
    recipient: Recipient
    key: OutboxKey


@dataclass(frozen=True, slots=True)
class DueReminder:
    """A reminder before the close date, or (``overdue``) the one nudge after it."""

    recipient: Recipient
    key: OutboxKey
    deal_id: int
    close_date: date
    overdue: bool


def _recipients() -> Select[Any]:
    """Members who can receive pushes: active, on Telegram, not blocking the bot."""
    return (
        select(
            User.id,
            User.telegram_id,
            User.team_id,
            User.role,
            func.coalesce(User.language, Team.language),
            _member_zone,
            User.gregorian_years,
            User.digest_only_when_due,
            Team.stale_days,
        )
        .join(Team, Team.id == User.team_id)
        .where(User.active.is_(True), User.telegram_id.is_not(None), User.blocked_at.is_(None))
    )


def _recipient(row: Any) -> Recipient:
    return Recipient(*row[:9])


async def _zones(uow: UnitOfWork, now: datetime) -> list[tuple[str, datetime]]:
    """Each time zone members live in, with the local time there now."""
    statement = _recipients().with_only_columns(_member_zone).distinct()
    zones = []
    for (name,) in await uow.session.execute(statement):
        try:
            zones.append((name, now.astimezone(ZoneInfo(name))))
        except (ZoneInfoNotFoundError, ValueError):
            logger.warning("skipping members in unknown time zone %r", name)
    return zones


async def due_digests(uow: UnitOfWork, now: datetime, *, stale_before: datetime) -> list[DueDigest]:
    """Members whose digest time has passed today, on one of their days, not yet handled.

    A digest whose time passed while the bot was down is still due until the member's
    local day ends: the outbox, not the clock, says whether today's went out.
    """
    due = []
    for zone, local in await _zones(uow, now):
        today = local.date()
        statement = _recipients().where(
            _member_zone == zone,
            User.digest_time <= time(local.hour, local.minute, local.second),
            # Weekdays are single digits, so "contains" is exact.
            User.digest_days.contains(str(local.isoweekday())),
            not_(handled(User.id, DIGEST, "", today, stale_before)),
        )
        for row in await uow.session.execute(statement.order_by(User.id)):
            recipient = _recipient(row)
            due.append(DueDigest(recipient, OutboxKey(recipient.user_id, DIGEST, "", today)))
    return due


def parse_offsets(text: str) -> list[int]:
    """ "7,1,0" -> [7, 1, 0]; what is not a day count is ignored."""
    offsets = {int(part) for part in text.split(",") if part.strip().isdigit()}
    return sorted(offsets, reverse=True)


def reminder_threshold(offsets: list[int], close_date: date, today: date) -> date | None:
    """The day of the latest reminder that has come for a deal closing on ``close_date``.

    With offsets 7, 1 and 0 a deal closing in 3 days is on its 7-day reminder: that is
    the one due, once, even if the bot was down when it came.
    """
    days_left = (close_date - today).days
    passed = [offset for offset in offsets if offset >= days_left]
    if days_left < 0 or not passed:
        return None
    return close_date - timedelta(days=min(passed))


def _subject(deal_id: int, close_date: date) -> str:
    # The close date is part of the subject, so a new close date re-arms the reminders.
    return f"{deal_id}:{close_date.isoformat()}"


async def due_reminders(
    uow: UnitOfWork, now: datetime, *, stale_before: datetime
) -> list[DueReminder]:
    """Open deals whose reminder day has come, and deals just overdue, not yet handled."""
    team_offsets = {
        team_id: parse_offsets(text)
        for team_id, text in await uow.session.execute(select(Team.id, Team.reminder_offsets))
    }
    reach = max((offsets[0] for offsets in team_offsets.values() if offsets), default=0)
    due = []
    for zone, local in await _zones(uow, now):
        today = local.date()
        statement = (
            _recipients()
            .add_columns(Opportunity.id, Opportunity.close_date, Opportunity.created_at)
            .join(Opportunity, Opportunity.owner_id == User.id)
            .where(
                _member_zone == zone,
                Opportunity.result == Result.OPEN,
                Opportunity.close_date >= today - timedelta(days=NUDGE_DAYS),
                Opportunity.close_date <= today + timedelta(days=reach),
            )
            .order_by(User.id, Opportunity.close_date, Opportunity.id)
        )
        candidates = []
        for row in await uow.session.execute(statement):
            recipient = _recipient(row)
            deal_id, close_date, created_at = row[9:12]
            subject = _subject(deal_id, close_date)
            if close_date < today:
                key = OutboxKey(recipient.user_id, OVERDUE, subject, close_date)
                candidates.append(DueReminder(recipient, key, deal_id, close_date, True))
                continue
            day = reminder_threshold(team_offsets.get(recipient.team_id, []), close_date, today)
            # A deal created after its reminder day (say, 3 days before closing) is not
            # reminded of it at once: the owner has just looked at it.
            if day is None or created_at.astimezone(local.tzinfo).date() > day:
                continue
            key = OutboxKey(recipient.user_id, REMINDER, subject, day)
            candidates.append(DueReminder(recipient, key, deal_id, close_date, False))
        done = await handled_keys(
            uow,
            (item.recipient.user_id for item in candidates),
            (REMINDER, OVERDUE),
            today - timedelta(days=max(reach, NUDGE_DAYS)),
            stale_before,
        )
        due += [item for item in candidates if item.key not in done]
    return due
