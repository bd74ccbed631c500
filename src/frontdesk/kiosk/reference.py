"""What the kiosk knows of its centre, in the visitor's words: the centre's name and
timezone, its services and their topics, priority reasons, appointment types, and times
said in the centre's timezone.

The app reads it from the services (at start-up, then every minute) and every screen
asks it; no screen reads reference data itself. Names are kept as the centres file gives
them and translated when shown, so a change of language needs no new read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from frontdesk.kiosk import words
from frontdesk.services import lookup
from frontdesk.services.appointments import AppointmentTypeInfo
from frontdesk.ui.grammar import Named, centre_named
from frontdesk.ui.i18n import _, language

if TYPE_CHECKING:
    from frontdesk.services.wiring import Services

DEFAULT_TIMEZONE = "Europe/London"


@dataclass(frozen=True)
class KioskReference:
    """The centre's reference data; empty (names blank) until the first read."""

    centre: str
    # The queue service's catalogue of centres, services, topics and settings.
    catalogue: Any = None
    types: tuple[AppointmentTypeInfo, ...] = ()

    @property
    def centre_ref(self) -> Any:
        return self.catalogue.centres[self.centre] if self.catalogue else None

    @property
    def centre_name(self) -> Named:
        """In the visitor's language, with the forms its sentences need (`{centre:soft}`)."""
        ref = self.centre_ref
        if ref is None:
            return Named("")
        return centre_named(self.catalogue.settings, ref.code, ref.name, language(), _)

    @property
    def timezone(self) -> str:
        ref = self.centre_ref
        return ref.timezone if ref else DEFAULT_TIMEZONE

    @property
    def website(self) -> str:
        return self.catalogue.settings.get("council.website", "") if self.catalogue else ""

    def services_here(self) -> list[tuple[str, str]]:
        ref = self.centre_ref
        if ref is None:
            return []
        return [(c, self.catalogue.services[c].name) for c in ref.services]

    def service_name(self, code: str) -> str:
        svc = self.catalogue.services.get(code) if self.catalogue else None
        return _(svc.name) if svc else code

    def topics_of(self, service: str | None) -> list[tuple[str, str]]:
        topics = self.catalogue.topics.values() if self.catalogue else []
        return [(t.code, t.name) for t in topics if t.service_code == service]

    def priorities(self) -> list[tuple[str, str]]:
        return list(self.catalogue.priorities.items()) if self.catalogue else []

    def priority_name(self, code: str) -> str:
        return dict(self.priorities()).get(code, code)

    def interpreter_languages(self) -> tuple[str, ...]:
        """The languages the centres file offers interpreters in (lower-case English)."""
        return lookup.interpreter_languages(self.catalogue) if self.catalogue else ()

    def appointment_types(self) -> list[AppointmentTypeInfo]:
        return list(self.types)

    def appointment_type(self, code: str) -> AppointmentTypeInfo:
        return next(t for t in self.types if t.code == code)

    def standard_line(self) -> str:
        """The centre's waiting standard, as the ticket slip states it."""
        ref = self.centre_ref
        if ref is None:
            return ""
        return _("Our standard: seen within {minutes} minutes").format(
            minutes=f"{ref.threshold_minutes:g}"
        )

    # -- times in the centre's timezone, in the visitor's language ---------------------

    def format_time(self, at: datetime) -> str:
        return words.time_of_day(at, self.timezone)

    def format_day(self, at: datetime) -> Named:
        return words.day_name(at, self.timezone)

    def format_slot(self, at: datetime) -> str:
        return words.slot_time(at, self.timezone)


def read_reference(services: Services, centre: str) -> KioskReference:
    """The centre's reference data from the services (in a worker: it may wait for the store)."""
    catalogue = services.queue.catalogue()
    types = tuple(services.appointments.types(centre))
    return KioskReference(centre, catalogue, types)
