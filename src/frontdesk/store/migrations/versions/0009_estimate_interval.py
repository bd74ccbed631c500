"""The estimated wait's 80% interval, stored on the ticket beside the estimate at issue.

Revision ID: 0009
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | Sequence[str] | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("estimated_wait_low_seconds", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("estimated_wait_high_seconds", sa.Integer(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("estimated_wait_high_seconds")
        batch_op.drop_column("estimated_wait_low_seconds")
