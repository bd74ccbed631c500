"""Reading the event log "after id N" in pages, so PostgreSQL walks the primary key.

The engine asks PostgreSQL for generic plans (engine.py: `plan_cache_mode`), which know
nothing of the parameter: for `id > $1` the planner guesses a third of the log and scans
all of it — 0.7 s on five years of a council's history, for the handful of events a live
screen wants. A limit written into the statement makes the index walk from the mark the
cheap plan; the pages are read until one comes back short.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from sqlalchemy import Row, Select, literal_column

from frontdesk.store.dialect import Executor

PAGE = 5000


def rows_after(
    session: Executor, select_after: Callable[[int], Select[Any]], mark: int
) -> list[Row[Any]]:
    """Every row of `select_after(id)` (ordered by the event id, the first column) past
    `mark`, a page at a time."""
    out: list[Row[Any]] = []
    while True:
        page = list(session.execute(select_after(mark).limit(literal_column(str(PAGE)))).all())
        out.extend(page)
        if len(page) < PAGE:
            return out
        mark = page[-1][0]
