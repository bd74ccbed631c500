"""Queue services: issue, call, serve, transfer, complete — one unit of work each.

The policy (who is next, which number, what the wait is) comes from `frontdesk.queue`;
this module reads what the policy needs, applies it, and commits atomically. Nothing
here prints, sends or sleeps inside a write transaction.
"""

from __future__ import annotations

import logging
import re
import secrets
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from itertools import chain, islice
from typing import Any

from sqlalchemy import Row, select

from frontdesk.clock import Clock
from frontdesk.errors import DeskBusy, IllegalStep, InvalidInput, NotFound, StoreUnavailable
from frontdesk.queue import estimate as estimator
from frontdesk.queue.numbering import business_day, ticket_label
from frontdesk.queue.routing import Candidate, DeskView, Fairness, Rule, next_priority_run, ranked
from frontdesk.queue.states import AT_DESK_STATES, Status, Step, next_status
from frontdesk.services import lookup
from frontdesk.services.after import Afterwards
from frontdesk.services.results import (
    Closed,
    Completed,
    IssuedTicket,
    Query,
    QueueSnapshot,
    ServingEntry,
    TicketAtDesk,
    Transferred,
    WaitEstimate,
    WaitingEntry,
)
from frontdesk.store import claims
from frontdesk.store import queue_store as qs
from frontdesk.store.catalogue import Catalogue, CentreRef, DeskRef, load_catalogue
from frontdesk.store.engine import UnitOfWork
from frontdesk.store.queue_store import Executor
from frontdesk.store.tables import Ticket as TicketTable

log = logging.getLogger(__name__)
# Rounds of read-rank-claim before giving up when other desks keep taking every choice.
MAX_CLAIM_ROUNDS = 20
HANDLING_CACHE_SECONDS = 30.0
CHANNELS = ("kiosk", "greeter", "desk", "appointment", "cli", "import")
_LABEL = re.compile(r"^[A-Z]{1,2}\d{3,}$")


@dataclass(frozen=True, slots=True)
class WaitingDetail:
    """What a desk console needs to comb the queue: the topic a waiting ticket came about
    and, for a checked-in appointment, when it is due."""

    id: int
    topic: str | None
    quick: bool
    due_at: datetime | None


@dataclass(frozen=True, slots=True)
class CallShown:
    """One call for the now-serving board: a ticket number and a desk name, nothing more."""

    event: int  # a position in the day's calls, increasing: a new call has a higher one
    ticket: str
    desk: str
    at: datetime
    recall: bool


