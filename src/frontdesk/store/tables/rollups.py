"""Rollup tables: the tallies of `frontdesk.queue.tally` per centre and local hour, day
and month, the catch-up's state, and who a visitor was (for repeat visits).

Each rollup row has a grain: `h` (one local hour of one local date), `d` (the date) or
`m` (the month; `day` is its first date). Day and month rows are the sums of the hour
rows under them. The schema comes from migration 0010.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    SmallInteger,
    String,
    Table,
)
from sqlmodel import SQLModel

from frontdesk.queue.tally import COUNTS, HISTS, AdviserTally, QueryTally, VisitTally

GRAINS = ("h", "d", "m")


def _slot_columns() -> list[Column[object]]:
    return [
        Column("grain", String(1), primary_key=True),
        Column("centre_id", Integer, primary_key=True),
        Column("day", Date, primary_key=True),
        Column("hour", SmallInteger, primary_key=True),
    ]


def _tally_columns(
    cls: type[VisitTally] | type[QueryTally] | type[AdviserTally],
) -> list[Column[object]]:
    counts: list[Column[object]] = [
        Column(name, BigInteger, nullable=False, default=0) for name in COUNTS[cls]
    ]
    hists: list[Column[object]] = [Column(name, LargeBinary, nullable=True) for name in HISTS[cls]]
    return counts + hists


rollup_visit = Table(
    "rollup_visit",
    SQLModel.metadata,
    *_slot_columns(),
    Column("service_id", Integer, primary_key=True),
    Column("channel", String(16), primary_key=True),
    *_tally_columns(VisitTally),
)

rollup_query = Table(
    "rollup_query",
    SQLModel.metadata,
    *_slot_columns(),
    Column("service_id", Integer, primary_key=True),
    Column("topic_id", Integer, primary_key=True),  # 0: no query type chosen
    Column("channel", String(16), primary_key=True),
    *_tally_columns(QueryTally),
)

rollup_adviser = Table(
    "rollup_adviser",
    SQLModel.metadata,
    *_slot_columns(),
    Column("staff", String(16), primary_key=True),  # "": nobody logged in
    *_tally_columns(AdviserTally),
)

# The catch-up's bookmark: `watermark` (the last event id folded with none missing
# below it), `gap` (the first missing id after it and when it was first missed), and
# `standard:<centre id>` (the standards the centre's rollups were folded with).
rollup_state = Table(
    "rollup_state",
    SQLModel.metadata,
    Column("key", String(64), primary_key=True),
    Column("number", BigInteger, nullable=True),
    Column("text", String, nullable=True),
)

# A visitor identified by a one-way hash (of the phone number given for a notification,
# or a booking's contact): repeat visits are the same key back about the same service.
visit_identity = Table(
    "visit_identity",
    SQLModel.metadata,
    Column("ticket_id", Integer, ForeignKey("ticket.id"), primary_key=True),
    Column("kind", String(8), nullable=False),  # phone | email | booking
    Column("key", String(64), nullable=False, index=True),
)

TALLY_TABLES = {VisitTally: rollup_visit, QueryTally: rollup_query, AdviserTally: rollup_adviser}
KEY_COLUMNS = {
    VisitTally: ("service_id", "channel"),
    QueryTally: ("service_id", "topic_id", "channel"),
    AdviserTally: ("staff",),
}
