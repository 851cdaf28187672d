"""deal, lead, contact and account numbers are never reused on SQLite

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 23:00:00

Without AUTOINCREMENT SQLite gives the next row the highest id in use plus one, so a
deal deleted by Undo hands its number to the next deal, and a button or message
naming the old number reaches the new one. PostgreSQL sequences never go back, so
there this migration changes nothing. The tables are recreated (Alembic's batch
mode) with foreign keys off, see ``env.py``: dropping the old table with them on
would delete every row that references it.
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Parents before children does not matter with foreign keys off; kept stable anyway.
TABLES = ("accounts", "contacts", "leads", "opportunities")


def _recreate(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in TABLES:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _recreate(True)


def downgrade() -> None:
    _recreate(False)
