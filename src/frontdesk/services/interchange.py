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
from collections.abc import Callable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import date
from typing import IO, Any, TextIO

from sqlalchemy import Connection

from frontdesk.queue.history import MAX_VISIT_EVENTS, VisitRefused, replay
from frontdesk.queue.states import Status, Step
from frontdesk.services.interchange_rows import (
    COLUMNS,
    MAX_PROBLEMS,
    CheckedRow,
    EventFile,
    ImportRejected,
)
from frontdesk.services.queue import QueueService
from frontdesk.store import history_export
from frontdesk.store.catalogue import Catalogue
from frontdesk.store.history_load import (
    DuplicateVisit,
    HistoryLoader,
    PendingTicket,
    driver_errors,
    rolled_back,
)
from frontdesk.store.visit_spool import VisitSpool

__all__ = [
    "AFTER_IMPORT",
    "COLUMNS",
    "ImportRejected",
    "ImportSummary",
    "export_events",
    "import_events",
]
_SPOOL_BATCH = 5000
# Plain values for the hot loop (an enum member or its .value is a slow lookup).
_TRANSFERRED, _CALLED, _DONE = Step.TRANSFERRED, Step.CALLED, Status.DONE
_VALUE = {s: s.value for s in Step}


@dataclass(frozen=True, slots=True)
class ImportSummary:
    """What an import loaded (or, in a dry run, would load)."""

    visits: int
    events: int
    centres: tuple[str, ...]
    date_from: date | None  # first and last local business day of the visits
    date_to: date | None
    days: tuple[tuple[str, date, date], ...]  # per centre: its first and last day
    dry_run: bool
    grouped: bool  # the file's rows of each visit came together (read once)

    def as_json(self) -> dict[str, Any]:
        return {
            "visits": self.visits,
            "events": self.events,
            "centres": list(self.centres),
            "from": self.date_from.isoformat() if self.date_from else None,
            "to": self.date_to.isoformat() if self.date_to else None,
            "dry_run": self.dry_run,
        }


# Work that follows an import, given what it loaded. See `_after_import`.
AFTER_IMPORT: list[Callable[[QueueService, ImportSummary], None]] = []


def _after_import(queue: QueueService, summary: ImportSummary) -> None:
    """The one place where work that must follow a committed import runs.

    Rollups (issue 12): the rebuild of the imported centres and days is called from here,
    e.g. ``rebuild(queue, centres=summary.centres, day_from=summary.date_from,
    day_to=summary.date_to)`` — or per centre from ``summary.days``.
    """
    for hook in AFTER_IMPORT:
        hook(queue, summary)


class _Regroup(Exception):
    """The file's rows are not grouped by visit: read it again through the spool."""


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
    summary = None
    if binary.seekable():
        start = binary.tell()
        try:
            summary = _load(queue, cat, EventFile(binary, source, cat), dry_run, grouped=True)
        except _Regroup:
            binary.seek(start)
    if summary is None:
        summary = _load(queue, cat, EventFile(binary, source, cat), dry_run, grouped=False)
    if not dry_run:
        _after_import(queue, summary)
    return summary


def _load(
    queue: QueueService, cat: Catalogue, file: EventFile, dry_run: bool, *, grouped: bool
) -> ImportSummary:
    transaction: AbstractContextManager[Any] = (
        rolled_back(queue.uow.engine) if dry_run else queue.uow.write()
    )
    with driver_errors(file.source), transaction as unit:
        conn: Connection = unit if isinstance(unit, Connection) else unit.connection()
        loader = HistoryLoader(conn, write=not dry_run)
        visits = _contiguous(file) if grouped else _spooled(file)
        plan = _Plan(cat, loader, file, authoritative=not grouped)
        try:
            for rows in visits:
                plan.visit(rows)
            if file.problem_count or plan.problems:
                raise file.rejected(plan.problems)
            known = loader.imported_before(plan.ranges)
        except DuplicateVisit as exc:
            if grouped:
                raise _Regroup from None
            raise file.fail(f"visit {exc.ref} appears twice; nothing was loaded") from None
        if known:
            raise file.fail(f"visit(s) {', '.join(known)} were imported before; nothing was loaded")
    return plan.summary(dry_run, grouped)


