"""The append-only audit log: who changed which field, from what to what."""

from __future__ import annotations

from datetime import date, datetime
from enum import Enum
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from storage.actors import Actor
from storage.models import AuditEntry


def _as_text(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, date | datetime):
        return value.isoformat()
    return str(value)


def record_changes(
    session: AsyncSession,
    actor: Actor,
    team_id: int,
    entity: str,
    entity_id: int,
    changes: dict[str, tuple[Any, Any]],
) -> None:
    """Add one audit row per field whose value really changed."""
    for field, (old, new) in changes.items():
        if old == new:
            continue
        session.add(
            AuditEntry(
                team_id=team_id,
                user_id=actor.id,
                entity=entity,
                entity_id=entity_id,
                field=field,
                old_value=_as_text(old),
                new_value=_as_text(new),
            )
        )
