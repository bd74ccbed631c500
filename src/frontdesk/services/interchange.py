"""Event interchange (DESIGN §4): import a history from CSV and export the same format.

An import streams the file and is all or nothing: every row is checked (encoding, codes,
times), every visit is replayed through the state machine, and everything loads in one
transaction in large batches (COPY on PostgreSQL) — or nothing does. Memory stays flat
whatever the file's size: a file whose rows of one visit come together (an export, or a
file sorted by visit) is read once; otherwise (a log in time order, say) the first
visit met twice sends the import back to the start, to group the rows through a scratch
file sorted on disk (`store/visit_spool.py`). `dry_run` does every check and says what
would be loaded, writing nothing.

An export streams the event log from the store (a server-side cursor on PostgreSQL) to
any text stream.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from datetime import date
from typing import IO, TextIO

from sqlalchemy import Connection

from frontdesk.services.interchange_parallel import ReadApart, worth_reading_apart
from frontdesk.services.interchange_plan import (
    ImportSummary,
    Regroup,
    VisitPlan,
    contiguous_visits,
    spooled_visits,
    summarise,
)
from frontdesk.services.interchange_rows import COLUMNS, EventFile, ImportRejected
from frontdesk.services.queue import QueueService
from frontdesk.store import history_export
from frontdesk.store.catalogue import VERSION_KEY, Catalogue, stored_version
from frontdesk.store.history_load import DuplicateVisit, HistoryLoader, driver_errors, rolled_back

__all__ = [
    "AFTER_IMPORT",
    "COLUMNS",
    "ImportRejected",
    "ImportSummary",
    "export_events",
    "import_events",
]


# Work that follows an import, given what it loaded. See `_after_import`.
AFTER_IMPORT: list[Callable[[QueueService, ImportSummary], None]] = []


def _after_import(queue: QueueService, summary: ImportSummary) -> None:
    """The one place where work that must follow a committed import runs (the command
    `import events` itself then rebuilds the rollups of the imported days)."""
    for hook in AFTER_IMPORT:
        hook(queue, summary)


def import_events(
    queue: QueueService,
    data: IO[bytes] | bytes | str,
    source: str = "<csv>",
    *,
    dry_run: bool = False,
) -> ImportSummary:
    """Load a CSV history (bytes, text or a binary file). Nothing is loaded on any error."""
    binary: IO[bytes] = (
        io.BytesIO(data.encode("utf-8") if isinstance(data, str) else data)
        if isinstance(data, bytes | str)
        else data
    )
    cat = queue.catalogue(refresh=True)
    apart = worth_reading_apart(binary, dry_run=dry_run)
    summary = None
    if binary.seekable():
        start = binary.tell()
        try:
            summary = _load(queue, cat, binary, source, dry_run, grouped=True, apart=apart)
        except Regroup:
            binary.seek(start)
    if summary is None:
        summary = _load(queue, cat, binary, source, dry_run, grouped=False, apart=apart)
    if not dry_run:
        _after_import(queue, summary)
    return summary


def _load(
    queue: QueueService,
    cat: Catalogue,
    binary: IO[bytes],
    source: str,
    dry_run: bool,
    *,
    grouped: bool,
    apart: bool,
) -> ImportSummary:
    file = EventFile(binary, source, cat)
    transaction: AbstractContextManager[Connection] = (
        rolled_back(queue.uow.engine) if dry_run else queue.uow.bulk_write()
    )
    with driver_errors(file.source), transaction as conn:
        if stored_version(conn) != cat.settings.get(VERSION_KEY):
            # The bulk write trusts the catalogue read before its lock was taken.
            raise file.fail(
                "the centres file was loaded again (frontdesk init) as the import began; "
                "nothing was loaded: run the import again"
            )
        loader = HistoryLoader(conn, write=not dry_run)
        try:
            if apart:
                with ReadApart(binary, file, cat, grouped, loader) as reading:
                    reading.load()
                assert reading.totals is not None
                visits, events_read, ranges = reading.totals
            else:
                plan = VisitPlan(cat, loader, file, authoritative=not grouped)
                visits, events_read, ranges = plan.read(
                    contiguous_visits(file) if grouped else spooled_visits(file)
                )
            known = loader.imported_before(ranges)
        except DuplicateVisit as exc:
            if grouped:
                raise Regroup from None
            raise file.fail(f"visit {exc.ref} appears twice; nothing was loaded") from None
        if known:
            raise file.fail(f"visit(s) {', '.join(known)} were imported before; nothing was loaded")
    return summarise(file.centre_codes, ranges, visits, events_read, dry_run, grouped)


def export_events(
    queue: QueueService,
    out: TextIO,
    centres: Sequence[str] | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
) -> int:
    """Write the event history of tickets issued in the period; returns rows written."""
    cat = queue.catalogue(refresh=True)
    chosen = [queue.centre(c) for c in centres] if centres else list(cat.centres.values())
    lo = (day_from or date(1900, 1, 1)).isoformat()
    hi = (day_to or date(9999, 12, 31)).isoformat()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    with queue.uow.read() as s:  # one snapshot for every centre
        conn = s.connection()
        for centre in chosen:
            for rows in history_export.event_rows(conn, centre.id, centre.code, lo, hi):
                writer.writerows(rows)
                count += len(rows)
    return count
