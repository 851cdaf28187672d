"""A team's rules for scheduled pushes: the reminder days and when a deal counts as stuck."""

from __future__ import annotations

from dataclasses import dataclass

from storage.actors import Actor
from storage.audit import record_changes
from storage.due import parse_offsets
from storage.errors import Forbidden, InvalidInput, NotFound
from storage.models import Team
from storage.uow import UnitOfWork

# A reminder further ahead than two months reminds nobody of anything; more than six
# reminders per deal is noise in a rep's chat.
MAX_OFFSET = 60
MAX_OFFSETS = 6
STALE_DAYS = range(1, 366)


@dataclass(frozen=True, slots=True)
class TeamRules:
    team_id: int
    # Days before the close date, largest first; 0 is the close date itself.
    reminder_offsets: tuple[int, ...]
    stale_days: int


def _rules(team: Team) -> TeamRules:
    return TeamRules(team.id, tuple(parse_offsets(team.reminder_offsets)), team.stale_days)


async def _team(uow: UnitOfWork, team_id: int) -> Team:
    team = await uow.session.get(Team, team_id)
    if team is None:
        raise NotFound("teams", team_id)
    return team


async def team_rules(uow: UnitOfWork, actor: Actor) -> TeamRules:
    """The rules of the actor's team; every member may read them."""
    return _rules(await _team(uow, actor.team_id))


async def rules_of_team(uow: UnitOfWork, team_id: int) -> TeamRules:
    """Any team's rules, for the command line, where the admin is trusted."""
    return _rules(await _team(uow, team_id))


def _validated(
    reminder_offsets: list[int] | tuple[int, ...] | None, stale_days: int | None
) -> dict[str, object]:
    values: dict[str, object] = {}
    if reminder_offsets is not None:
        offsets = sorted(set(reminder_offsets), reverse=True)
        if not offsets or len(offsets) > MAX_OFFSETS:
            raise InvalidInput("reminder_offsets", "count", max=MAX_OFFSETS)
        if any(not 0 <= offset <= MAX_OFFSET for offset in offsets):
            raise InvalidInput("reminder_offsets", "out_of_range", max=MAX_OFFSET)
        values["reminder_offsets"] = ",".join(str(offset) for offset in offsets)
    if stale_days is not None:
        if stale_days not in STALE_DAYS:
            raise InvalidInput("stale_days", "out_of_range", max=STALE_DAYS[-1])
        values["stale_days"] = stale_days
    return values


async def update_team_rules(
    uow: UnitOfWork,
    actor: Actor | None,
    team_id: int,
    *,
    reminder_offsets: list[int] | tuple[int, ...] | None = None,
    stale_days: int | None = None,
) -> TeamRules:
    """Change a team's reminder days and stuck threshold; None leaves one as it is.

    ``actor`` is None on the command line, where the admin is trusted; in the chat a
    manager changes their own team's rules and an admin any team's. A changed reminder
    schedule applies from the next tick: reminders already sent are not repeated, and a
    day that now has a reminder gets it once.

    Raises:
        Forbidden: the actor is a rep. NotFound: no such team, or another team's for a
            manager.
        InvalidInput: ``reminder_offsets``/``count`` (none, or more than six),
            ``reminder_offsets``/``out_of_range`` (not 0–60 days),
            ``stale_days``/``out_of_range`` (not 1–365).
    """
    if actor is not None and not actor.is_manager:
        raise Forbidden("update_team_rules")
    if actor is not None and not actor.is_admin and actor.team_id != team_id:
        raise NotFound("teams", team_id)
    values = _validated(reminder_offsets, stale_days)
    team = await _team(uow, team_id)
    changes = {
        field: (getattr(team, field), value)
        for field, value in values.items()
        if getattr(team, field) != value
    }
    if changes:
        if actor is not None:
            record_changes(uow.session, actor, team.id, "team", team.id, changes)
        for field, (_, value) in changes.items():
            setattr(team, field, value)
        await uow.commit()
    return _rules(team)
