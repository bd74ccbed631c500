"""Tables of the council (centres, services, desks, topics, priorities, settings) and of
the queue (tickets, the event log, the number counters).

The event log (`ticket_event`) is append-only: measures and the audit trail are computed
from it. `ticket` holds each ticket's current state so the live queue is one indexed
query, and `number_counter` hands out ticket numbers inside the issuing transaction.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Index, UniqueConstraint, text
from sqlmodel import Field, SQLModel

from frontdesk.store.types import utc_column


class Centre(SQLModel, table=True):
    __tablename__ = "centre"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    name: str
    address: str = ""
    timezone: str = "Europe/London"
    threshold_minutes: float = 10
    target_share: float = 0.95
    average_wait_minutes: float | None = None
    hours: str = "{}"  # JSON: day → "HH:MM-HH:MM[,…]"
    closures: str = "[]"  # JSON: ISO dates
    daily_visitors: int = 200
    active: bool = True


class Service(SQLModel, table=True):
    __tablename__ = "service"

    id: int | None = Field(default=None, primary_key=True)
    code: str = Field(unique=True, max_length=16)
    name: str
    prefix: str = Field(max_length=2)
    mean_handling_seconds: float = 360
    demand_share: float = 0
    active: bool = True


class Topic(SQLModel, table=True):
    __tablename__ = "topic"

    id: int | None = Field(default=None, primary_key=True)
    service_id: int = Field(foreign_key="service.id", index=True)
    code: str = Field(unique=True, max_length=16)
    name: str
    quick: bool = False
    self_service_url: str | None = None
    position: int = 0
    active: bool = True


class CentreService(SQLModel, table=True):
    """A service offered at a centre, its own standard if any, and its fairness run."""

    __tablename__ = "centre_service"

    centre_id: int = Field(foreign_key="centre.id", primary_key=True)
    service_id: int = Field(foreign_key="service.id", primary_key=True)
    threshold_minutes: float | None = None
    target_share: float | None = None
    # Consecutive priority calls in this service queue (the fairness rule's counter).
    priority_run: int = 0
    active: bool = True


class Desk(SQLModel, table=True):
    __tablename__ = "desk"
    __table_args__ = (UniqueConstraint("centre_id", "name", name="uq_desk_centre_name"),)

    id: int | None = Field(default=None, primary_key=True)
    centre_id: int = Field(foreign_key="centre.id")
    name: str = Field(max_length=24)
    services: str = ""  # service codes in service order, comma-separated
    private_room: bool = False
    status: str = "closed"  # closed | open | paused
    current_ticket_id: int | None = None
    active: bool = True


class PriorityReason(SQLModel, table=True):
    __tablename__ = "priority_reason"

    code: str = Field(primary_key=True, max_length=16)
    name: str
    active: bool = True


class Setting(SQLModel, table=True):
    """Council-wide settings from the centres file (queue rules, council name)."""

    __tablename__ = "setting"

    key: str = Field(primary_key=True, max_length=64)
    value: str


class NumberCounter(SQLModel, table=True):
    """The last number handed out per centre, prefix and local business day."""

    __tablename__ = "number_counter"

    centre_id: int = Field(foreign_key="centre.id", primary_key=True)
    prefix: str = Field(primary_key=True, max_length=2)
    business_day: date = Field(primary_key=True)
    last: int = 0


class Ticket(SQLModel, table=True):
    __tablename__ = "ticket"
    __table_args__ = (
        # The live queue: waiting tickets of a centre in arrival order.
        Index("ix_ticket_live", "centre_id", "status", "queued_at"),
        # The heads of each service queue, read on every call: only waiting tickets are
        # in it, so it stays small however long the history grows.
        Index(
            "ix_ticket_waiting",
            "centre_id",
            "service_id",
            "priority",
            "queued_at",
            sqlite_where=text("status = 'waiting'"),
            postgresql_where=text("status = 'waiting'"),
        ),
        # PostgreSQL: the normal queue of each service in calling order. Its generic plan
        # would otherwise walk ix_ticket_live through every waiting ticket of the centre
        # for a service with nobody waiting. (SQLite is told which index to use.)
        Index(
            "ix_ticket_queue",
            "centre_id",
            "service_id",
            "queued_at",
            "id",
            postgresql_where=text(
                "status = 'waiting' AND priority IS NULL AND target_desk_id IS NULL"
            ),
        ).ddl_if(dialect="postgresql"),
        # Tickets sent to a desk by name (transfers, checked-in appointments).
        Index(
            "ix_ticket_directed",
            "target_desk_id",
            "queued_at",
            sqlite_where=text("status = 'waiting' AND target_desk_id IS NOT NULL"),
            postgresql_where=text("status = 'waiting' AND target_desk_id IS NOT NULL"),
        ),
        # Reports: a centre's tickets by the local day they were issued.
        Index("ix_ticket_day", "centre_id", "business_day"),
        # A belt to the counter's braces: a number is never printed twice in a day.
        UniqueConstraint("centre_id", "business_day", "label", name="uq_ticket_number"),
    )

    id: int | None = Field(default=None, primary_key=True)
    centre_id: int = Field(foreign_key="centre.id")
    service_id: int = Field(foreign_key="service.id")
    topic_id: int | None = Field(default=None, foreign_key="topic.id")
    label: str = Field(max_length=12)
    number: int
    business_day: date
    channel: str = "kiosk"  # kiosk | greeter | desk | appointment | import | cli
    priority: str | None = None  # a priority reason code
    needs: str = ""  # comma-separated needs (private-room, interpreter:pl, bsl, …)
    note: str | None = None
    status: str = "waiting"
    issued_at: datetime = Field(sa_column=utc_column())
    queued_at: datetime = Field(sa_column=utc_column())
    called_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    desk_id: int | None = Field(default=None, foreign_key="desk.id")
    target_desk_id: int | None = Field(default=None, foreign_key="desk.id")
    estimated_wait_seconds: int | None = None
    # The estimate's 80% interval (None with the estimate when no desk served the service).
    estimated_wait_low_seconds: int | None = None
    estimated_wait_high_seconds: int | None = None
    transfers: int = 0
    token: str = Field(unique=True, max_length=32)
    external_ref: str | None = None  # the visit id from an imported file
    # A checked-in appointment's booked time: the routing rule calls it then.
    due_at: datetime | None = Field(default=None, sa_column=utc_column(nullable=True))
    # Marked by a greeter (or from its topic) as a quick query desks may comb at busy times.
    quick: bool = Field(default=False, sa_column_kwargs={"server_default": text("false")})


class TicketEvent(SQLModel, table=True):
    """Append-only log of every step a ticket takes: who, when, where and why."""

    __tablename__ = "ticket_event"
    __table_args__ = (
        Index("ix_event_ticket", "ticket_id", "id"),
        Index("ix_event_centre_at", "centre_id", "at"),
        Index(  # the repeats report's marks of a period (migration 0014)
            "ix_event_seen_before",
            "at",
            "ticket_id",
            sqlite_where=text("seen_before"),
            postgresql_where=text("seen_before"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    ticket_id: int = Field(foreign_key="ticket.id")
    centre_id: int = Field(foreign_key="centre.id")
    step: str = Field(max_length=16)
    at: datetime = Field(sa_column=utc_column())
    service_id: int = Field(foreign_key="service.id")
    desk_id: int | None = Field(default=None, foreign_key="desk.id")
    staff: str | None = None
    topic_id: int | None = Field(default=None, foreign_key="topic.id")
    resolved: bool | None = None
    handoff: str | None = None
    avoidable: str | None = None
    feedback: str | None = None  # complaint | compliment | comment
    text: str | None = None  # a transfer note, feedback text or a reason
    # On a `completed` row: the adviser's mark "seen before about this" (repeat visits).
    seen_before: bool | None = None
