"""Live views of the queue: who waits and who is at which desk, details for combing the
queue, and the latest calls for the board (numbers and desk names only)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from zoneinfo import ZoneInfo

from frontdesk.queue.states import Step
from frontdesk.services.queue.context import QueueArea
from frontdesk.services.queue.tickets import needs_of
from frontdesk.services.results import QueueSnapshot, ServingEntry, WaitingEntry
from frontdesk.store import queue_store as qs


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

    event: int  # the call's event id: a newer call has a higher one
    ticket: str
    desk: str
    at: datetime
    recall: bool


@dataclass(frozen=True, slots=True)
class Whereabouts:
    """Where a ticket is now: its status and the desk holding it (if any)."""

    ticket: str
    status: str
    desk: str | None
    service: str
    transfers: int


class QueueViews(QueueArea):
    def whereabouts(self, centre: str, ticket_id: int) -> Whereabouts | None:
        """What became of a ticket (a console whose customer was moved elsewhere asks)."""
        where = self.ctx.centre(centre)
        with self.ctx.uow.peek() as s:
            row = qs.ticket(s, ticket_id)
        if row is None or row.centre_id != where.id:
            return None
        return Whereabouts(
            ticket=row.label,
            status=row.status,
            desk=where.desk_names.get(row.desk_id) if row.desk_id else None,
            service=self.ctx.catalogue().service_by_id[row.service_id].code,
            transfers=row.transfers,
        )

    def snapshot(self, centre: str) -> QueueSnapshot:
        """Who is waiting and who is at which desk, now."""
        where = self.ctx.centre(centre)
        by_id = self.ctx.catalogue().service_by_id
        desks = {d.id: d.name for d in where.desks.values()}
        with self.ctx.uow.read_core() as s:
            now = self.ctx.clock.now()
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
                    needs=needs_of(r.needs),
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
        where = self.ctx.centre(centre)
        topics = {t.id: t for t in self.ctx.catalogue().topics.values()}
        with self.ctx.uow.read_core() as s:
            rows = qs.waiting_topics(s, where.id)
        out = {}
        for r in rows:
            topic = topics.get(r.topic_id) if r.topic_id is not None else None
            out[r.id] = WaitingDetail(
                id=r.id,
                topic=topic.code if topic else None,
                quick=bool(r.quick or (topic and topic.quick)),
                due_at=r.due_at,
            )
        return out

    def recent_calls(self, centre: str, limit: int = 6) -> list[CallShown]:
        """Today's latest calls at the centre, newest first (for the board): each ticket
        once, at its newest call, with `recall` set when it was called again.

        Read from the event log's newest rows only, so a board refreshing all day costs
        the same at 9 a.m. as at 5 p.m."""
        where = self.ctx.centre(centre)
        desks = where.desk_names
        now = self.ctx.clock.now()
        tz = ZoneInfo(where.timezone)
        midnight = datetime.combine(now.astimezone(tz).date(), datetime.min.time(), tzinfo=tz)
        with self.ctx.uow.read_core() as s:
            # A few more rows than shown: a recalled ticket's earlier calls are folded in.
            rows = qs.latest_calls(s, where.id, midnight, limit * 2)
        shown: dict[str, CallShown] = {}
        for r in rows:  # newest first
            if r.label in shown:
                if shown[r.label].desk == desks.get(r.desk_id, "?"):
                    shown[r.label] = replace(shown[r.label], recall=True)
                continue
            shown[r.label] = CallShown(
                event=r.id,
                ticket=r.label,
                desk=desks.get(r.desk_id, "?"),
                at=r.at,
                recall=r.step == Step.RECALLED.value,
            )
        return list(shown.values())[:limit]
