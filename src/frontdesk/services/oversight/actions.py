"""What the supervisor can do from the dashboard — move a desk or change its order, mark
the quick queries for the desks to comb, have the kiosk offer appointments and callbacks
first — each one unit of work and audited; and what the desks and the kiosk read back:
the supervisor's lines for a desk, and the kiosk's flag."""

from __future__ import annotations

from datetime import timedelta

from frontdesk.clock import Clock
from frontdesk.errors import FrontdeskError, InvalidInput
from frontdesk.services import lookup
from frontdesk.services.oversight.views import DeskNotice
from frontdesk.services.queue import QueueService
from frontdesk.services.staff import StaffMember, StaffService
from frontdesk.store import audit as audit_log
from frontdesk.store import oversight_store as os_
from frontdesk.store.engine import UnitOfWork

NOTICE_MINUTES = 30
SUPERVISOR = "supervisor"


class NotASupervisor(FrontdeskError):
    """The code and PIN are right, but the role may not open the supervisor's view."""


class OversightActions:
    def __init__(self, queue: QueueService, staff: StaffService) -> None:
        self.queue = queue
        self.staff = staff
        self.uow: UnitOfWork = queue.uow
        self.clock: Clock = queue.clock

    def login(self, code: str, pin: str) -> StaffMember:
        """A supervisor's or administrator's log-in; advisers are refused in words."""
        member = self.staff.login(code, pin, where=SUPERVISOR)
        if not member.may("supervisor"):
            self.staff.audit(member.code, "supervisor.refused", f"role {member.role}")
            raise NotASupervisor(
                f"{member.name} ({member.code}) is {_article(member.role)} {member.role}: "
                "only supervisors and administrators can open the supervisor's view"
            )
        return member

    def move_desk(
        self, centre: str, desk: str, services: tuple[str, ...], *, staff: str
    ) -> tuple[str, ...]:
        """Set a logged-in desk's services today, in order (move it, or change its order)."""
        where = self.queue.centre(centre)
        counter = lookup.desk(where, desk)
        chosen = tuple(dict.fromkeys(c.strip().upper() for c in services if c.strip()))
        if not chosen:
            raise InvalidInput("services: give at least one service for the desk")
        unknown = [c for c in chosen if c not in where.services]
        if unknown:
            raise InvalidInput(
                f"services: {', '.join(unknown)} not offered at {where.code} "
                f"(offered: {', '.join(where.services)})"
            )
        now = self.clock.now()
        with self.uow.write() as s:
            before = os_.session_services(s, counter.id)
            if before is None or not os_.set_session_services(s, counter.id, ",".join(chosen)):
                raise InvalidInput(
                    f"desk {counter.name} is closed (nobody logged in): open it first"
                )
            audit_log.audit(
                s,
                now,
                staff,
                "supervisor.move-desk",
                f"{where.code}/{counter.name}: {before.replace(',', ' › ')} → {' › '.join(chosen)}",
            )
        return chosen

    def mark_quick(self, centre: str, service: str, *, staff: str) -> int:
        """Mark the service's waiting quick queries and ask the desks to comb them."""
        where = self.queue.centre(centre)
        cat = self.queue.catalogue()
        svc = lookup.service(cat, where, service)
        topics = [t.id for t in cat.topics.values() if t.quick and t.service_code == svc.code]
        now = self.clock.now()
        with self.uow.write() as s:
            marked = os_.mark_quick(s, where.id, svc.id, topics)
            waiting = sum(
                1
                for r in os_.waiting_everywhere(s, [where.id])
                if r.service_id == svc.id and r.quick
            )
            os_.add_notice(
                s,
                centre_id=where.id,
                service_id=svc.id,
                at=now,
                expires_at=now + timedelta(minutes=NOTICE_MINUTES),
                staff=staff,
                text=(
                    f"Please comb the queue: {waiting} quick {svc.name} "
                    f"{'query' if waiting == 1 else 'queries'} marked — call them first"
                ),
            )
            audit_log.audit(
                s, now, staff, "supervisor.mark-quick", f"{where.code} {svc.code}: {marked} marked"
            )
        return waiting

    def offer_alternatives(self, centre: str, service: str, on: bool, *, staff: str) -> bool:
        """Switch the kiosk's "offer appointments and callbacks first" for a service."""
        where = self.queue.centre(centre)
        svc = lookup.service(self.queue.catalogue(), where, service)
        now = self.clock.now()
        with self.uow.write() as s:
            changed = os_.set_kiosk_offer(s, where.id, svc.id, on, now, staff)
            if changed:
                audit_log.audit(
                    s,
                    now,
                    staff,
                    "kiosk.offer-on" if on else "kiosk.offer-off",
                    f"{where.code} {svc.code}",
                )
        return changed

    def offers_alternatives_first(self, centre: str, service: str) -> bool:
        """Whether the kiosk should offer appointments and callbacks before a ticket."""
        where = self.queue.centre(centre)
        svc = self.queue.catalogue().services.get(service)
        if svc is None:
            return False
        with self.uow.read_core() as s:
            return os_.kiosk_offer(s, where.id, svc.id)

    def desk_notice(self, centre: str, desk: str) -> DeskNotice:
        """The supervisor's lines for a desk console: open alerts and notices of its
        centre; and the desk's services today (the supervisor may have moved it)."""
        where = self.queue.centre(centre)
        counter = lookup.desk(where, desk)
        cat = self.queue.catalogue()
        now = self.clock.now()
        with self.uow.read_core() as s:
            alerts = [a for a in os_.alerts_since(s, now) if a.centre_id == where.id]
            notices = os_.live_notices(s, now, where.id)
            today = os_.session_services(s, counter.id)
        names = cat.service_by_id
        lines = []
        for a in alerts:
            if a.closed_at is not None:
                continue
            name = names[a.service_id].name if a.service_id in names else "?"
            share = "" if a.projected_share is None else f" (projected {a.projected_share:.0%})"
            line = f"▲ Breach ahead: {name}{share}"
            lines.append(f"{line} — {a.advice}" if a.advice else line)
        lines += [f"Supervisor: {n.text}" for n in notices]
        services = tuple(c for c in (today or "").split(",") if c) or None
        return DeskNotice(lines=tuple(lines), services=services)


def _article(role: str) -> str:
    return "an" if role[:1] in "aeiou" else "a"
