"""the day a deal was won or lost, in the team's time zone

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 22:30:00

Closed deals get the day of their last stage change (the move that closed them), read in
their team's time zone; a closed deal without history falls back to its closed_at, then
to its close date.
"""

from collections.abc import Sequence
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_BATCH = 1_000


def _instant(value: object) -> datetime | None:
    """An instant as either database returns it: aware, naive UTC, or ISO text (SQLite)."""
    if value is None:
        return None
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if isinstance(value, datetime):
        return value if value.tzinfo else value.replace(tzinfo=UTC)
    return None


def upgrade() -> None:
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.add_column(sa.Column("closed_on", sa.Date(), nullable=True))
        batch_op.create_index(
            "ix_opps_team_closed_on", ["team_id", "result", "closed_on"], unique=False
        )
    bind = op.get_bind()
    last_change = (
        "SELECT max(changed_at) FROM stage_changes WHERE opportunity_id = opportunities.id"
    )
    rows = bind.execute(
        sa.text(
            f"SELECT opportunities.id, ({last_change}), opportunities.closed_at, "
            "opportunities.close_date, teams.timezone FROM opportunities "
            "JOIN teams ON teams.id = opportunities.team_id "
            "WHERE opportunities.result IN ('won', 'lost')"
        )
    ).all()
    update = sa.text("UPDATE opportunities SET closed_on = :day WHERE id = :id")
    values = []
    zones: dict[str, ZoneInfo] = {}
    for ident, changed_at, closed_at, close_date, timezone in rows:
        instant = _instant(changed_at) or _instant(closed_at)
        if instant is None:
            day = close_date
        else:
            zone = zones.setdefault(timezone, ZoneInfo(timezone))
            day = instant.astimezone(zone).date()
        values.append({"id": ident, "day": day})
        if len(values) == _BATCH:
            bind.execute(update, values)
            values = []
    if values:
        bind.execute(update, values)


def downgrade() -> None:
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_index("ix_opps_team_closed_on")
        batch_op.drop_column("closed_on")