def _contiguous(file: EventFile) -> Iterator[list[CheckedRow]]:
    """The file's visits, taking each run of rows with one visit id as a visit."""
    group: list[CheckedRow] = []
    visit = None
    for row in file.rows():
        if row.visit != visit:
            if group:
                yield group
            group, visit = [row], row.visit
        elif len(group) <= MAX_VISIT_EVENTS:
            group.append(row)
    if group:
        yield group


def _spooled(file: EventFile) -> Iterator[list[CheckedRow]]:
    """The file's visits, grouped through a scratch file sorted on disk."""
    with VisitSpool(len(CheckedRow._fields)) as spool:
        batch: list[CheckedRow] = []
        for row in file.rows():
            batch.append(row)
            if len(batch) >= _SPOOL_BATCH:
                spool.add(batch)
                batch = []
        spool.add(batch)
        if file.problem_count:
            return  # rows with problems were left out: their visits would mislead
        for group in spool.visits(MAX_VISIT_EVENTS):
            yield [
                CheckedRow(
                    r[0],
                    r[1],
                    r[2],
                    r[3],
                    Step(r[4]),
                    r[5],
                    r[6],
                    None if r[7] is None else bool(r[7]),
                    r[8],
                    r[9],
                )
                for r in group
            ]


class _Plan:
    """Checks each visit and hands it to the loader; keeps the import's totals."""

    def __init__(
        self, cat: Catalogue, loader: HistoryLoader, file: EventFile, *, authoritative: bool
    ) -> None:
        self._prefix = {s.id: s.prefix for s in cat.services.values()}
        self._loader = loader
        self._file = file
        self._authoritative = authoritative
        self.problems: list[str] = []
        self.visits = 0
        self.events = 0
        self.ranges: dict[int, tuple[str, str]] = {}

    def visit(self, rows: list[CheckedRow]) -> None:
        if self._file.problem_count or len(self.problems) >= MAX_PROBLEMS:
            return  # the file is refused anyway: only its row problems are still gathered
        name = rows[0].visit
        try:
            if any(r.centre_id != rows[0].centre_id for r in rows):
                lines = ", ".join(str(r.line) for r in rows)
                raise VisitRefused(f"visit {name} (rows {lines}) is in several centres")
            replayed = replay(name, rows)
        except VisitRefused as exc:
            if not self._authoritative:
                raise _Regroup from None  # perhaps only a part of the visit: group first
            self.problems.append(f"{self._file.source}: {exc}")
            return
        if self.problems:
            return
        self._add(replayed.events, replayed.status)

    def _add(self, events: Sequence[CheckedRow], status: Status) -> None:
        first, last = events[0], events[-1]
        centre_id = first.centre_id
        day = first.day or ""
        tid = self._loader.ticket_id() if self._loader.write else 0
        service_id, queued_at, called_at, transfers = first.service_id, first.at, None, 0
        rows = []
        for e in events:
            step = e.step
            if step is _TRANSFERRED:
                service_id, queued_at, transfers = e.service_id, e.at, transfers + 1
            elif step is _CALLED:
                called_at = e.at
            at, service, desk = e.at, e.service_id, e.desk_id
            rows.append((tid, centre_id, _VALUE[step], at, service, desk, e.resolved, e.avoidable))
        if status is _DONE:
            # The CSV has no "finished" row: the visit ended with its last query.
            rows.append(
                (tid, centre_id, "finished", last.at, last.service_id, last.desk_id, None, None)
            )
        ticket = PendingTicket(
            tid,
            centre_id,
            service_id,
            self._prefix[first.service_id],
            day,
            status.value,
            first.at,
            queued_at,
            called_at,
            transfers,
            first.visit,
        )
        self._loader.add(ticket, rows)
        self.visits += 1
        self.events += len(events)
        lo, hi = self.ranges.get(centre_id, (day, day))
        self.ranges[centre_id] = (min(lo, day), max(hi, day))

    def summary(self, dry_run: bool, grouped: bool) -> ImportSummary:
        codes = self._file.centre_codes
        days = tuple(
            (codes[cid], date.fromisoformat(lo), date.fromisoformat(hi))
            for cid, (lo, hi) in sorted(self.ranges.items(), key=lambda kv: codes[kv[0]])
        )
        return ImportSummary(
            visits=self.visits,
            events=self.events,
            centres=tuple(d[0] for d in days),
            date_from=min((d[1] for d in days), default=None),
            date_to=max((d[2] for d in days), default=None),
            days=days,
            dry_run=dry_run,
            grouped=grouped,
        )


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
