"""The supervisor's live view: breach alerts (one row per episode), notices to the desks,
the kiosk's "offer alternatives first" flag, and since when each desk is in its status.

Revision ID: 0012
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

from frontdesk.store.types import UTCDateTime

revision: str = "0012"
down_revision: str | Sequence[str] | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "breach_alert",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("centre_id", sa.Integer(), sa.ForeignKey("centre.id"), nullable=False),
        sa.Column("service_id", sa.Integer(), sa.ForeignKey("service.id"), nullable=False),
        sa.Column("opened_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("closed_at", UTCDateTime(timezone=True), nullable=True),
        sa.Column("recovered_since", UTCDateTime(timezone=True), nullable=True),
        sa.Column("level", sa.String(length=16), nullable=False),
        sa.Column("projected_share", sa.Float(), nullable=True),
        sa.Column("wait_risk_30", sa.Float(), nullable=True),
        sa.Column("wait_risk_60", sa.Float(), nullable=True),
        sa.Column("advice", sa.String(), nullable=False, server_default=""),
        sa.Column("emailed", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    op.create_index("ix_breach_alert_open", "breach_alert", ["centre_id", "closed_at"])
    op.create_index("ix_breach_alert_opened", "breach_alert", ["opened_at"])
    op.create_table(
        "supervisor_notice",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("centre_id", sa.Integer(), sa.ForeignKey("centre.id"), nullable=False),
        sa.Column("service_id", sa.Integer(), sa.ForeignKey("service.id"), nullable=True),
        sa.Column("at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("expires_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("staff", sa.String(length=16), nullable=True),
        sa.Column("text", sa.String(), nullable=False),
    )
    op.create_index("ix_supervisor_notice_live", "supervisor_notice", ["centre_id", "expires_at"])
    op.create_table(
        "kiosk_offer",
        sa.Column("centre_id", sa.Integer(), sa.ForeignKey("centre.id"), primary_key=True),
        sa.Column("service_id", sa.Integer(), sa.ForeignKey("service.id"), primary_key=True),
        sa.Column("since", UTCDateTime(timezone=True), nullable=False),
        sa.Column("staff", sa.String(length=16), nullable=True),
    )
    op.create_table(
        "desk_status_note",
        sa.Column("desk_id", sa.Integer(), sa.ForeignKey("desk.id"), primary_key=True),
        sa.Column("status", sa.String(length=8), nullable=False),
        sa.Column("reason", sa.String(), nullable=True),
        sa.Column("since", UTCDateTime(timezone=True), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("desk_status_note")
    op.drop_table("kiosk_offer")
    op.drop_index("ix_supervisor_notice_live", table_name="supervisor_notice")
    op.drop_table("supervisor_notice")
    op.drop_index("ix_breach_alert_opened", table_name="breach_alert")
    op.drop_index("ix_breach_alert_open", table_name="breach_alert")
    op.drop_table("breach_alert")
