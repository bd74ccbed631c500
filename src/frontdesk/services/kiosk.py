"""What the visitor kiosk needs beyond the queue and appointments services.

* `opening_state`: is the centre open now, and if not when it opens (local time, closures).
* `KioskService.alternatives`: what to offer when the estimate breaks the standard, or
  when no open desk serves the service (and when one is expected) — a booked
  appointment, a phone callback, a quieter centre, the self-service route.
* `KioskService.print_slip`: print AFTER the ticket is committed, with a hard time limit,
  recording the printer's health (`<CENTRE>/<kiosk>/printer`) when it changes.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol
from zoneinfo import ZoneInfo

from frontdesk.appointments.model import WorkPattern
from frontdesk.config import DAYS, parse_hours
from frontdesk.devices.health import DeviceStatus
from frontdesk.devices.printer_status import PrinterFault, PrinterStatus, PrinterTimeout
from frontdesk.devices.slip import TicketSlip
from frontdesk.errors import FrontdeskError
from frontdesk.services.appointments import AppointmentTypeInfo, SlotOffer
from frontdesk.services.results import WaitEstimate

if TYPE_CHECKING:
    from frontdesk.services.wiring import Services

CALLBACK_TYPE = "CALLBACK"


@dataclass(frozen=True, slots=True)
class OpeningState:
    open_now: bool
    next_opens: datetime | None  # local time; None when no opening in the next fortnight
    today: str  # today's hours as configured ("08:30-17:00"), "" when closed all day


def opening_state(
    hours: dict[str, str], closures: tuple[str, ...], tz: str, now: datetime
) -> OpeningState:
    """Whether a centre is open at `now`, and when it next opens (in its own time zone)."""
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    today = _hours_on(hours, closures, local.date())
    open_now = any(r.opens <= local.time() < r.closes for r in _ranges(today))
    for offset in range(15):
        day = local.date() + timedelta(days=offset)
        for r in _ranges(_hours_on(hours, closures, day)):
            starts = datetime.combine(day, r.opens, tzinfo=zone)
            if starts > local:
                return OpeningState(open_now, starts, today)
    return OpeningState(open_now, None, today)


def _hours_on(hours: dict[str, str], closures: tuple[str, ...], day: date) -> str:
    if day.isoformat() in closures:
        return ""
    return hours.get(DAYS[day.weekday()], "")


def _ranges(text: str) -> tuple[Any, ...]:
    return parse_hours(text) if text else ()


def desk_expected_at(
    patterns: list[WorkPattern],
    hours: dict[str, str],
    closures: tuple[str, ...],
    tz: str,
    now: datetime,
) -> datetime | None:
    """The next start, after `now` today, of a work pattern at a desk serving a service;
    else the centre's next opening (local time)."""
    zone = ZoneInfo(tz)
    local = now.astimezone(zone)
    if local.date().isoformat() not in closures:
        day = DAYS[local.weekday()]
        starts = [
            datetime.combine(local.date(), r.opens, tzinfo=zone)
            for p in patterns
            for r in p.days.get(day, ())
        ]
        later = [at for at in starts if at > local]
        if later:
            return min(later)
    return opening_state(hours, closures, tz, now).next_opens


@dataclass(frozen=True, slots=True)
class OtherCentre:
    code: str
    name: str
    address: str
    hours_today: str
    estimate: WaitEstimate


@dataclass(frozen=True, slots=True)
class Alternatives:
    """What may be offered instead of a long wait, each None/empty when it does not apply."""

    appointment: AppointmentTypeInfo | None = None
    slots: tuple[SlotOffer, ...] = ()
    callback: AppointmentTypeInfo | None = None
    callback_slots: tuple[SlotOffer, ...] = ()
    other_centre: OtherCentre | None = None
    self_service_url: str | None = None
    # When no open desk serves the service: when one is expected to (None: not known).
    desk_expected_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class PrintOutcome:
    printed: bool
    status: PrinterStatus
    detail: str = ""


class _Printer(Protocol):
    def print_slip(self, slip: TicketSlip) -> PrinterStatus: ...


class _CheckablePrinter(Protocol):
    def status(self) -> PrinterStatus: ...


