"""A deal's history as its History button shows it: moves, field changes, activities."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select

from storage.actors import Actor
from storage.models import Account, Activity, ActivityKind, Campaign, Contact, Source, User
from storage.opportunities import get_opportunity
from storage.stages import HistoryEntry, history, team_stages
from storage.uow import UnitOfWork

# Fields whose audit values are ids: the history shows the names they stood for.
REFERENCES: dict[str, type[User | Account | Contact | Campaign | Source]] = {
    "owner_id": User,
    "account_id": Account,
    "contact_id": Contact,
    "campaign_id": Campaign,
    "source_id": Source,
}


@dataclass(frozen=True, slots=True)
class ActivityEntry:
    at: datetime
    who: str
    kind: ActivityKind
    text: str


@dataclass(frozen=True, slots=True)
class DealHistory:
    """Everything the history view needs, so it renders without further look-ups.

    ``stage_codes`` maps the stage names the entries carry to their codes (the bot shows
    default stages in the reader's language); ``names`` maps (field, id as text) to the
    name a referenced record has now.
    """

    deal_id: int
    name: str
    currency: str
    entries: list[HistoryEntry]
    stage_codes: dict[str, str | None]
    names: dict[tuple[str, str], str]
    activities: list[ActivityEntry]


async def deal_history(
    uow: UnitOfWork, actor: Actor, opportunity_id: int, *, activity_limit: int = 10
) -> DealHistory:
    """Stage moves and field changes (oldest first) and the latest activities of a deal.

    Raises:
        NotFound: no such deal, or another rep's.
    """
    deal = await get_opportunity(uow, actor, opportunity_id)
    entries = await history(uow, actor, opportunity_id)
    stages = await team_stages(uow, deal.team_id)
    names: dict[tuple[str, str], str] = {}
    for field, model in REFERENCES.items():
        ids = {
            int(value)
            for entry in entries
            if entry.field == field
            for value in (entry.old, entry.new)
            if value and value.isdigit()
        }
        if ids:
            rows = await uow.session.execute(
                select(model.id, model.name).where(model.id.in_(ids), model.team_id == deal.team_id)
            )
            names.update({(field, str(ident)): name for ident, name in rows})
    latest = (
        select(Activity.occurred_at, User.name, Activity.kind, Activity.text)
        .join(User, User.id == Activity.author_id)
        .where(Activity.opportunity_id == opportunity_id)
        .order_by(Activity.occurred_at.desc(), Activity.id.desc())
        .limit(activity_limit)
    )
    activities = [ActivityEntry(*row) for row in await uow.session.execute(latest)]
    return DealHistory(
        deal_id=deal.id,
        name=deal.name,
        currency=deal.currency,
        entries=entries,
        stage_codes={stage.name: stage.code for stage in stages},
        names=names,
        activities=activities,
    )
