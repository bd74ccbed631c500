"""The change feed: tell live screens that something changed, without hammering the store.

PostgreSQL: every write transaction sends ``NOTIFY frontdesk`` (delivered on commit) and
watchers ``LISTEN``. SQLite: watchers poll ``PRAGMA data_version`` on their own
connection — a few microseconds — and re-read only when it moves.
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import Engine

CHANNEL = "frontdesk"
POLL_SECONDS = 0.2


class ChangeWatcher:
    """`wait(timeout)` blocks (in a worker thread) until a change or the timeout."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._sqlite: sqlite3.Connection | None = None
        self._pg: Any = None
        self._version: int | None = None
        if engine.dialect.name == "sqlite":
            path = engine.url.database or ":memory:"
            self._sqlite = sqlite3.connect(path, check_same_thread=False, timeout=5)
            self._version = self._data_version()
        else:
            import psycopg

            url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
            self._pg = psycopg.connect(url, autocommit=True, connect_timeout=5)
            self._pg.execute(f"LISTEN {CHANNEL}")

    def _data_version(self) -> int:
        assert self._sqlite is not None
        return int(self._sqlite.execute("PRAGMA data_version").fetchone()[0])

    def wait(self, timeout: float) -> bool:
        """True if the store changed since the last call (or since the watcher started)."""
        if self._pg is not None:
            got = False
            for _ in self._pg.notifies(timeout=timeout, stop_after=1):
                got = True
            # Drain the burst: one refresh covers many changes.
            for _ in self._pg.notifies(timeout=0.01):
                got = True
            return got
        deadline = time.monotonic() + timeout
        while True:
            version = self._data_version()
            if version != self._version:
                self._version = version
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(POLL_SECONDS, left))

    def close(self) -> None:
        if self._sqlite is not None:
            self._sqlite.close()
        if self._pg is not None:
            self._pg.close()
