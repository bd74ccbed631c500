"""The repeats report reads the queries marked "seen before about this" of a period: the
partial index on the marks now holds their time (and ticket), so that read is a range of
the index alone. On ticket id only, every mark's event row was fetched to test its time:
on a five-year store not in memory, most of the report's time.

Revision ID: 0014
Revises: 0013
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | Sequence[str] | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _marks_index(columns: list[str]) -> None:
    op.create_index(
        "ix_event_seen_before",
        "ticket_event",
        columns,
        sqlite_where=sa.text("seen_before"),
        postgresql_where=sa.text("seen_before"),
    )


def upgrade() -> None:
    op.drop_index("ix_event_seen_before", table_name="ticket_event")
    _marks_index(["at", "ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_event_seen_before", table_name="ticket_event")
    _marks_index(["ticket_id"])
