"""Keeping the rollups current with the event log, and rebuilding them.

How they stay current (an idempotent catch-up, not a write in the desks' transactions,
so a busy centre's desks never queue on a rollup row):

* The catch-up remembers the last event id folded with none missing below it (the
  watermark). Each run reads the events after it, finds the local hours their tickets
  were issued in, and recomputes those hours from *all* their tickets' events; then the
  day and month rows over them. Recomputing from the events makes a run idempotent: two
  runs, or a run and a rebuild, give the same rows.
* PostgreSQL hands out ids before commit, so an id can be missing for a while (a
  transaction still open) and appear later. The watermark stops at such a gap; the
  events beyond it are folded now and read again next time, until the gap fills or has
  stayed empty for GAP_GRACE_SECONDS (a rolled-back insert).
* Report reads, the board and `frontdesk housekeeping` run it; when nothing happened
  since the last run it is one indexed count. Rollup writers queue on one state row.
* A changed standard (a re-run `frontdesk init`) is noticed by the standards' fingerprint
  and that centre's rollups are rebuilt. After `frontdesk import events`, or to repair,
  `frontdesk report rebuild [--centre] [--from --to]` recomputes from the events.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from frontdesk.queue.tally import (
    NOT_TOLD,
    AdviserTally,
    QueryTally,
    Slot,
    Told,
    VisitTally,
    add_visit,
    merge,
)
from frontdesk.queue.visit_facts import ISSUED, VisitEvent, visit_facts
from frontdesk.store import fold_reads as fr
from frontdesk.store import rollup_store as rs
from frontdesk.store.engine import UnitOfWork

GAP_GRACE_SECONDS = 60.0
# A catch-up with more dirty hours than this in a day recomputes the whole day.
WHOLE_DAY_AFTER = 6


@dataclass(frozen=True, slots=True)
class Rebuilt:
    centres: tuple[int, ...]
    days: int
    visits: int
    seconds: float


def month_start(day: date) -> date:
    return day.replace(day=1)


def month_end(day: date) -> date:
    nxt = (day.replace(day=28) + timedelta(days=4)).replace(day=1)
    return nxt - timedelta(days=1)


def fold(
    tickets: Sequence[Any],
    events: Iterable[tuple[int, VisitEvent]],
    centre: fr.CentreStandards,
    due: dict[int, int],
) -> tuple[dict[rs.SlotKey, Slot], int]:
    """Hour slots of these tickets from their events ((ticket id, event), log order)."""
    per_ticket: dict[int, list[VisitEvent]] = {}
    issue_service: dict[int, int] = {}
    for ticket_id, ev in events:
        have = per_ticket.get(ticket_id)
        if have is None:
            per_ticket[ticket_id] = [ev]
            if ev.step == ISSUED:
                issue_service[ticket_id] = ev.service_id
        else:
            have.append(ev)
    tz = ZoneInfo(centre.timezone)
    threshold = round(centre.threshold_seconds * 1_000_000)
    own = {sid: round(secs * 1_000_000) for sid, secs in centre.own.items()}
    slots: dict[rs.SlotKey, Slot] = {}
    for t in tickets:
        facts = visit_facts(t.issued_us, per_ticket.get(t.id, ()))
        service_id = issue_service.get(t.id, t.service_id)
        key = (t.business_day, t.issued_at.astimezone(tz).hour)
        slot = slots.get(key)
        if slot is None:
            slot = slots[key] = Slot()
        ready = due.get(t.id)
        told = (
            NOT_TOLD
            if t.estimated_wait_seconds is None and ready is None
            else Told(
                t.estimated_wait_seconds,
                t.estimated_wait_low_seconds,
                t.estimated_wait_high_seconds,
                ready,
            )
        )
        add_visit(
            slot,
            facts,
            service_id=service_id,
            channel=t.channel,
            threshold_us=threshold,
            own_threshold_us=own.get(service_id, threshold),
            told=told,
        )
    return slots, len(tickets)


def read_slot(session: Any, grain: str, centre_id: int, day_from: date, day_to: date) -> Slot:
    """The sum of a centre's rollup rows of one grain over a range."""
    slot = Slot()
    for cls, into in (
        (VisitTally, slot.visits),
        (QueryTally, slot.queries),
        (AdviserTally, slot.advisers),
    ):
        n = len(rs.KEY_COLUMNS[cls])
        table: dict[Any, Any] = into
        for row, tally in rs.read_tallies(session, cls, grain, [centre_id], day_from, day_to):
            cells: Any = row
            key = tuple(cells[3 : 3 + n]) if n > 1 else cells[3]
            have = table.get(key)
            if have is None:
                table[key] = tally
            else:
                merge(have, tally)
    return slot


