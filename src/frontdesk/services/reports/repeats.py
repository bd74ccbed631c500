"""Repeat visits (DESIGN §3): the same customer, when identified, back about the same
service within N days — or a query the adviser marked "seen before about this"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from frontdesk.errors import InvalidInput
from frontdesk.queue.figures import share
from frontdesk.queue.tally import VisitTally
from frontdesk.services.reports.common import Column, Report, Source, check_period, standards_of
from frontdesk.store import report_reads as rr
from frontdesk.store.catalogue import Catalogue, CentreRef
from frontdesk.store.engine import UnitOfWork

COLUMNS = (
    Column("service", "service", "text"),
    Column("visits", "visits"),
    Column("identified", "identified"),
    Column("repeats_identified", "back within N days"),
    Column("marked", "marked seen before"),
    Column("repeats", "repeats"),
    Column("repeat_share", "repeat share", "share"),
    Column("identified_repeat_share", "of identified", "share"),
)


def repeat_tickets(visits: Sequence[Any], window: timedelta, wanted: set[int]) -> set[int]:
    """Ids of the wanted tickets whose visitor came about the same service within
    `window` before (visits: identified tickets, oldest first, from before the period)."""
    last: dict[tuple[str, int], datetime] = {}
    out: set[int] = set()
    for v in visits:
        mark = (v.key, v.service_id)
        before = last.get(mark)
        if v.id in wanted and before is not None and v.issued_at - before <= window:
            out.add(v.id)
        last[mark] = v.issued_at
    return out


def repeats(
    source: Source,
    uow: UnitOfWork,
    cat: Catalogue,
    centres: Sequence[CentreRef],
    day_from: date,
    day_to: date,
    days: int | None = None,
) -> Report:
    check_period(day_from, day_to)
    n = days if days is not None else int(cat.settings.get("queue.repeat_visit_days", "14"))
    if not 1 <= n <= 365:
        raise InvalidInput(f"--days {n}: a repeat window of 1 to 365 days")
    ids = [c.id for c in centres]
    issued: dict[int, int] = {}
    for _cid, _day, _hour, (service_id, _channel), t in source.tallies(
        VisitTally, ids, day_from, day_to, "auto"
    ):
        issued[service_id] = issued.get(service_id, 0) + t.issued
    window = timedelta(days=n)
    with uow.read() as s:
        known = rr.identified_visits(s, day_from - window - timedelta(days=1), day_to)
        marked = rr.marked_visits(s, ids, day_from, day_to)
    here = {c.id for c in centres}
    in_period = {
        v.id: v.service_id for v in known if v.centre_id in here and v.business_day >= day_from
    }
    back = repeat_tickets(known, window, set(in_period))
    rows = []
    services = sorted(set(issued) | set(in_period.values()) | set(marked.values()))
    totals = dict.fromkeys(("visits", "identified", "back", "marked", "repeats"), 0)
    for sid in services:
        ident = {t for t, s in in_period.items() if s == sid}
        mine_back = {t for t in back if in_period[t] == sid}
        mine_marked = {t for t, s in marked.items() if s == sid}
        figures = {
            "visits": issued.get(sid, 0),
            "identified": len(ident),
            "back": len(mine_back),
            "marked": len(mine_marked),
            "repeats": len(mine_back | mine_marked),
        }
        for k, v in figures.items():
            totals[k] += v
        svc = cat.service_by_id.get(sid)
        rows.append(_row(svc.code if svc else str(sid), figures))
    if rows:
        rows.append(_row("all", totals))
    return Report(
        name="repeats",
        title=f"Repeat visits (back within {n} days)",
        date_from=day_from,
        date_to=day_to,
        centres=tuple(c.code for c in centres),
        standards=standards_of(centres),
        denominators={
            "repeat share": "visits (tickets issued, walk-in and appointments)",
            "of identified": "identified visits",
        },
        columns=COLUMNS,
        rows=tuple(rows),
        notes=(
            "identified: a phone number or e-mail given for a notification, or a booking "
            "checked in (kept as a keyed hash); the earlier visit may be at any centre",
            "repeats: back about the same service within the window, or marked by the "
            "adviser as seen before about this",
        ),
        extra={"days": n},
    )


def _row(service: str, f: dict[str, int]) -> dict[str, Any]:
    return {
        "service": service,
        "visits": f["visits"],
        "identified": f["identified"],
        "repeats_identified": f["back"],
        "marked": f["marked"],
        "repeats": f["repeats"],
        "repeat_share": share(f["repeats"], f["visits"]),
        "identified_repeat_share": share(f["back"], f["identified"]),
    }
