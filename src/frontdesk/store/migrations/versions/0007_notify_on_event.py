"""PostgreSQL: every event logged notifies the live screens, without a NOTIFY round trip.

A statement-level trigger on ticket_event runs pg_notify('frontdesk', ''); notifications
are delivered at commit and identical ones in a transaction are merged, so a write that
also NOTIFYs explicitly still wakes each listener once. SQLite screens poll
``PRAGMA data_version`` instead, so nothing changes there.

Revision ID: 0007
Revises: 0006
"""

from collections.abc import Sequence

from alembic import op

revision: str = "0007"
down_revision: str | Sequence[str] | None = "0006"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(
        """
        CREATE FUNCTION frontdesk_notify() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM pg_notify('frontdesk', '');
            RETURN NULL;
        END $$
        """
    )
    op.execute(
        "CREATE TRIGGER ticket_event_notify AFTER INSERT ON ticket_event"
        " FOR EACH STATEMENT EXECUTE FUNCTION frontdesk_notify()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute("DROP TRIGGER IF EXISTS ticket_event_notify ON ticket_event")
    op.execute("DROP FUNCTION IF EXISTS frontdesk_notify()")
