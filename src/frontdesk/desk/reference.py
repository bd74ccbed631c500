"""What the console reads from the store, done in worker threads: the desk's reference
data once, the queue after every change, and calling with a fallback."""

from __future__ import annotations

from dataclasses import dataclass

from frontdesk.desk.queue_view import DeskQueueView, build_view
from frontdesk.errors import NotFound, TicketTaken
from frontdesk.services.appointments import AppointmentTypeInfo
from frontdesk.services.results import TicketAtDesk
from frontdesk.services.wiring import Services


@dataclass(frozen=True, slots=True)
class DeskReference:
    centre_name: str
    timezone: str
    services: tuple[tuple[str, str], ...]  # (code, name) offered at the centre
    desk_services: tuple[str, ...]  # the desk's configured services, in order
    desks: tuple[str, ...]  # the other desks of the centre
    thresholds: dict[str, float]
    topics: dict[str, tuple[tuple[str, str], ...]]  # service -> ((name, code), …)
    topic_names: dict[str, str]
    private_room: bool
    appointment_types: tuple[AppointmentTypeInfo, ...] = ()


def read_reference(services: Services, centre: str, desk: str) -> DeskReference:
    cat = services.queue.catalogue(refresh=True)
    where = services.queue.centre(centre)
    counter = where.desks.get(desk.strip())
    if counter is None:
        raise NotFound(f"unknown desk '{desk}' at {where.code} (desks: {', '.join(where.desks)})")
    topics: dict[str, list[tuple[str, str]]] = {}
    for t in cat.topics.values():
        topics.setdefault(t.service_code, []).append((t.name, t.code))
    return DeskReference(
        centre_name=where.name,
        timezone=where.timezone,
        services=tuple((c, cat.services[c].name) for c in where.services if c in cat.services),
        desk_services=counter.services,
        desks=tuple(n for n in where.desks if n != counter.name),
        thresholds={
            c: where.service_standards.get(c, (where.threshold_minutes, 0.0))[0]
            for c in where.services
        },
        topics={k: tuple(v) for k, v in topics.items()},
        topic_names={t.code: t.name for t in cat.topics.values()},
        private_room=counter.private_room,
        appointment_types=tuple(services.appointments.types(where.code)),
    )


def newer_reference(
    services: Services, centre: str, desk: str, seen: object
) -> tuple[object, DeskReference | None]:
    """(the catalogue now, the desk's reference read again if the catalogue is no longer
    `seen`): after another process's `init` (a new desk, changed standards)."""
    cat = services.queue.catalogue()
    if cat is seen:
        return cat, None
    ref = read_reference(services, centre, desk)
    return services.queue.catalogue(), ref


def topic_choices(ref: DeskReference, service: str) -> list[tuple[str, str]]:
    """The ticket's own service's topics first, then every other service's."""
    own = list(ref.topics.get(service, ()))
    others = [
        (f"{name} ({code.split('-')[0]})", code)
        for svc, items in ref.topics.items()
        if svc != service
        for name, code in items
    ]
    return own + others


def read_queue(
    services: Services,
    centre: str,
    serving: tuple[str, ...],
    ref: DeskReference,
    desk: str | None = None,
) -> DeskQueueView:
    snapshot = services.queue.snapshot(centre)
    details = services.queue.waiting_details(centre)
    alerts = tuple(
        f"{h.device_id.split('/', 1)[-1]}: {h.status.value}{' — ' + h.detail if h.detail else ''}"
        for h in services.devices.health.alerts(centre)
    )
    order = services.queue.call_order(centre, desk, services=serving) if desk else None
    return build_view(snapshot, serving, ref.thresholds, details, alerts, desk, order)


@dataclass(frozen=True, slots=True)
class Called:
    ticket: TicketAtDesk | None
    note: str = ""


def call_particular(
    services: Services, centre: str, desk: str, ticket: str, staff: str, serving: tuple[str, ...]
) -> Called:
    """Call `ticket`; if another desk has just called it, say so and call the next one."""
    try:
        return Called(services.queue.call_ticket(centre, desk, ticket, staff=staff))
    except TicketTaken:
        nxt = services.queue.call_next(centre, desk, staff=staff, services=serving)
        then = f"called {nxt.ticket} instead" if nxt else "nobody else is waiting"
        return Called(nxt, f"{ticket} was already called by another desk: {then}.")
