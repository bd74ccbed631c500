"""What every appointment action shares: the queue service (centres, tickets), the unit
of work and clock, the cached reference data (types, specialists, hours) and the
listeners told of each booking. The actions are in `slots`, `booking`, `checkin`,
`specialists` and `records`, each an `AppointmentArea` over one `AppointmentContext`."""

from __future__ import annotations

from collections.abc import Callable

from frontdesk.appointments.model import AppointmentKind
from frontdesk.errors import InvalidInput, NotFound
from frontdesk.services.appointments.catalogue import Reference, load_reference
from frontdesk.services.appointments.results import Booking
from frontdesk.services.queue import QueueService
from frontdesk.store.catalogue import CentreRef


class AppointmentContext:
    def __init__(self, queue: QueueService) -> None:
        self.queue = queue
        self.uow = queue.uow
        self.clock = queue.clock
        self._reference: Reference | None = None
        self._read_with: object = None  # the catalogue the reference was read with
        # Called after a booking has committed (confirmation messages).
        self.after_booking: list[Callable[[Booking], None]] = []

    def reference(self, refresh: bool = False) -> Reference:
        """The reference data, read once; `refresh` after a change of configuration."""
        # The queue's catalogue read again (another process's `init`): this too.
        if self._reference is None or refresh or self.queue.catalogue() is not self._read_with:
            self._reference = load_reference(self.queue, refresh)
            self._read_with = self.queue.catalogue()
        return self._reference

    def kind(self, code: str) -> AppointmentKind:
        """An appointment type by its code, or NotFound naming the known ones."""
        ref = self.reference()
        found = ref.kinds.get(code.strip().upper())
        if found is None:
            # A type added since the cache was filled (another process's `init`).
            found = self.reference(refresh=True).kinds.get(code.strip().upper())
        if found is None:
            known = ", ".join(sorted(ref.kinds)) or "none configured"
            raise NotFound(f"unknown appointment type '{code}' (known: {known})")
        return found

    def centre_offering(self, kind: AppointmentKind, centre: str) -> CentreRef:
        """A centre by its code, refusing if the type is not offered there."""
        where = self.queue.centre(centre)
        if where.code not in kind.centres:
            raise InvalidInput(
                f"{kind.name} is not offered at {where.code} "
                f"(offered at: {', '.join(kind.centres)})"
            )
        return where

    def setting(self, key: str, default: float) -> float:
        """A number from the `appointments.` settings of the centres file."""
        return float(self.queue.catalogue().settings.get(f"appointments.{key}", default))


class AppointmentArea:
    """One area of the appointment actions over the shared context;
    `AppointmentService` is all of them together."""

    def __init__(self, ctx: AppointmentContext) -> None:
        self.ctx = ctx