class Rollups:
    """The rollups' keeper: catch up with the events, rebuild from them."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    # -- catching up ---------------------------------------------------------------------

    def catch_up(self, *, check_standards: bool = False) -> int:
        """Fold the events written since the last run; the number of events read.

        With nothing new it is one statement. The standards the rollups were folded
        with are compared when there is something new (or when asked, as `frontdesk
        init` does after loading a centres file): a centre whose standard changed is
        rebuilt, and on first use every centre is.
        """
        with self.uow.peek() as c:
            now, seen = rs.pending(c)
        if check_standards or now != seen:
            with self.uow.peek() as c:
                stds = fr.standards(c)
                folded = rs.folded_standards(c)
            changed = [cid for cid, cs in stds.items() if folded.get(cid) != cs.fingerprint()]
            if changed and len(changed) == len(stds):
                self.rebuild()  # first use (or every standard changed): all, watermark too
            elif changed:
                self.rebuild(centres=changed)
        if now == seen:
            return 0
        return self._fold_new()

    def _fold_new(self) -> int:
        with self.uow.write() as s:
            rs.quiet(s)
            st = rs.state(s, lock=True)
            new = fr.events_after(s, st.watermark)
            if len(new) == st.beyond:
                return 0  # another process caught up while this one waited
            stds = fr.standards(s)
            dirty: dict[tuple[int, date], set[int]] = {}
            for e in new:
                cs = stds.get(e.centre_id)
                if cs is not None:
                    hour = e.issued_at.astimezone(ZoneInfo(cs.timezone)).hour
                    dirty.setdefault((e.centre_id, e.business_day), set()).add(hour)
            months: set[tuple[int, date]] = set()
            for (cid, day), hours in sorted(dirty.items()):
                whole = len(hours) > WHOLE_DAY_AFTER
                self._refold(s, stds[cid], day, day, None if whole else hours)
                months.add((cid, month_start(day)))
            for cid, first in sorted(months):
                self._month(s, cid, first)
            rs.put_state(s, self._advance(st, [e.id for e in new]))
        return len(new)

    @staticmethod
    def _advance(st: rs.State, ids: list[int]) -> rs.State:
        """The new watermark: past every id present with none missing before it; a gap
        that has stayed empty for GAP_GRACE_SECONDS is taken as rolled back."""
        mark = st.watermark
        gap, since = st.gap, st.gap_since
        now = time.time()
        for i in ids:
            if i == mark + 1:
                mark = i
                continue
            missing = mark + 1
            if gap == missing and since is not None and now - since >= GAP_GRACE_SECONDS:
                mark = i  # the ids before this one were never committed
                gap = since = None
                continue
            if gap != missing:
                gap, since = missing, now
            break
        if gap is not None and gap <= mark:
            gap = since = None
        return rs.State(mark, sum(1 for i in ids if i > mark), gap, since)

    # -- recomputing -----------------------------------------------------------------------

    def _refold(
        self,
        s: Any,
        centre: fr.CentreStandards,
        day_from: date,
        day_to: date,
        hours: set[int] | None,
    ) -> int:
        """Recompute a centre's hour rows (all, or some hours of one day) and the day
        rows over them."""
        tickets = fr.tickets_between(s, centre.id, day_from, day_to)
        tz = ZoneInfo(centre.timezone)
        if hours is not None:
            tickets = [t for t in tickets if t.issued_at.astimezone(tz).hour in hours]
            events = fr.events_of(s, [t.id for t in tickets])
        else:
            events = fr.events_between(s, centre.id, day_from, day_to)
        wanted = [t.id for t in tickets if t.channel == "appointment"]
        due = fr.appointments_due(s, wanted) if wanted else {}
        slots, visits = fold(tickets, events, centre, due)
        rs.delete_slots(s, "h", centre.id, day_from, day_to, hours)
        rs.insert_slots(s, "h", centre.id, slots)
        days: dict[rs.SlotKey, Slot] = {}
        if hours is None:
            for (day, _), slot in slots.items():
                days.setdefault((day, 0), Slot()).merge(slot)
        else:
            days[(day_from, 0)] = read_slot(s, "h", centre.id, day_from, day_from)
        rs.delete_slots(s, "d", centre.id, day_from, day_to)
        rs.insert_slots(s, "d", centre.id, {k: v for k, v in days.items() if v})
        return visits

    def _month(self, s: Any, centre_id: int, first: date) -> None:
        slot = read_slot(s, "d", centre_id, first, month_end(first))
        rs.delete_slots(s, "m", centre_id, first, first)
        if slot:
            rs.insert_slots(s, "m", centre_id, {(first, 0): slot})

    # -- rebuilding ----------------------------------------------------------------------

    def rebuild(
        self,
        centres: Sequence[int] | None = None,
        day_from: date | None = None,
        day_to: date | None = None,
    ) -> Rebuilt:
        """Recompute the rollups of these centres (default all) over these local dates
        (default all) from the event log, a month at a time.

        Call it after loading events other than through the services (an import); a
        whole rebuild also moves the catch-up's watermark past every event it read.
        """
        started = time.perf_counter()
        whole = centres is None and day_from is None and day_to is None
        if whole:
            with self.uow.write() as s:
                rs.quiet(s)
                top = rs.settled_top(s)
            with self.uow.write() as s:
                rs.quiet(s)
                st = rs.state(s, lock=True)
                # -1: the next catch-up reads what came after `top` whatever its count.
                rs.put_state(s, rs.State(max(st.watermark, top), -1, None, None))
        with self.uow.read() as s:
            stds = fr.standards(s)
        ids = tuple(stds if centres is None else [c for c in centres if c in stds])
        days = visits = 0
        for cid in ids:
            with self.uow.read() as s:
                present = fr.ticket_days(s, cid, day_from, day_to)
            lo = day_from or (present[0] if present else None)
            hi = day_to or (present[-1] if present else None)
            for a, b in months_between(lo, hi) if lo and hi else []:
                first = month_start(a)
                with self.uow.write() as s:
                    rs.quiet(s)
                    rs.state(s, lock=True)
                    cs = fr.standards(s)[cid]
                    visits += self._refold(s, cs, a, b, None)
                    self._month(s, cid, first)
                days += (b - a).days + 1
            if day_from is None and day_to is None:
                with self.uow.write() as s:
                    rs.quiet(s)
                    rs.state(s, lock=True)
                    # Rows of days that no longer have tickets (none to refold) go too.
                    if lo is None:
                        rs.delete_slots(s, "h", cid, date.min, date.max)
                        rs.delete_slots(s, "d", cid, date.min, date.max)
                        rs.delete_slots(s, "m", cid, date.min, date.max)
                    rs.put_folded_standard(s, cid, fr.standards(s)[cid].fingerprint())
        return Rebuilt(ids, days, visits, time.perf_counter() - started)


def months_between(lo: date, hi: date) -> list[tuple[date, date]]:
    """[lo, hi] cut at month ends."""
    out = []
    first = month_start(lo)
    while first <= hi:
        out.append((max(first, lo), min(month_end(first), hi)))
        first = month_end(first) + timedelta(days=1)
    return out


def rebuild(
    uow: UnitOfWork,
    centres: Sequence[str] | None = None,
    day_from: date | None = None,
    day_to: date | None = None,
) -> Rebuilt:
    """Recompute the rollups from the event log: these centre codes (default all), these
    local dates (default all). For loaders that write events directly (an import)."""
    with uow.read() as s:
        ids = fr.centre_ids(s, centres) if centres is not None else None
    return Rollups(uow).rebuild(ids, day_from, day_to)
