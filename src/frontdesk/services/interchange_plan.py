"""How an import reads a file's visits and checks each one (DESIGN §4), apart from where
the rows go: `VisitPlan` hands each checked visit to a loader — the store's
(`store.history_load.HistoryLoader`) or, when a second process reads the file, one that
ships the batches to the process that writes (`interchange_parallel`)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any, Protocol

from frontdesk.queue.history import MAX_VISIT_EVENTS, VisitRefused, replay
from frontdesk.queue.states import Status, Step
from frontdesk.services.interchange_rows import MAX_PROBLEMS, CheckedRow, EventFile
from frontdesk.store.catalogue import Catalogue
from frontdesk.store.history_copy import PendingTicket
from frontdesk.store.visit_spool import VisitSpool

_SPOOL_BATCH = 5000
# Plain values for the hot loop (an enum member or its .value is a slow lookup).
_TRANSFERRED, _CALLED, _DONE = Step.TRANSFERRED, Step.CALLED, Status.DONE
_VALUE = {s: s.value for s in Step}
_STATUS_VALUE = {s: s.value for s in Status}


class Regroup(Exception):
    """The file's rows are not grouped by visit: read it again through the spool."""


class VisitLoader(Protocol):
    """Where checked visits go (`HistoryLoader`, or a pipe to the process that writes)."""

    write: bool

    def ticket_id(self) -> int: ...

    def add(self, ticket: PendingTicket, events: list[tuple[Any, ...]]) -> None: ...


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


def summarise(
    codes: dict[int, str],
    ranges: dict[int, tuple[str, str]],
    visits: int,
    events: int,
    dry_run: bool,
    grouped: bool,
) -> ImportSummary:
    """The summary of an import from its totals and each centre's first and last day."""
    days = tuple(
        (codes[cid], date.fromisoformat(lo), date.fromisoformat(hi))
        for cid, (lo, hi) in sorted(ranges.items(), key=lambda kv: codes[kv[0]])
    )
    return ImportSummary(
        visits=visits,
        events=events,
        centres=tuple(d[0] for d in days),
        date_from=min((d[1] for d in days), default=None),
        date_to=max((d[2] for d in days), default=None),
        days=days,
        dry_run=dry_run,
        grouped=grouped,
    )


def contiguous_visits(file: EventFile) -> Iterator[list[CheckedRow]]:
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


def spooled_visits(file: EventFile) -> Iterator[list[CheckedRow]]:
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


class VisitPlan:
    """Checks each visit and hands it to the loader; keeps the import's totals."""

    def __init__(
        self, cat: Catalogue, loader: VisitLoader, file: EventFile, *, authoritative: bool
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
                raise Regroup from None  # perhaps only a part of the visit: group first
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
            _STATUS_VALUE[status],
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

    def read(
        self, visits: Iterator[list[CheckedRow]]
    ) -> tuple[int, int, dict[int, tuple[str, str]]]:
        """Check and hand over every visit; the visits, events and each centre's days
        loaded. ImportRejected, naming the rows, if any row or visit had a problem."""
        for rows in visits:
            self.visit(rows)
        if self._file.problem_count or self.problems:
            raise self._file.rejected(self.problems)
        return self.visits, self.events, self.ranges
