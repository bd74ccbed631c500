"""Rollups: visit, query-type and adviser tallies per centre and local hour, day and
month; the catch-up's state; visitor identities for repeat visits; the adviser's
"seen before about this" mark on a completed query.

The column lists are written out here (not read from the code) so this migration stays
what it was when later code changes.

Revision ID: 0010
Revises: 0008
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | Sequence[str] | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

VISIT_COUNTS = (
    "issued",
    "seen",
    "seen_within",
    "breached",
    "own_seen_within",
    "own_breached",
    "ended_unseen",
    "no_shows",
    "transfers",
    "transfer_waits",
    "transfer_wait_us",
    "wait_us",
    "handled",
    "handling_us",
    "queries",
    "resolved",
    "fcr",
    "avoidable",
    "avoidable_chasing",
    "avoidable_council_error",
    "avoidable_could_self_serve",
    "avoidable_wrong_place",
    "complaints",
    "compliments",
    "comments",
    "marked_repeat",
    "estimated",
    "estimate_error_us",
    "estimate_abs_error_us",
    "under_estimated",
    "interval_told",
    "inside_interval",
    "appointments_called",
    "appointment_wait_us",
    "appointments_within",
)
QUERY_COUNTS = (
    "queries",
    "resolved",
    "fcr",
    "avoidable",
    "avoidable_chasing",
    "avoidable_council_error",
    "avoidable_could_self_serve",
    "avoidable_wrong_place",
    "complaints",
    "compliments",
    "comments",
    "seen_before",
    "handled",
    "handling_us",
)
ADVISER_COUNTS = ("customers", "handled", "handling_us", "queries", "resolved", "fcr")


def _slot() -> list[sa.Column]:  # type: ignore[type-arg]
    return [
        sa.Column("grain", sa.String(length=1), nullable=False),
        sa.Column("centre_id", sa.Integer(), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
        sa.Column("hour", sa.SmallInteger(), nullable=False),
    ]


def _counts(names: Sequence[str]) -> list[sa.Column]:  # type: ignore[type-arg]
    return [sa.Column(n, sa.BigInteger(), nullable=False) for n in names]


def upgrade() -> None:
    op.create_table(
        "rollup_visit",
        *_slot(),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        *_counts(VISIT_COUNTS),
        sa.Column("wait_hist", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint("grain", "centre_id", "day", "hour", "service_id", "channel"),
    )
    op.create_table(
        "rollup_query",
        *_slot(),
        sa.Column("service_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("channel", sa.String(length=16), nullable=False),
        *_counts(QUERY_COUNTS),
        sa.Column("handling_hist", sa.LargeBinary(), nullable=True),
        sa.PrimaryKeyConstraint(
            "grain", "centre_id", "day", "hour", "service_id", "topic_id", "channel"
        ),
    )
    op.create_table(
        "rollup_adviser",
        *_slot(),
        sa.Column("staff", sa.String(length=16), nullable=False),
        *_counts(ADVISER_COUNTS),
        sa.PrimaryKeyConstraint("grain", "centre_id", "day", "hour", "staff"),
    )
    op.create_table(
        "rollup_state",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("number", sa.BigInteger(), nullable=True),
        sa.Column("text", sa.String(), nullable=True),
        sa.PrimaryKeyConstraint("key"),
    )
    op.create_table(
        "visit_identity",
        sa.Column("ticket_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=8), nullable=False),
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(["ticket_id"], ["ticket.id"]),
        sa.PrimaryKeyConstraint("ticket_id"),
    )
    op.create_index("ix_visit_identity_key", "visit_identity", ["key"])
    with op.batch_alter_table("ticket_event", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seen_before", sa.Boolean(), nullable=True))
    # The repeats report reads the marked queries of a period; they are few.
    op.create_index(
        "ix_event_seen_before",
        "ticket_event",
        ["ticket_id"],
        sqlite_where=sa.text("seen_before"),
        postgresql_where=sa.text("seen_before"),
    )
    # Appointment punctuality is folded per ticket: find a ticket's booking.
    op.create_index("ix_appointment_ticket", "appointment", ["ticket_id"])


def downgrade() -> None:
    op.drop_index("ix_appointment_ticket", table_name="appointment")
    op.drop_index("ix_event_seen_before", table_name="ticket_event")
    with op.batch_alter_table("ticket_event", schema=None) as batch_op:
        batch_op.drop_column("seen_before")
    op.drop_index("ix_visit_identity_key", table_name="visit_identity")
    op.drop_table("visit_identity")
    op.drop_table("rollup_state")
    op.drop_table("rollup_adviser")
    op.drop_table("rollup_query")
    op.drop_table("rollup_visit")
