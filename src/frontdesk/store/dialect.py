"""What differs between the two backends in SQLAlchemy statements: which one a session or
connection is on, the dialect's INSERT (for ON CONFLICT) and the upsert built on it."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import Session

# Store functions run on an ORM session or, on the hot paths, a bare connection.
Executor = Session | Connection


def is_postgres(session: Executor) -> bool:
    bind = session if isinstance(session, Connection) else session.get_bind()
    return bind.dialect.name == "postgresql"


def dialect_insert(session: Executor, table: Any) -> Any:
    """INSERT with the backend's ON CONFLICT clauses."""
    return (postgresql.insert if is_postgres(session) else sqlite.insert)(table)


def upsert(session: Executor, table: Any, keys: list[str], values: dict[str, Any]) -> None:
    """Insert a row, or update the one with the same `keys`."""
    ins = dialect_insert(session, table).values(**values)
    changes = {k: v for k, v in values.items() if k not in keys}
    session.execute(ins.on_conflict_do_update(index_elements=keys, set_=changes))
