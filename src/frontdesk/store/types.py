"""Column types: timezone-aware UTC timestamps on both backends, and their text form on
SQLite for the hand-written SQL (`stamp`, `read_stamp`).

The migrations name `frontdesk.store.types.UTCDateTime`: this module stays where it is.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Column, DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class UTCDateTime(TypeDecorator[datetime]):
    """Stores UTC; always gives back timezone-aware UTC datetimes.

    SQLite has no timezone type, so values are stored as naive UTC there and made aware
    again on the way out; PostgreSQL uses ``timestamptz``.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> Any:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are refused: store UTC, timezone-aware")
        value = value.astimezone(UTC)
        if dialect.name == "sqlite":
            return value.replace(tzinfo=None)
        return value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


def utc_column(nullable: bool = False) -> Column[datetime]:
    """A table's timestamp column (`Field(sa_column=utc_column())`)."""
    return Column(UTCDateTime(), nullable=nullable)


def stamp(at: datetime) -> str:
    """An aware datetime as SQLAlchemy stores it on SQLite (naive UTC, 6-digit micros)."""
    u = at.astimezone(UTC)
    return (
        f"{u.year:04d}-{u.month:02d}-{u.day:02d} "
        f"{u.hour:02d}:{u.minute:02d}:{u.second:02d}.{u.microsecond:06d}"
    )


def read_stamp(text: str | None) -> datetime | None:
    """The stored text form back as an aware UTC datetime."""
    return None if text is None else datetime.fromisoformat(text).replace(tzinfo=UTC)


# The largest id every table can hold on both backends (PostgreSQL's INTEGER); a larger
# number typed by a user names nothing rather than overflowing the driver.
MAX_ID = 2**31 - 1
