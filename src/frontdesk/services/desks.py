"""Desk consoles: who is logged in at which desk (one console per desk), pause and
close, and the outcome-form drafts that survive a restart."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from frontdesk.errors import FrontdeskError, InvalidInput
from frontdesk.services import lookup
from frontdesk.services.queue import QueueService
from frontdesk.services.staff import StaffMember
from frontdesk.store import audit as audit_log
from frontdesk.store import drafts
from frontdesk.store import oversight_store as os_
from frontdesk.store import queue_store as qs
from frontdesk.store import staff_store as ss

# A console that has not been heard from for this long has gone (crashed, unplugged):
# another console may take the desk over.
STALE_AFTER = timedelta(seconds=90)


class DeskTaken(FrontdeskError):
    """Another console is logged in at this desk."""


@dataclass(frozen=True, slots=True)
class DeskOpened:
    centre: str
    desk: str
    staff: str
    services: tuple[str, ...]
    resumed_ticket: str | None


class DeskService:
    def __init__(self, queue: QueueService) -> None:
        self.queue = queue
        self.uow = queue.uow
        self.clock = queue.clock

    def open(
        self,
        centre: str,
        desk: str,
        staff: StaffMember,
        console: str,
        services: tuple[str, ...] | None = None,
    ) -> DeskOpened:
        """Log a console in at a desk; refused while another live console holds it."""
        where = self.queue.centre(centre)
        counter = lookup.desk(where, desk)
        chosen = tuple(services) if services else counter.services
        unknown = [c for c in chosen if c not in where.services]
        if unknown:
            raise InvalidInput(
                f"{', '.join(unknown)} not offered at {where.code} "
                f"(offered: {', '.join(where.services)})"
            )
        now = self.clock.now()
        with self.uow.write() as s:
            held = ss.desk_session(s, counter.id)
            if held is not None and held.console != console and now - held.seen_at < STALE_AFTER:
                raise DeskTaken(
                    f"desk {counter.name} is already open on another console "
                    f"(logged in as {held.staff_code}): close it there first"
                )
            for other in ss.sessions_of(s, staff.code):
                # One adviser, one desk: a second live log-in elsewhere is refused (a
                # crashed console's session goes stale and stops counting).
                if other.desk_id != counter.id and now - other.seen_at < STALE_AFTER:
                    raise DeskTaken(
                        f"{staff.code} is already logged in at another desk: log out there first"
                    )
            ss.put_desk_session(
                s,
                desk_id=counter.id,
                staff_code=staff.code,
                console=console,
                started_at=now,
                seen_at=now,
                services=",".join(chosen),
            )
            qs.set_desk(s, counter.id, status="open")
            os_.note_desk_status(s, counter.id, "open", None, now)
            audit_log.audit(s, now, staff.code, "desk.open", f"{where.code}/{counter.name}")
        current = self.queue.current(where.code, counter.name)
        return DeskOpened(
            where.code, counter.name, staff.code, chosen, current.ticket if current else None
        )

    def heartbeat(self, centre: str, desk: str, console: str) -> bool:
        """Keep the desk's session alive; False if another console has taken it over."""
        counter = lookup.desk(self.queue.centre(centre), desk)
        with self.uow.write() as s:
            return ss.touch_desk_session(s, counter.id, console, self.clock.now())

    def set_status(
        self,
        centre: str,
        desk: str,
        status: str,
        staff: str | None,
        reason: str | None = None,
        console: str | None = None,
    ) -> None:
        """Pause (with a reason), resume or close a desk."""
        if status not in ("open", "paused", "closed"):
            raise InvalidInput("a desk is open, paused or closed")
        if status == "paused" and not (reason or "").strip():
            raise InvalidInput("say why the desk is paused (e.g. break, training, phone)")
        where = self.queue.centre(centre)
        counter = lookup.desk(where, desk)
        now = self.clock.now()
        with self.uow.write() as s:
            qs.set_desk(s, counter.id, status=status)
            os_.note_desk_status(s, counter.id, status, reason, now)
            if status == "closed" and console is not None:
                ss.end_desk_session(s, counter.id, console)
            audit_log.audit(
                s,
                now,
                staff,
                f"desk.{status}",
                f"{where.code}/{counter.name}" + (f": {reason}" if reason else ""),
            )

    def save_draft(self, centre: str, desk: str, ticket_id: int, form: dict[str, Any]) -> None:
        """Keep a half-filled outcome form in the store."""
        counter = lookup.desk(self.queue.centre(centre), desk)
        with self.uow.write() as s:
            drafts.save_draft(s, counter.id, ticket_id, json.dumps(form), self.clock.now())

    def draft(self, centre: str, desk: str, ticket_id: int) -> dict[str, Any] | None:
        counter = lookup.desk(self.queue.centre(centre), desk)
        with self.uow.read() as s:
            body = drafts.draft(s, counter.id, ticket_id)
        return json.loads(body) if body else None

    def drop_draft(self, centre: str, desk: str, ticket_id: int) -> None:
        counter = lookup.desk(self.queue.centre(centre), desk)
        with self.uow.write() as s:
            drafts.drop_drafts(s, counter.id, ticket_id)

    def desks_serving(self, centre: str, service: str) -> list[str]:
        """Open desks that serve a service now (to warn before transferring to none)."""
        where = self.queue.centre(centre)
        with self.uow.read() as s:
            live = {r.id: r.status for r in qs.desks_live(s, where.id)}
        return [
            d.name
            for d in where.desks.values()
            if service in d.services and live.get(d.id) == "open"
        ]
