"""The driver's own connection, lent from SQLAlchemy's pool, for the hot paths written in
hand-written SQL (calls, steps at a desk).

SQLite: the pysqlite connection as the engine configured it (transactions are ours).
PostgreSQL: the psycopg connection in autocommit, for one-statement transactions with no
BEGIN and COMMIT round trips; put back in the pool as it was lent, or dropped from it if
it broke.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy.exc import OperationalError

from frontdesk.store.engine import UnitOfWork, unavailable


@contextmanager
def driver_connection(uow: UnitOfWork) -> Iterator[Any]:
    try:
        raw = uow.engine.raw_connection()
    except OperationalError as exc:
        raise unavailable(exc) from exc
    try:
        if uow.sqlite:
            yield raw.driver_connection
            return
        import psycopg

        db: Any = raw.driver_connection
        try:
            db.autocommit = True
            try:
                yield db
            finally:
                with contextlib.suppress(psycopg.Error):
                    db.autocommit = False
                if db.closed or db.autocommit:
                    raw.invalidate()
        except psycopg.OperationalError as exc:
            raw.invalidate()
            raise unavailable(exc) from exc
    finally:
        raw.close()
