"""Rows of an event file, spooled to a temporary SQLite file and read back visit by visit.

An event file whose rows of one visit are not together (a log written in time order,
say) is grouped here with bounded memory: the rows go to a scratch database on disk
and come back sorted by visit by SQLite's external sorter, whose memory is capped by
its page cache. The file is deleted when the spool closes.
"""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

# Page cache and sorter memory of the scratch database (negative: KiB).
_CACHE_KIB = 16 * 1024
_BATCH = 5000


class VisitSpool:
    """A scratch table of rows: `add` them in any order, then read them grouped by visit.

    Rows are tuples whose first two values are the line number and the visit; the
    visit's rows come back in line order.
    """

    def __init__(self, width: int) -> None:
        self._dir = tempfile.TemporaryDirectory(prefix="frontdesk-import-")
        self._db = sqlite3.connect(Path(self._dir.name) / "spool.db", isolation_level=None)
        for pragma in (
            "journal_mode=OFF",
            "synchronous=OFF",
            "locking_mode=EXCLUSIVE",
            "temp_store=FILE",
            f"cache_size=-{_CACHE_KIB}",
        ):
            self._db.execute(f"PRAGMA {pragma}")
        columns = ", ".join(f"c{i}" for i in range(width))
        self._db.execute(f"CREATE TABLE spool ({columns})")
        self._insert = f"INSERT INTO spool VALUES ({', '.join('?' * width)})"
        self._db.execute("BEGIN")

    def add(self, rows: Iterable[Sequence[Any]]) -> None:
        self._db.executemany(self._insert, rows)

    def visits(self, limit: int) -> Iterator[list[tuple[Any, ...]]]:
        """Each visit's rows in line order; a visit's list stops growing at `limit` + 1
        rows (the rest are skipped), so one huge visit cannot fill memory."""
        cur = self._db.execute("SELECT * FROM spool ORDER BY c1, c0")
        group: list[tuple[Any, ...]] = []
        visit = None
        while True:
            batch = cur.fetchmany(_BATCH)
            if not batch:
                break
            for row in batch:
                if row[1] != visit:
                    if group:
                        yield group
                    group, visit = [], row[1]
                if len(group) <= limit:
                    group.append(row)
        if group:
            yield group

    def close(self) -> None:
        self._db.close()
        self._dir.cleanup()

    def __enter__(self) -> VisitSpool:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
