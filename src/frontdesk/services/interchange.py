"""Event interchange (DESIGN §4): import a history from CSV and export the same format.

An import is all or nothing: every row is checked (codes, times, the state machine per
visit) before anything is written, and the whole file loads in one transaction.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, TextIO

from sqlalchemy import select

from frontdesk.errors import IllegalStep, InvalidInput
from frontdesk.queue.measures import AVOIDABLE_CATEGORIES
from frontdesk.queue.numbering import business_day, ticket_label
from frontdesk.queue.states import INTERCHANGE_STEPS, Status, Step, next_status
from frontdesk.services.queue import QueueService
from frontdesk.store import queue_store as qs

COLUMNS = ("visit", "centre", "service", "event", "at", "desk", "resolved", "avoidable")
_DESK_STEPS = {Step.CALLED, Step.STARTED, Step.COMPLETED}
# Internal steps map onto the interchange vocabulary on export.
_EXPORT_AS = {Step.RECALLED: Step.CALLED}


class ImportRejected(InvalidInput):
    """A file with errors; nothing from it was loaded."""


@dataclass(frozen=True, slots=True)
class _Row:
    line: int
    visit: str
    centre: str
    service: str
    step: Step
    at: datetime
    desk: str | None
    resolved: bool | None
    avoidable: str | None


def _parse_rows(lines: Iterable[str], source: str, queue: QueueService) -> list[_Row]:
    cat = queue.catalogue(refresh=True)
    reader = csv.DictReader(lines)
    header = tuple(reader.fieldnames or ())
    missing = [c for c in COLUMNS if c not in header]
    if missing:
        raise ImportRejected(
            f"{source}: header lacks column(s) {', '.join(missing)} (expected: {','.join(COLUMNS)})"
        )
    rows: list[_Row] = []
    problems: list[str] = []
    for n, rec in enumerate(reader, start=2):
        where = f"{source}: row {n}"
        try:
            rows.append(_parse_one(rec, n, cat))
        except InvalidInput as exc:
            problems.append(f"{where}: {exc}")
    if problems:
        raise ImportRejected("; ".join(problems[:20]) + _more(problems))
    return rows


def _more(problems: Sequence[str]) -> str:
    return f"; … and {len(problems) - 20} more" if len(problems) > 20 else ""


def _parse_one(rec: dict[str, Any], n: int, cat: Any) -> _Row:
    def get(key: str) -> str:
        return (rec.get(key) or "").strip()

    visit = get("visit")
    if not visit:
        raise InvalidInput("'visit' is empty")
    centre = get("centre")
    if centre not in cat.centres:
        raise InvalidInput(f"unknown centre '{centre}'")
    service = get("service")
    if service not in cat.services:
        raise InvalidInput(f"unknown service '{service}'")
    if service not in cat.centres[centre].services:
        raise InvalidInput(f"service '{service}' is not offered at {centre}")
    try:
        step = Step(get("event"))
        if step not in INTERCHANGE_STEPS:
            raise ValueError
    except ValueError:
        raise InvalidInput(
            f"unknown event '{get('event')}' (accepted: {', '.join(INTERCHANGE_STEPS)})"
        ) from None
    try:
        at = datetime.fromisoformat(get("at"))
    except ValueError:
        raise InvalidInput(f"'at' {get('at')!r} is not ISO 8601") from None
    if at.tzinfo is None:
        raise InvalidInput(f"'at' {get('at')!r} has no UTC offset (e.g. +00:00)")
    desk = get("desk") or None
    if step in _DESK_STEPS:
        if desk is None:
            raise InvalidInput(f"'{step.value}' needs the desk name")
        if desk not in cat.centres[centre].desks:
            raise InvalidInput(f"unknown desk '{desk}' at {centre}")
    elif desk is not None:
        raise InvalidInput(f"'desk' must be empty on '{step.value}' rows")
    resolved_text = get("resolved").lower()
    avoidable = get("avoidable") or None
    resolved: bool | None = None
    if step is Step.COMPLETED:
        if resolved_text not in ("true", "false"):
            raise InvalidInput("'resolved' must be true or false on completed rows")
        resolved = resolved_text == "true"
        if avoidable is not None and avoidable not in AVOIDABLE_CATEGORIES:
            raise InvalidInput(
                f"unknown avoidable '{avoidable}' (accepted: {', '.join(AVOIDABLE_CATEGORIES)})"
            )
    elif resolved_text or avoidable:
        raise InvalidInput("'resolved' and 'avoidable' belong on completed rows only")
    return _Row(n, visit, centre, service, step, at, desk, resolved, avoidable)


def _check_visits(rows: list[_Row], source: str) -> dict[str, list[_Row]]:
    visits: dict[str, list[_Row]] = defaultdict(list)
    for r in rows:
        visits[r.visit].append(r)
    problems = []
    for visit, vrows in visits.items():
        vrows.sort(key=lambda r: (r.at, r.line))
        lines = ", ".join(str(r.line) for r in vrows)
        centres = {r.centre for r in vrows}
        if len(centres) > 1:
            problems.append(f"{source}: visit {visit} (rows {lines}) is in several centres")
            continue
        status: Status | None = None
        try:
            for r in vrows:
                status = next_status(f"{visit}", status, r.step)
        except IllegalStep as exc:
            problems.append(f"{source}: visit {visit} (rows {lines}): {exc}")
            continue
        finished = status is Status.SERVING and vrows[-1].step is Step.COMPLETED
        if status in (Status.WAITING, Status.CALLED) or (status is Status.SERVING and not finished):
            problems.append(
                f"{source}: visit {visit} (rows {lines}) is not finished ({status}); "
                "only finished visits can be imported"
            )
    if problems:
        raise ImportRejected("; ".join(problems[:20]) + _more(problems))
    return visits


def import_events(queue: QueueService, text: str | TextIO, source: str = "<csv>") -> int:
    """Load a CSV history; returns the number of visits. Nothing is loaded on any error."""
    lines = io.StringIO(text) if isinstance(text, str) else text
    rows = _parse_rows(lines, source, queue)
    visits = _check_visits(rows, source)
    cat = queue.catalogue()
    with queue.uow.write() as s:
        known = _already_imported(s, visits)
        if known:
            raise ImportRejected(
                f"{source}: visit(s) {', '.join(sorted(known)[:10])} were imported before; "
                "nothing was loaded"
            )
        for visit, vrows in visits.items():
            _load_visit(s, cat, visit, vrows)
    return len(visits)


def _already_imported(s: Any, visits: dict[str, list[_Row]]) -> set[str]:
    refs = list(visits)
    found: set[str] = set()
    for i in range(0, len(refs), 500):
        chunk = refs[i : i + 500]
        found.update(
            r
            for (r,) in s.execute(select(qs.T.c.external_ref).where(qs.T.c.external_ref.in_(chunk)))
        )
    return found


def _load_visit(s: Any, cat: Any, visit: str, vrows: list[_Row]) -> None:
    centre = cat.centres[vrows[0].centre]
    first = vrows[0]
    svc = cat.services[first.service]
    day = business_day(first.at, centre.timezone)
    number = qs.next_number(s, centre.id, svc.prefix, day)
    status: Status | None = None
    service_id = svc.id
    queued_at = first.at
    called_at = None
    transfers = 0
    events = []
    for r in vrows:
        status = next_status(visit, status, r.step)
        row_service = cat.services[r.service].id
        if r.step is Step.TRANSFERRED:
            service_id, queued_at, transfers = row_service, r.at, transfers + 1
        if r.step is Step.CALLED:
            called_at = r.at
        events.append(
            {
                "centre_id": centre.id,
                "step": r.step.value,
                "at": r.at,
                "service_id": row_service,
                "desk_id": centre.desks[r.desk].id if r.desk else None,
                "resolved": r.resolved,
                "avoidable": r.avoidable,
            }
        )
    if status is Status.SERVING:
        # The CSV has no "finished" row: the visit ended with its last query.
        status = Status.DONE
        events.append(
            {**events[-1], "step": Step.FINISHED.value, "resolved": None, "avoidable": None}
        )
    ticket_id = qs.insert_ticket(
        s,
        centre_id=centre.id,
        service_id=service_id,
        label=ticket_label(svc.prefix, number),
        number=number,
        business_day=day,
        channel="import",
        status=(status or Status.DONE).value,
        issued_at=first.at,
        queued_at=queued_at,
        called_at=called_at,
        transfers=transfers,
        token=f"imp-{centre.id}-{day:%Y%m%d}-{svc.prefix}{number}",
        external_ref=visit,
        needs="",
    )
    qs.append_events(s, [{**e, "ticket_id": ticket_id} for e in events])


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
    by_id = cat.service_by_id
    day_from = day_from or date(1970, 1, 1)
    day_to = day_to or date(9999, 12, 31)
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(COLUMNS)
    count = 0
    for centre in chosen:
        desks = {d.id: d.name for d in centre.desks.values()}
        with queue.uow.read() as s:
            tickets = {t.id: t for t in qs.tickets_issued(s, [centre.id], day_from, day_to)}
            events = qs.events_of_tickets_issued(s, [centre.id], day_from, day_to)
        for e in events:
            step = _EXPORT_AS.get(Step(e.step), Step(e.step))
            if step not in INTERCHANGE_STEPS:
                continue
            t = tickets[e.ticket_id]
            visit = t.external_ref or f"{centre.code}-{t.business_day.isoformat()}-{t.label}"
            writer.writerow(
                (
                    visit,
                    centre.code,
                    by_id[e.service_id].code,
                    step.value,
                    e.at.isoformat(),
                    desks.get(e.desk_id, "") if step in _DESK_STEPS else "",
                    ("true" if e.resolved else "false") if step is Step.COMPLETED else "",
                    (e.avoidable or "") if step is Step.COMPLETED else "",
                )
            )
            count += 1
    return count
