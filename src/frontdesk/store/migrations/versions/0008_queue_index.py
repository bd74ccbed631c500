"""PostgreSQL: an index of each service's normal queue in calling order.

The call's queue-heads statement runs on a generic plan (see engine.make_engine); without
this index that plan walks ix_ticket_live through every waiting ticket of the centre when
a service has nobody waiting. SQLite's statement names its index, so nothing changes there.

Revision ID: 0008
Revises: 0007
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | Sequence[str] | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.create_index(
        "ix_ticket_queue",
        "ticket",
        ["centre_id", "service_id", "queued_at", "id"],
        postgresql_where=sa.text(
            "status = 'waiting' AND priority IS NULL AND target_desk_id IS NULL"
        ),
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.drop_index("ix_ticket_queue", table_name="ticket")
