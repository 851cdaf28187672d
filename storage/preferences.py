"""A member's own settings: language, time zone, digest time and days, quiet mode, years."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select

from storage.actors import Actor
from storage.errors import InvalidInput, NotFound
from storage.models import Team, User
from storage.uow import UnitOfWork

LANGUAGES = ("vi", "th", "en")
ALL_DAYS = (1, 2, 3, 4, 5, 6, 7)


@dataclass(frozen=True, slots=True)
class Preferences:
    language: str | None
    # None: the team's time zone applies.
    timezone: str | None
    team_timezone: str
    digest_time: time
    digest_days: tuple[int, ...]
    only_when_due: bool
    # Thai dates show Buddhist-era years unless the member asked for Gregorian ones.
    gregorian_years: bool

    @property
    def effective_timezone(self) -> str:
        return self.timezone or self.team_timezone


def parse_days(text: str) -> tuple[int, ...]:
    """ "1,2,3,4,5" -> (1, 2, 3, 4, 5): ISO weekdays, Monday is 1."""
    return tuple(sorted({int(part) for part in text.split(",") if part.strip().isdigit()}))


async def get_preferences(uow: UnitOfWork, actor: Actor) -> Preferences:
    """The actor's settings.

    Raises:
        NotFound: the member is gone.
    """
    row = (
        await uow.session.execute(
            select(User, Team.timezone)
            .join(Team, Team.id == User.team_id)
            .where(User.id == actor.id)
        )
    ).one_or_none()
    if row is None:
        raise NotFound("users", actor.id)
    user, team_timezone = row
    return Preferences(
        language=user.language,
        timezone=user.timezone,
        team_timezone=team_timezone,
        digest_time=user.digest_time,
        digest_days=parse_days(user.digest_days),
        only_when_due=user.digest_only_when_due,
        gregorian_years=user.gregorian_years,
    )


def _validated(changes: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for field, value in changes.items():
        if field == "language":
            if value not in LANGUAGES:
                raise InvalidInput("language", "unknown")
            values["language"] = value
        elif field == "timezone":
            if value is not None:
                try:
                    ZoneInfo(value)
                except (ZoneInfoNotFoundError, ValueError) as error:
                    raise InvalidInput("timezone", "unknown") from error
            values["timezone"] = value
        elif field == "digest_time":
            if not isinstance(value, time):
                raise InvalidInput("digest_time", "invalid")
            # Minutes are the finest a person sets; seconds would only confuse comparisons.
            values["digest_time"] = value.replace(second=0, microsecond=0, tzinfo=None)
        elif field == "digest_days":
            days = sorted(set(value))
            if any(day not in ALL_DAYS for day in days):
                raise InvalidInput("digest_days", "invalid")
            values["digest_days"] = ",".join(str(day) for day in days)
        elif field == "only_when_due":
            values["digest_only_when_due"] = bool(value)
        elif field == "gregorian_years":
            values["gregorian_years"] = bool(value)
        else:
            raise InvalidInput(field, "not_updatable")
    return values


async def update_preferences(uow: UnitOfWork, actor: Actor, **changes: Any) -> Preferences:
    """Change some of the actor's own settings and return them all.

    Args:
        changes: any of ``language``, ``timezone`` (an IANA name, None for the team's),
            ``digest_time`` (a time), ``digest_days`` (ISO weekdays; empty stops the
            digest), ``only_when_due`` (quiet mode), ``gregorian_years`` (Thai dates in
            Gregorian rather than Buddhist-era years).

    Raises:
        InvalidInput: ``language``/``unknown``, ``timezone``/``unknown``,
            ``digest_time``/``invalid``, ``digest_days``/``invalid``.
        NotFound: the member is gone.
    """
    values = _validated(changes)
    user = await uow.session.get(User, actor.id)
    if user is None:
        raise NotFound("users", actor.id)
    for key, value in values.items():
        setattr(user, key, value)
    await uow.commit()
    return await get_preferences(uow, actor)
