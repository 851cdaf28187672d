"""an index for the digest's stuck deals

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 13:00:00
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_index(
        "ix_opps_team_stale",
        "opportunities",
        ["team_id", "result", "stage_changed_at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index("ix_opps_team_stale", table_name="opportunities")
