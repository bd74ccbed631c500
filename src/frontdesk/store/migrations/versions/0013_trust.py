"""Trust: the audit log says through what (`via`: "cli:alice", "kiosk", …) and is read by
staff code and period; a removed member of staff keeps their code (so history still
names them) but loses their name and PIN, marked by `removed_at`.

Revision ID: 0013
Revises: 0012
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from frontdesk.store.types import UTCDateTime

revision: str = "0013"
down_revision: str | Sequence[str] | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("via", sa.String(length=64), nullable=False, server_default="")
        )
        batch_op.create_index("ix_audit_staff_at", ["staff", "at"], unique=False)
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("removed_at", UTCDateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("removed_at")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_staff_at")
        batch_op.drop_column("via")