class QueueService:
    """The queue's user actions. Thread-safe as long as each thread calls its own methods:
    every call opens and closes its own session."""

    def __init__(self, uow: UnitOfWork, clock: Clock, rules: Sequence[Rule] = ()) -> None:
        self.uow = uow
        self.clock = clock
        # Extra routing rules (booked appointments) tried before the base policy.
        self.rules: list[Rule] = list(rules)
        self._catalogue: Catalogue | None = None
        self._handling: dict[tuple[int, int], tuple[float, float]] = {}
        # Listeners told of each call after it committed (notifications), in the
        # background: they never slow or undo a call.
        self.after_call = Afterwards("after-call")

    # -- reference data -------------------------------------------------------------

    def catalogue(self, refresh: bool = False) -> Catalogue:
        if self._catalogue is None or refresh:
            with self.uow.read() as s:
                self._catalogue = load_catalogue(s)
        return self._catalogue

    def centre(self, code: str) -> CentreRef:
        try:
            return lookup.centre(self.catalogue(), code)
        except NotFound:
            return lookup.centre(self.catalogue(refresh=True), code)

    def fairness(self) -> Fairness:
        limit = self.catalogue().settings.get("queue.priority_run_limit", "2")
        return Fairness(priority_run_limit=int(limit))

    def _grace(self) -> timedelta:
        minutes = float(self.catalogue().settings.get("queue.no_show_grace_minutes", "15"))
        return timedelta(minutes=minutes)

    # -- visitors -------------------------------------------------------------------

    def estimate(self, centre: str, service: str) -> WaitEstimate:
        """The wait a newcomer would have, before they take a ticket."""
        where = self.centre(centre)
        svc = lookup.service(self.catalogue(), where, service)
        with self.uow.read_core() as s:
            seconds, ahead = self._estimate(s, where, svc.code)
        threshold = where.service_standards.get(svc.code, (where.threshold_minutes, 0))[0]
        return WaitEstimate(
            centre=where.code,
            service=svc.code,
            ahead=ahead,
            estimated_wait_seconds=seconds,
            threshold_minutes=threshold,
            over_standard=seconds > threshold * 60,
        )

    def _estimate(self, s: Executor, where: CentreRef, service: str) -> tuple[int, int]:
        svc = self.catalogue().services[service]
        ahead = qs.count_waiting(s, where.id, svc.id)
        able = {d.id for d in where.desks.values() if service in d.services}
        live = [r for r in qs.desks_live(s, where.id) if r.id in able]
        open_desks = [r for r in live if r.status == "open"]
        desks = len(open_desks) or len(able)
        busy = sum(1 for r in open_desks if r.current_ticket_id is not None)
        handling = self._typical_handling(s, where.id, svc.id, svc.mean_handling_seconds)
        return estimator.estimate_wait_seconds(ahead, desks, busy, handling), ahead

    def _typical_handling(
        self, s: Executor, centre_id: int, service_id: int, configured: float
    ) -> float:
        """Recent handling time of a service queue, re-read at most every 30 seconds: an
        estimate needs no fresher figure, and the kiosk asks on every visitor."""
        key = (centre_id, service_id)
        cached = self._handling.get(key)
        now = time.monotonic()
        if cached is not None and cached[0] > now:
            return cached[1]
        value = estimator.typical_handling_seconds(
            qs.recent_handling_seconds(s, centre_id, service_id), configured
        )
        self._handling[key] = (now + HANDLING_CACHE_SECONDS, value)
        return value

    def issue(
        self,
        centre: str,
        service: str,
        *,
        priority: str | None = None,
        needs: Sequence[str] = (),
        note: str | None = None,
        topic: str | None = None,
        channel: str = "kiosk",
        staff: str | None = None,
    ) -> IssuedTicket:
        """Issue a ticket: the next number of the day, the estimate, the `issued` event."""
        cat = self.catalogue()
        where = self.centre(centre)
        svc = lookup.service(cat, where, service)
        reason = lookup.priority(cat, priority)
        wanted = lookup.needs(needs)
        topic_id = lookup.topic_id(cat, topic)
        if channel not in CHANNELS:
            raise InvalidInput(f"unknown channel '{channel}' (accepted: {', '.join(CHANNELS)})")
        with self.uow.read_core() as s:
            wait, _ = self._estimate(s, where, svc.code)
        with self.uow.write_core() as s:
            now = self.clock.now()
            ticket_id, label, token = self.create_ticket(
                s,
                where,
                svc.code,
                now,
                channel=channel,
                priority=reason,
                needs=wanted,
                note=note,
                topic_id=topic_id,
                estimate=wait,
                staff=staff,
            )
        return IssuedTicket(
            id=ticket_id,
            ticket=label,
            centre=where.code,
            service=svc.code,
            issued_at=now,
            estimated_wait_seconds=wait,
            token=token,
            priority=reason,
            needs=wanted,
        )

    def create_ticket(
        self,
        s: Executor,
        where: CentreRef,
        service: str,
        now: datetime,
        *,
        channel: str,
        priority: str | None = None,
        needs: Sequence[str] = (),
        note: str | None = None,
        topic_id: int | None = None,
        estimate: int | None = None,
        staff: str | None = None,
        due_at: datetime | None = None,
        target_desk_id: int | None = None,
    ) -> tuple[int, str, str]:
        """Number and insert a ticket with its `issued` event, inside the caller's write
        transaction (walk-ins here, checked-in appointments from the appointments room).
        Returns (id, printed number, token)."""
        svc = self.catalogue().services[service]
        day = business_day(now, where.timezone)
        number = qs.next_number(s, where.id, svc.prefix, day)
        label = ticket_label(svc.prefix, number)
        token = secrets.token_urlsafe(12)
        ticket_id = qs.insert_ticket(
            s,
            centre_id=where.id,
            service_id=svc.id,
            topic_id=topic_id,
            label=label,
            number=number,
            business_day=day,
            channel=channel,
            priority=priority,
            needs=",".join(needs),
            note=note,
            status=Status.WAITING.value,
            issued_at=now,
            queued_at=now,
            estimated_wait_seconds=estimate,
            transfers=0,
            token=token,
            due_at=due_at,
            target_desk_id=target_desk_id,
        )
        qs.append_events(
            s, [self._event(ticket_id, where.id, Step.ISSUED, now, svc.id, staff=staff, text=note)]
        )
        return ticket_id, label, token

    # -- desks ----------------------------------------------------------------------

    def call_next(
        self,
        centre: str,
        desk: str,
        *,
        staff: str | None = None,
        services: Sequence[str] | None = None,
    ) -> TicketAtDesk | None:
        """Call the customer the routing policy picks for this desk, or None.

        `services` are the services the desk serves today, in order (the console's
        choice); by default the desk's configured services."""
        where = self.centre(centre)
        counter = lookup.desk(where, desk)
        cat = self.catalogue()
        if services:
            counter = replace(counter, services=tuple(c for c in services if c in where.services))
        service_ids = [cat.services[c].id for c in counter.services if c in cat.services]
        view = DeskView(name=counter.name, services=counter.services)
        fairness = self.fairness()
        # Read the queue heads, let the policy rank them, then claim in a short write
        # transaction. If other desks took every choice in between, read again.
        with claims.claim_session(self.uow) as session:
            for _ in range(MAX_CLAIM_ROUNDS):
                with session.reading():
                    self._check_desk_free(session, counter)
                    rows = {r.id: r for r in session.queue_heads(where.id, service_ids, counter.id)}
                    candidates = self._candidates(where, rows.values())
                    runs = self._runs(session, where.id, candidates)
                now = self.clock.now()
                # Ranked lazily: the first choice is usually free; when another desk
                # has just taken it, the next is worked out only then.
                order = ranked(candidates, view, now, runs, fairness, self.rules)
                first = next(order, None)
                if first is None:
                    break
                with session.writing():
                    choices = chain([first], islice(order, 7))
                    chosen = self._claim_first(session, where, counter, choices, rows, now, staff)
                    if chosen is not None:
                        run = runs.get(chosen.service, 0)
                        new_run = next_priority_run(run, chosen.priority)
                        if new_run != run:
                            session.set_priority_run(where.id, rows[chosen.id].service_id, new_run)
                if chosen is not None:
                    row = rows[chosen.id]
                    return self._called(
                        where.code,
                        TicketAtDesk(
                            id=row.id,
                            ticket=row.label,
                            service=chosen.service,
                            desk=counter.name,
                            status=Status.CALLED.value,
                            waited_seconds=max(0, int((now - row.queued_at).total_seconds())),
                            priority=row.priority,
                            needs=_split(row.needs),
                            note=row.note,
                            transfers=row.transfers,
                        ),
                    )
            else:
                raise StoreUnavailable("the queue is changing too fast to call from; try again")
        self._mark_open(counter)
        return None

    def _candidates(self, where: CentreRef, rows: Iterable[Any]) -> list[Candidate]:
        by_id = self.catalogue().service_by_id
        desk_names = where.desk_names
        return [
            Candidate(
                id=r.id,
                service=by_id[r.service_id].code,
                queued_at=r.queued_at,
                priority=r.priority is not None,
                target_desk=desk_names.get(r.target_desk_id) if r.target_desk_id else None,
                due_at=r.due_at,
            )
            for r in rows
            if r.service_id in by_id
        ]

    def _runs(self, session: Any, centre_id: int, candidates: list[Candidate]) -> dict[str, int]:
        """The fairness counters, read only when a priority ticket is in the running."""
        if not any(c.priority for c in candidates):
            return {}
        by_id = self.catalogue().service_by_id
        return {by_id[k].code: v for k, v in session.priority_runs(centre_id).items() if k in by_id}

    def _check_desk_free(self, session: Any, counter: DeskRef) -> None:
        holding = session.desk_holds(counter.id)
        if holding is None:
            return
        held = session.ticket_state(holding)
        if held is not None and Status(held[1]) in AT_DESK_STATES:
            raise DeskBusy(
                f"desk {counter.name} still holds ticket {held[0]} ({held[1]}): "
                "complete it, mark a no-show or transfer it first"
            )

    def _claim_first(
        self,
        session: Any,
        where: CentreRef,
        counter: DeskRef,
        order: Iterable[Candidate],
        rows: dict[int, Any],
        now: datetime,
        staff: str | None,
    ) -> Candidate | None:
        for choice in order:
            try:
                if session.claim(
                    choice.id, counter.id, where.id, rows[choice.id].service_id, now, staff
                ):
                    return choice
            except claims.DeskTakenMeanwhile:
                raise DeskBusy(f"desk {counter.name} was given a customer just now") from None
        return None

    def _mark_open(self, counter: DeskRef) -> None:
        """A desk that asked for work is open (the estimate counts open desks)."""
        with self.uow.read_core() as conn:
            if qs.desk_status(conn, counter.id).status == "open":
                return
        with self.uow.write_core() as conn:
            qs.set_desk(conn, counter.id, status="open")

    def _called(self, centre: str, called: TicketAtDesk) -> TicketAtDesk:
        self.after_call.post(centre, called)
        return called

    def call_ticket(
        self, centre: str, desk: str, ticket: str, *, staff: str | None = None
    ) -> TicketAtDesk:
        """Call one particular ticket (queue combing, or a no-show who came back)."""
        where = self.centre(centre)
        counter = lookup.desk(where, desk)
        by_id = self.catalogue().service_by_id
        with self.uow.write_core() as s:
            self._desk_free(s, counter)
            now = self.clock.now()
            row = self._find(s, where, ticket, now)
            code = by_id[row.service_id].code
            if code not in counter.services and row.target_desk_id != counter.id:
                raise InvalidInput(
                    f"desk {counter.name} does not serve {code}: ticket {row.label} "
                    "must be called by a desk that does, or transferred"
                )
            if row.target_desk_id not in (None, counter.id):
                raise InvalidInput(f"ticket {row.label} was transferred to another desk by name")
            status = Status(row.status)
            if status in AT_DESK_STATES:
                other = {d.id: d.name for d in where.desks.values()}.get(row.desk_id, "?")
                raise IllegalStep(f"ticket {row.label} is already {status.value} at desk {other}")
            next_status(row.label, status, Step.CALLED)
            if status is Status.NO_SHOW:
                self._within_grace(s, row, now)
            if not qs.update_ticket(
                s,
                row.id,
                status.value,
                status="called",
                desk_id=counter.id,
                called_at=now,
                target_desk_id=None,
            ):
                raise IllegalStep(f"ticket {row.label} was just taken by another desk")
            qs.set_desk(s, counter.id, status="open", current_ticket_id=row.id)
            qs.append_events(
                s,
                [
                    self._event(
                        row.id, where.id, Step.CALLED, now, row.service_id, counter.id, staff
                    )
                ],
            )
        return self._called(where.code, self._at_desk(row, code, counter.name, Status.CALLED, now))

    def current(self, centre: str, desk: str) -> TicketAtDesk | None:
        """The customer this desk holds (so a restarted console resumes them)."""
        where = self.centre(centre)
        counter = lookup.desk(where, desk)
        with self.uow.read_core() as s:
            state = qs.desk_state(s, counter.id)
            if state.current_ticket_id is None:
                return None
            row = qs.ticket(s, state.current_ticket_id)
        if row is None or Status(row.status) not in AT_DESK_STATES:
            return None
        code = self.catalogue().service_by_id[row.service_id].code
        return self._at_desk(row, code, counter.name, Status(row.status), self.clock.now())

    def recall(self, centre: str, desk: str, *, staff: str | None = None) -> TicketAtDesk:
        """Announce the desk's called customer again."""
        row, code, counter, now = self._step_at_desk(centre, desk, Step.RECALLED, staff)
        return self._at_desk(row, code, counter.name, Status.CALLED, now)

    def start(self, centre: str, desk: str, *, staff: str | None = None) -> TicketAtDesk:
        """The called customer has arrived at the desk."""
        row, code, counter, now = self._step_at_desk(centre, desk, Step.STARTED, staff)
        return self._at_desk(row, code, counter.name, Status.SERVING, now)

    def no_show(self, centre: str, desk: str, *, staff: str | None = None) -> Closed:
        """The called customer did not come; they may return within the grace period."""
        row, _, _, _ = self._step_at_desk(centre, desk, Step.NO_SHOW, staff)
        return Closed(id=row.id, ticket=row.label, status=Status.NO_SHOW.value)

    def return_to_queue(self, centre: str, ticket: str, *, staff: str | None = None) -> Closed:
        """A no-show who came back within the grace period keeps their place."""
        where = self.centre(centre)
        with self.uow.write_core() as s:
            now = self.clock.now()
            row = self._find(s, where, ticket, now)
            new = next_status(row.label, Status(row.status), Step.RETURNED)
            self._within_grace(s, row, now)
            if not qs.update_ticket(s, row.id, row.status, status=new.value, desk_id=None):
                raise _changed(row.label)
            qs.append_events(
                s, [self._event(row.id, where.id, Step.RETURNED, now, row.service_id, staff=staff)]
            )
        return Closed(id=row.id, ticket=row.label, status=new.value)

    def complete(
        self,
        centre: str,
        desk: str,
        queries: Sequence[Query],
        *,
        staff: str | None = None,
    ) -> Completed:
        """Record the outcome of every query in the visit and finish with the customer."""
        if not queries:
            raise InvalidInput(
                "record at least one query's outcome: resolved or not (and the hand-off)"
            )
        cat = self.catalogue()
        checked = [self._checked_query(cat, q) for q in queries]
        where = self.centre(centre)
        counter = lookup.desk(where, desk)
        with self.uow.write_core() as s:
            now = self.clock.now()
            row = self._held(s, where, counter)
            status = Status(row.status)
            next_status(row.label, status, Step.COMPLETED)
            next_status(row.label, status, Step.FINISHED)
            events = [
                self._event(
                    row.id, where.id, Step.COMPLETED, now, row.service_id, counter.id, staff, **q
                )
                for q in checked
            ]
            events.append(
                self._event(row.id, where.id, Step.FINISHED, now, row.service_id, counter.id, staff)
            )
            if not qs.update_ticket(s, row.id, status.value, status=Status.DONE.value):
                raise _changed(row.label)
            qs.set_desk(s, counter.id, current_ticket_id=None)
            qs.append_events(s, events)
        return Completed(
            id=row.id, ticket=row.label, desk=counter.name, queries_completed=len(checked)
        )

    def transfer(
        self,
        centre: str,
        desk: str,
        *,
        service: str | None = None,
        to_desk: str | None = None,
        note: str | None = None,
        queries: Sequence[Query] = (),
        staff: str | None = None,
    ) -> Transferred:
        """Send the customer to another service or a named desk, with a note, keeping the
        visit and its history; queries already settled here are recorded first."""
        if service is None and to_desk is None:
            raise InvalidInput("a transfer needs a service or a desk to go to")
        cat = self.catalogue()
        where = self.centre(centre)
        counter = lookup.desk(where, desk)
        target = lookup.desk(where, to_desk) if to_desk else None
        checked = [self._checked_query(cat, q) for q in queries]
        with self.uow.write_core() as s:
            now = self.clock.now()
            row = self._held(s, where, counter)
            status = Status(row.status)
            next_status(row.label, status, Step.TRANSFERRED)
            if service is not None:
                svc = lookup.service(cat, where, service)
            elif target is not None and target.services:
                current = cat.service_by_id[row.service_id]
                # The named desk serves the visit under its current service if it can.
                code = current.code if current.code in target.services else target.services[0]
                svc = cat.services[code]
            else:
                svc = cat.service_by_id[row.service_id]
            events = [
                self._event(
                    row.id, where.id, Step.COMPLETED, now, row.service_id, counter.id, staff, **q
                )
                for q in checked
            ]
            events.append(
                self._event(
                    row.id, where.id, Step.TRANSFERRED, now, svc.id, counter.id, staff, text=note
                )
            )
            if not qs.update_ticket(
                s,
                row.id,
                status.value,
                status=Status.WAITING.value,
                service_id=svc.id,
                queued_at=now,
                desk_id=None,
                target_desk_id=target.id if target else None,
                transfers=row.transfers + 1,
                note=_join_notes(row.note, note),
            ):
                raise _changed(row.label)
            qs.set_desk(s, counter.id, current_ticket_id=None)
            qs.append_events(s, events)
        return Transferred(
            id=row.id,
            ticket=row.label,
            from_desk=counter.name,
            to_service=svc.code,
            to_desk=target.name if target else None,
            note=note,
        )

    def cancel(
        self, centre: str, ticket: str, *, reason: str | None = None, staff: str | None = None
    ) -> Closed:
        """The visitor (or staff for them) cancels the ticket."""
        return self._end(centre, ticket, Step.CANCELLED, reason, staff)

    def left(self, centre: str, ticket: str, *, staff: str | None = None) -> Closed:
        """The visitor left without being seen (or mid-service)."""
        return self._end(centre, ticket, Step.LEFT, None, staff)

    # -- live views -----------------------------------------------------------------

    def snapshot(self, centre: str) -> QueueSnapshot:
        """Who is waiting and who is at which desk, now."""
        where = self.centre(centre)
        by_id = self.catalogue().service_by_id
        desks = {d.id: d.name for d in where.desks.values()}
        with self.uow.read_core() as s:
            now = self.clock.now()
            waiting = qs.waiting(s, where.id)
            serving = qs.at_desks(s, where.id)
        return QueueSnapshot(
            centre=where.code,
            at=now,
            waiting=tuple(
                WaitingEntry(
                    id=r.id,
                    ticket=r.label,
                    service=by_id[r.service_id].code,
                    waiting_seconds=max(0, int((now - r.queued_at).total_seconds())),
                    priority=r.priority,
                    needs=_split(r.needs),
                    transferred=r.transfers > 0,
                )
                for r in waiting
            ),
            serving=tuple(
                ServingEntry(
                    id=r.id,
                    ticket=r.label,
                    desk=desks.get(r.desk_id, "?"),
                    service=by_id[r.service_id].code,
                    status=r.status,
                )
                for r in serving
            ),
        )

    def waiting_details(self, centre: str) -> dict[int, WaitingDetail]:
        """Topic (and quick flag) and due time of each waiting ticket, by ticket id."""
        where = self.centre(centre)
        cat = self.catalogue()
        topics = {t.id: t for t in cat.topics.values()}
        table = TicketTable.__table__  # type: ignore[attr-defined]
        stmt = select(table.c.id, table.c.topic_id, table.c.due_at).where(
            table.c.centre_id == where.id, table.c.status == Status.WAITING.value
        )
        with self.uow.read_core() as s:
            rows = list(s.execute(stmt).all())
        out = {}
        for r in rows:
            topic = topics.get(r.topic_id) if r.topic_id is not None else None
            out[r.id] = WaitingDetail(
                id=r.id,
                topic=topic.code if topic else None,
                quick=bool(topic and topic.quick),
                due_at=r.due_at,
            )
        return out

    def recent_calls(self, centre: str, limit: int = 6) -> list[CallShown]:
        """Today's latest calls and recalls at the centre, newest first (for the board)."""
        where = self.centre(centre)
        desks = {d.id: d.name for d in where.desks.values()}
        wanted = (Step.CALLED.value, Step.RECALLED.value)
        with self.uow.read_core() as s:
            day = business_day(self.clock.now(), where.timezone)
            events = [
                e for e in qs.events_of_tickets_issued(s, [where.id], day, day) if e.step in wanted
            ]
            events.sort(key=lambda e: e.at)
            numbered = list(enumerate(events, start=1))[-limit:]
            labels = {}
            for _, e in numbered:
                if e.ticket_id not in labels:
                    row = qs.ticket(s, e.ticket_id)
                    labels[e.ticket_id] = row.label if row else "?"
        return [
            CallShown(
                event=n,
                ticket=labels[e.ticket_id],
                desk=desks.get(e.desk_id, "?"),
                at=e.at,
                recall=e.step == Step.RECALLED.value,
            )
            for n, e in reversed(numbered)
        ]

    # -- helpers --------------------------------------------------------------------

    @staticmethod
    def _event(
        ticket_id: int,
        centre_id: int,
        step: Step,
        at: Any,
        service_id: int,
        desk_id: int | None = None,
        staff: str | None = None,
        **extra: Any,
    ) -> dict[str, Any]:
        return {
            "ticket_id": ticket_id,
            "centre_id": centre_id,
            "step": step.value,
            "at": at,
            "service_id": service_id,
            "desk_id": desk_id,
            "staff": staff,
            "topic_id": extra.get("topic_id"),
            "resolved": extra.get("resolved"),
            "handoff": extra.get("handoff"),
            "avoidable": extra.get("avoidable"),
            "feedback": extra.get("feedback"),
            "text": extra.get("text"),
        }

    @staticmethod
    def _checked_query(cat: Catalogue, q: Query) -> dict[str, Any]:
        if q.feedback_text and not q.feedback:
            raise InvalidInput("feedback text needs a kind: complaint, compliment or comment")
        return {
            "resolved": bool(q.resolved),
            "topic_id": lookup.topic_id(cat, q.topic),
            "handoff": (q.handoff or None) if not q.resolved else None,
            "avoidable": lookup.avoidable(q.avoidable),
            "feedback": lookup.feedback(q.feedback),
            "text": q.feedback_text or None,
        }

    def _desk_free(self, s: Executor, counter: DeskRef) -> None:
        state = qs.desk_state(s, counter.id, lock=True)
        if state.current_ticket_id is None:
            return
        held = qs.ticket(s, state.current_ticket_id)
        if held is not None and Status(held.status) in AT_DESK_STATES:
            raise DeskBusy(
                f"desk {counter.name} still holds ticket {held.label} ({held.status}): "
                "complete it, mark a no-show or transfer it first"
            )

    def _held(self, s: Executor, where: CentreRef, counter: DeskRef) -> Row[Any]:
        state = qs.desk_state(s, counter.id, lock=True)
        row = qs.ticket(s, state.current_ticket_id) if state.current_ticket_id else None
        if row is None or Status(row.status) not in AT_DESK_STATES:
            raise InvalidInput(f"desk {counter.name} has no customer: call one first")
        return row

    def _step_at_desk(
        self, centre: str, desk: str, step: Step, staff: str | None
    ) -> tuple[Row[Any], str, DeskRef, Any]:
        where = self.centre(centre)
        counter = lookup.desk(where, desk)
        with self.uow.write_core() as s:
            now = self.clock.now()
            row = self._held(s, where, counter)
            status = Status(row.status)
            new = next_status(row.label, status, step)
            values: dict[str, Any] = {"status": new.value}
            if step is Step.RECALLED:
                values["called_at"] = now
            if new not in AT_DESK_STATES:
                values["desk_id"] = None
                qs.set_desk(s, counter.id, current_ticket_id=None)
            if not qs.update_ticket(s, row.id, status.value, **values):
                raise _changed(row.label)
            qs.append_events(
                s, [self._event(row.id, where.id, step, now, row.service_id, counter.id, staff)]
            )
        code = self.catalogue().service_by_id[row.service_id].code
        return row, code, counter, now

    def _end(
        self, centre: str, ticket: str, step: Step, reason: str | None, staff: str | None
    ) -> Closed:
        where = self.centre(centre)
        with self.uow.write_core() as s:
            now = self.clock.now()
            row = self._find(s, where, ticket, now)
            status = Status(row.status)
            new = next_status(row.label, status, step)
            if not qs.update_ticket(s, row.id, status.value, status=new.value, desk_id=None):
                raise _changed(row.label)
            if row.desk_id is not None and status in AT_DESK_STATES:
                qs.set_desk(s, row.desk_id, current_ticket_id=None)
            qs.append_events(
                s,
                [
                    self._event(
                        row.id, where.id, step, now, row.service_id, row.desk_id, staff, text=reason
                    )
                ],
            )
        return Closed(id=row.id, ticket=row.label, status=new.value)

    def _find(self, s: Executor, where: CentreRef, ticket: str, now: Any) -> Row[Any]:
        """A ticket by id or by today's number at this centre (C042)."""
        text = ticket.strip().upper()
        row = None
        if text.isdigit():
            row = qs.ticket(s, int(text), lock=True)
            if row is not None and row.centre_id != where.id:
                row = None
        elif _LABEL.match(text):
            row = qs.ticket_by_label(
                s, where.id, business_day(now, where.timezone), text, lock=True
            )
        else:
            raise InvalidInput(f"'{ticket}' is not a ticket number like C042 or a ticket id")
        if row is None:
            raise NotFound(f"no ticket {ticket} at {where.code} today")
        return row

    def _within_grace(self, s: Executor, row: Row[Any], now: Any) -> None:
        at = qs.last_event_at(s, row.id, Step.NO_SHOW.value)
        if at is not None and now - at > self._grace():
            minutes = self._grace().total_seconds() / 60
            raise IllegalStep(
                f"ticket {row.label} was marked a no-show more than {minutes:g} minutes ago: "
                "issue a new ticket"
            )

    @staticmethod
    def _at_desk(row: Row[Any], code: str, desk: str, status: Status, now: Any) -> TicketAtDesk:
        return TicketAtDesk(
            id=row.id,
            ticket=row.label,
            service=code,
            desk=desk,
            status=status.value,
            waited_seconds=max(0, int((now - row.queued_at).total_seconds())),
            priority=row.priority,
            needs=_split(row.needs),
            note=row.note,
            transfers=row.transfers,
        )


def _changed(label: str) -> IllegalStep:
    """A conditional update found the ticket no longer in the state just read: another
    desk or kiosk acted on it at the same moment. Raising rolls the action back."""
    return IllegalStep(f"ticket {label} was changed by someone else just now: look again")


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(x for x in (text or "").split(",") if x)


def _join_notes(old: str | None, new: str | None) -> str | None:
    if not new:
        return old
    return f"{old}\n{new}" if old else new