@dataclass
class KioskService:
    """Kiosk helpers over the wired services."""

    services: Services
    _last_status: dict[str, DeviceStatus] = field(default_factory=dict)

    def opening(self, centre: str) -> OpeningState:
        where = self.services.queue.centre(centre)
        return opening_state(where.hours, where.closures, where.timezone, self.services.clock.now())

    def alternatives(
        self, centre: str, service: str, topic: str | None, estimate: WaitEstimate, slots: int = 4
    ) -> Alternatives:
        """The alternatives that apply to `service` at `centre`, in the order to offer them."""
        queue = self.services.queue
        appointments = self.services.appointments
        types = appointments.types(centre)
        booked = next((t for t in types if t.service == service and not t.by_phone), None)
        callback = next((t for t in types if t.code == CALLBACK_TYPE and t.by_phone), None)
        found: dict[str, Any] = {}
        if booked is not None:
            found["appointment"] = booked
            found["slots"] = tuple(appointments.slots(booked.code, centre=centre, limit=slots))
        if callback is not None:
            found["callback"] = callback
            found["callback_slots"] = tuple(
                appointments.slots(callback.code, centre=centre, limit=slots)
            )
        found["other_centre"] = self._quieter_centre(centre, service, estimate)
        if estimate.estimated_wait_seconds is None:
            found["desk_expected_at"] = self.desk_expected(centre, service)
        cat = queue.catalogue()
        ref = cat.topics.get(topic) if topic else None
        found["self_service_url"] = ref.self_service_url if ref else None
        return Alternatives(**found)

    def _quieter_centre(
        self, centre: str, service: str, estimate: WaitEstimate
    ) -> OtherCentre | None:
        queue = self.services.queue
        best: OtherCentre | None = None
        now = self.services.clock.now()
        for other in queue.catalogue().centres.values():
            if other.code == centre or service not in other.services:
                continue
            state = opening_state(other.hours, other.closures, other.timezone, now)
            if not state.open_now:
                continue
            # The same predictor as here; a centre where no open desk serves the service
            # has no estimate and is never offered.
            guess = queue.estimate(other.code, service)
            wait = guess.estimated_wait_seconds
            if wait is None:
                continue
            here = estimate.estimated_wait_seconds
            if here is not None and wait >= here:
                continue
            if best is None or wait < (best.estimate.estimated_wait_seconds or 0):
                best = OtherCentre(other.code, other.name, other.address, state.today, guess)
        return best

    def desk_expected(self, centre: str, service: str) -> datetime | None:
        """When a desk is next expected to serve `service` at `centre` (None: not known).

        A specialist's work pattern at a desk that serves it, later today; otherwise the
        centre's next opening (another day, or after a break)."""
        where = self.services.queue.centre(centre)
        now = self.services.clock.now()
        desks = {d.name for d in where.desks.values() if service in d.services}
        people = self.services.appointments.reference().people.values()
        patterns = [p for person in people for p in person.patterns if p.centre == where.code]
        return desk_expected_at(
            [p for p in patterns if p.desk in desks],
            where.hours,
            where.closures,
            where.timezone,
            now,
        )

    def print_slip(
        self, printer: _Printer, slip: TicketSlip, device_id: str, timeout: float = 5.0
    ) -> PrintOutcome:
        """Print a committed ticket's slip; never raises, never takes longer than `timeout`."""
        result: list[PrintOutcome] = []

        def attempt() -> None:
            try:
                status = printer.print_slip(slip)
                result.append(PrintOutcome(True, status))
            except PrinterFault as fault:
                result.append(PrintOutcome(False, fault.status, str(fault)))
            except Exception as exc:  # a driver bug must not stop the visitor
                result.append(PrintOutcome(False, PrinterStatus.UNKNOWN, str(exc)))

        worker = threading.Thread(target=attempt, name="kiosk-print", daemon=True)
        worker.start()
        worker.join(timeout)
        if result:
            outcome = result[0]
        else:
            fault = PrinterTimeout(f"the printer did not finish within {timeout:g} seconds")
            outcome = PrintOutcome(False, fault.status, str(fault))
        self._record(device_id, outcome)
        return outcome

    def check_printer(
        self, printer: _CheckablePrinter, device_id: str, timeout: float = 5.0
    ) -> DeviceStatus | None:
        """At start-up: ask the printer how it is and record a definite answer, so that an
        alert left from before (no printer, paper out) clears once it works. A printer that
        cannot tell (a file, a spooler: status unknown) is recorded by its first slip."""
        result: list[PrinterStatus] = []

        def ask() -> None:
            try:
                result.append(printer.status())
            except Exception:  # status() never raises by contract; a driver bug is unknown
                result.append(PrinterStatus.UNKNOWN)

        worker = threading.Thread(target=ask, name="kiosk-printer-check", daemon=True)
        worker.start()
        worker.join(timeout)
        if not result or result[0] is PrinterStatus.UNKNOWN:
            return None
        status = DeviceStatus.from_printer(result[0])
        detail = "" if not status.needs_attention else f"found {status.value} at start-up"
        try:
            self.services.devices.record(device_id, status, detail)
        except FrontdeskError:
            return None  # the store is down: the first slip records the printer instead
        self._last_status[device_id] = status
        return status

    def _record(self, device_id: str, outcome: PrintOutcome) -> None:
        if outcome.printed:
            status = DeviceStatus.ONLINE
            if outcome.status is PrinterStatus.PAPER_LOW:
                status = DeviceStatus.PAPER_LOW
        else:
            status = DeviceStatus.from_printer(outcome.status)
        # One write per change, not per ticket; an alert is written every time.
        if self._last_status.get(device_id) is status and not status.needs_attention:
            return
        try:
            self.services.devices.record(device_id, status, outcome.detail)
            self._last_status[device_id] = status
        except FrontdeskError:
            pass  # the store is down too: the next slip will try again
