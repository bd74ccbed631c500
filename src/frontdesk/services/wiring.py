"""The composition root: one engine per process, the services wired to it."""

from __future__ import annotations

import getpass
import os
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import Engine

from frontdesk.appointments.rules import due_appointments_first
from frontdesk.clock import Clock, SystemClock
from frontdesk.config import CentresFile, load_centres
from frontdesk.services.api_tokens import ApiTokenService
from frontdesk.services.appointments import AppointmentService
from frontdesk.services.desks import DeskService
from frontdesk.services.devices import DeviceService
from frontdesk.services.notifications import NotificationService
from frontdesk.services.oversight import OversightService
from frontdesk.services.queue import QueueService
from frontdesk.services.reports import ReportService
from frontdesk.services.staff import StaffService
from frontdesk.services.staffing import StaffingService
from frontdesk.services.visitors import VisitorService
from frontdesk.settings import Settings
from frontdesk.store import audit as audit_log
from frontdesk.store import migrate
from frontdesk.store.changes import ChangeWatcher
from frontdesk.store.engine import UnitOfWork, make_engine
from frontdesk.store.loaders import apply_centres


@dataclass
class Services:
    engine: Engine
    uow: UnitOfWork
    clock: Clock
    queue: QueueService
    reports: ReportService
    appointments: AppointmentService
    staff: StaffService
    desks: DeskService
    devices: DeviceService
    notifications: NotificationService
    staffing: StaffingService
    oversight: OversightService
    visitors: VisitorService
    api_tokens: ApiTokenService

    def watch(self) -> ChangeWatcher:
        """A change watcher for a live screen (use from one worker thread)."""
        return ChangeWatcher(self.engine)

    def close(self) -> None:
        self.engine.dispose()


def operating_system_user() -> str:
    """Who runs this process, as the operating system names them."""
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a bare container)
        return f"uid{os.getuid()}" if hasattr(os, "getuid") else "unknown"


def open_services(
    url: str | None = None, clock: Clock | None = None, *, via: str | None = None
) -> Services:
    """Connect to the store at `url` (default: FRONTDESK_DB or the user data dir).
    `via`: what this process is (`desk:CIVIC/3`), for the audit log's entries made here,
    with the operating-system user who runs it."""
    if via is not None:
        audit_log.set_process_via(f"{via} ({operating_system_user()})")
    engine = make_engine(url or Settings().database_url())
    uow = UnitOfWork(engine)
    clk = clock or SystemClock()
    # Checked-in appointments are called at their booked time, ahead of walk-ins.
    queue = QueueService(uow, clk, rules=[due_appointments_first])
    appointments = AppointmentService(queue)
    devices = DeviceService(uow, clk)
    reports = ReportService(queue)
    staff = StaffService(uow, clk)
    return Services(
        engine=engine,
        uow=uow,
        clock=clk,
        queue=queue,
        reports=reports,
        appointments=appointments,
        staff=staff,
        desks=DeskService(queue),
        devices=devices,
        notifications=NotificationService(queue, appointments, devices),
        staffing=StaffingService(queue),
        oversight=OversightService(queue, staff, devices, reports),
        visitors=VisitorService(queue),
        api_tokens=ApiTokenService(uow, clk),
    )


def initialise(services: Services, config: CentresFile | Path | None) -> dict[str, int]:
    """Migrate the schema and, given a centres file, load it (all or nothing)."""
    cfg = load_centres(config) if isinstance(config, Path) else config
    migrate.upgrade(services.engine)
    counts: dict[str, int] = {}
    if cfg is not None:
        with services.uow.write() as s:
            counts = apply_centres(s, cfg)
        services.queue.catalogue(refresh=True)
        services.appointments.reference(refresh=True)
        # A changed standard: the centre's rollups are refolded now, not at the next read.
        services.reports.catch_up(check_standards=True)
    return counts
