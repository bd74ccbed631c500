"""The supervisor's live view as a service: every centre against its standard, one
centre in detail, the outlook and the advice, and breach alerts kept up to date.

A refresh reads today's new events (by id), every centre's desks and queues in a few
statements, and runs a centre's outlook forward again only when its state changed or a
minute has passed — so with many centres on one store a refresh costs little.
"""

from __future__ import annotations

import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any, Protocol

from frontdesk.errors import NotFound
from frontdesk.queue.projection import Scenario
from frontdesk.services.devices import DeviceService
from frontdesk.services.estimate_report import EstimateAccuracy, estimate_accuracy
from frontdesk.services.kiosk import opening_state
from frontdesk.services.oversight import alerts as episodes
from frontdesk.services.oversight import centre_view
from frontdesk.services.oversight.actions import OversightActions
from frontdesk.services.oversight.forecast import ArrivalForecast, Steps, with_recent
from frontdesk.services.oversight.history import HistoryForecast, RollupPastDays
from frontdesk.services.oversight.live import LiveCentre, LiveState, read_live
from frontdesk.services.oversight.outlooks import (
    ForwardRun,
    Projector,
    advise,
    outlook_view,
    scenario,
)
from frontdesk.services.oversight.today import CentreToday, TodayLedger
from frontdesk.services.oversight.views import (
    Advice,
    CentreRow,
    CentreView,
    CouncilView,
    Outlook,
)
from frontdesk.services.queue import QueueService
from frontdesk.services.reports import ReportService
from frontdesk.services.staff import StaffService
from frontdesk.store.catalogue import CentreRef

# Run a centre forward again at least this often, even if nothing changed (waits grow).
OUTLOOK_MAX_AGE = timedelta(seconds=60)
# Advice is worked out for the services furthest below target, each action a run of its
# own: the supervisor acts on the worst first.
ADVISED_SERVICES = 2
ADVICE_RUNS = 12
# Walk-ins counted over each of the last RECENT_WINDOWS beyond what chance brings at the
# forecast rate are assumed to keep coming for RECENT_HORIZON (a rush).
RECENT_WINDOWS = tuple(timedelta(minutes=m) for m in (1, 2, 5, 10))
RECENT_HORIZON = timedelta(minutes=30)
# A desk console evaluates its centre's alerts at most this often: a warning minutes
# ahead loses nothing, and the console's screen keeps the processor for the adviser.
WATCH_GAP = timedelta(seconds=20)


class PastDays(Protocol):
    """Share within standard over past days (for "this week"): (within, counted)."""

    def counts(self, centre: str, day_from: date, day_to: date) -> tuple[int, int]: ...


@dataclass(slots=True)
class _Projected:
    signature: tuple[Any, ...]
    at: datetime
    outlook: Outlook
    advice: dict[str, Advice]


class OversightService(OversightActions):
    def __init__(
        self,
        queue: QueueService,
        staff: StaffService,
        devices: DeviceService,
        reports: ReportService,
        *,
        projector: Projector | None = None,
        forecast: ArrivalForecast | None = None,
        past: PastDays | None = None,
    ) -> None:
        super().__init__(queue, staff)
        self.devices = devices
        self.projector: Projector = projector or ForwardRun()
        self.advisor: Projector = projector or ForwardRun(runs=ADVICE_RUNS)
        # Both from the rollups: the same weekday's hours for the forecast (the
        # configured profile while history is thin), the week's past days' shares.
        self.forecast: ArrivalForecast = forecast or HistoryForecast(reports.source())
        self.past: PastDays = past or RollupPastDays(reports.source(), queue)
        self.ledger = TodayLedger(queue.uow)
        self._projected: dict[int, _Projected] = {}
        self._live: LiveState | None = None
        self._week: dict[tuple[int, date], tuple[int, int]] = {}
        self._accuracies: dict[int, tuple[Any, EstimateAccuracy]] = {}
        self._lock = threading.Lock()
        self._watched: dict[int, datetime] = {}

    # -- refresh ---------------------------------------------------------------------

    def refresh(self, only: frozenset[int] | None = None) -> LiveState:
        """Read what changed; run forward the centres whose state moved (of `only`, the
        centres' ids, when given); keep their alerts."""
        with self._lock:
            cat = self.queue.catalogue()
            now = self.clock.now()
            touched = self.ledger.refresh(cat, now)
            live = read_live(self.uow, cat, now)
            open_rows: dict[int, dict[int, Any]] = {}
            for a in live.alerts:
                if a.closed_at is None:
                    open_rows.setdefault(a.centre_id, {})[a.service_id] = a
            wrote = False
            for where in cat.centres.values():
                if only is not None and where.id not in only:
                    continue
                centre = live.of(where.id)
                signature = (centre.signature(), where.id in touched)
                found = self._projected.get(where.id)
                fresh = (
                    found is not None
                    and found.signature[0] == signature[0]
                    and not signature[1]
                    and now - found.at < OUTLOOK_MAX_AGE
                    and now >= found.at
                )
                if fresh:
                    continue
                found = self._project(where, centre, now, signature)
                self._projected[where.id] = found
                wrote |= episodes.evaluate(
                    self.uow,
                    self.devices,
                    cat,
                    where,
                    found.outlook,
                    found.advice,
                    now,
                    open_rows.get(where.id, {}),
                )
            if wrote:
                live = read_live(self.uow, cat, now)
            self._live = live
            return live

    def keep_watch(self, centre: str) -> None:
        """Keep a centre's breach alerts up to date from a long-running process other than
        the dashboard (each desk console calls this as the store changes and on its slow
        tick), so a warning reaches the desks and the supervisors' e-mail with no
        dashboard open. At most once per WATCH_GAP in a process; any number of processes
        may do it at once (the store lets one open an episode, one close it)."""
        where = self.queue.centre(centre)
        at = self.clock.now()
        with self._lock:
            last = self._watched.get(where.id)
            if last is not None and timedelta(0) <= at - last < WATCH_GAP:
                return
        self.refresh(only=frozenset({where.id}))
        # Only a refresh that went through counts: one that failed is tried again at once.
        with self._lock:
            self._watched[where.id] = at

    def _project(
        self, where: CentreRef, centre: LiveCentre, now: datetime, signature: tuple[Any, ...]
    ) -> _Projected:
        cat = self.queue.catalogue()
        today = self.ledger.figures(cat, where)
        state = opening_state(where.hours, where.closures, where.timezone, now)
        if not state.open_now and not centre.waiting:
            return _Projected(signature, now, Outlook(where.code, now, closed=True), {})
        steps = self._arrivals(where, now) if state.open_now else {}
        base_scenario = self._scenario(where, centre, today, steps, now)
        base = self.projector.project(base_scenario)
        outlook = outlook_view(where, base_scenario, base, now, closed=False)
        advice = {}
        heading = [v for v in outlook.services if episodes.heading_for_breach(v)]
        heading.sort(key=lambda v: (v.projected_share or 0.0, -v.risk_30))
        for view in heading[:ADVISED_SERVICES]:
            advice[view.service] = advise(
                cat, where, centre, base_scenario, base, view.service, self.advisor
            )
        return _Projected(signature, now, outlook, advice)

    def _scenario(
        self, where: CentreRef, centre: LiveCentre, today: CentreToday, steps: Steps, now: datetime
    ) -> Scenario:
        """The centre as the wait estimate sees it (desks, who waits, learned handling
        times, walk-outs, appointments due), with today's figures and the forecast."""
        cat = self.queue.catalogue()
        with self.uow.read_core() as s:
            state = self.queue.centre_reader.state(s, cat, where, now)
        return scenario(cat, where, state, centre, today, steps, now)

    def _arrivals(self, where: CentreRef, now: datetime) -> Steps:
        cat = self.queue.catalogue()
        observed = {
            w.total_seconds(): self.ledger.recent_arrivals(cat, where, now, w)
            for w in RECENT_WINDOWS
        }
        steps = self.forecast.steps(cat, where, now)
        return with_recent(steps, observed, RECENT_HORIZON.total_seconds())

    # -- the council ---------------------------------------------------------------------

    def council(self, centres: Sequence[str] | None = None) -> CouncilView:
        """Every centre (or those named) as one row each, the riskiest first."""
        live = self.refresh()
        cat = self.queue.catalogue()
        wanted = [self.queue.centre(c) for c in centres] if centres else cat.centres.values()
        rows = [self.row(where, live) for where in wanted]
        return CouncilView(at=live.at, centres=tuple(sorted(rows, key=lambda r: r.risk)))

    def row(self, where: CentreRef, live: LiveState) -> CentreRow:
        cat = self.queue.catalogue()
        now = live.at
        today = self.ledger.figures(cat, where)
        centre = live.of(where.id)
        state = opening_state(where.hours, where.closures, where.timezone, now)
        longest = max(((now - w.queued_at).total_seconds() for w in centre.waiting), default=0)
        projected = self._projected.get(where.id)
        desks = [d.status for d in centre.desks]
        return CentreRow(
            code=where.code,
            name=where.name,
            open_now=state.open_now,
            next_opens=state.next_opens,
            waiting=len(centre.waiting),
            longest_wait_seconds=int(longest),
            threshold_minutes=where.threshold_minutes,
            target_share=where.target_share,
            share_today=today.overall.share_within_standard,
            share_week=self._share_week(where, today),
            average_wait_seconds=today.overall.average_wait_seconds,
            fcr_today=today.overall.first_contact_resolution,
            fcr_target=float(cat.settings.get("queue.fcr_target", "0.8")),
            desks_open=desks.count("open"),
            desks_paused=desks.count("paused"),
            desks_closed=desks.count("closed"),
            device_alerts=centre.device_alerts,
            outlook=projected.outlook if projected else Outlook(where.code, None),
            open_alerts=sum(
                1 for a in live.alerts if a.centre_id == where.id and a.closed_at is None
            ),
        )

    def _share_week(self, where: CentreRef, today: CentreToday) -> float | None:
        monday = today.day - timedelta(days=today.day.weekday())
        within = today.overall.seen_within_threshold
        counted = today.overall.seen + today.overall.breached_unseen
        if today.day > monday:
            key = (where.id, today.day)
            if key not in self._week:
                self._week[key] = self.past.counts(
                    where.code, monday, today.day - timedelta(days=1)
                )
            past_within, past_counted = self._week[key]
            within, counted = within + past_within, counted + past_counted
        return within / counted if counted else None

    def outlook(self, centre: str) -> Outlook:
        where = self.queue.centre(centre)
        self.refresh()
        found = self._projected.get(where.id)
        if found is None:
            raise NotFound(f"no outlook for {where.code} yet")
        return found.outlook

    def advice(self, centre: str) -> dict[str, Advice]:
        """The advice for each of the centre's services heading for a breach."""
        where = self.queue.centre(centre)
        self.refresh()
        found = self._projected.get(where.id)
        return dict(found.advice) if found else {}

    def scenario_now(self, centre: str) -> Scenario:
        """The scenario the outlook runs forward from (for benchmarks and checks)."""
        cat = self.queue.catalogue()
        where = self.queue.centre(centre)
        live = self.refresh()
        now = live.at
        return self._scenario(
            where,
            live.of(where.id),
            self.ledger.figures(cat, where),
            self._arrivals(where, now),
            now,
        )

    def centre(self, code: str) -> CentreView:
        """One centre in detail: per service, per desk, today by hour, alerts, advice."""
        where = self.queue.centre(code)
        live = self.refresh()
        cat = self.queue.catalogue()
        found = self._projected.get(where.id)
        today = self.ledger.figures(cat, where)
        return centre_view.build(
            self.queue,
            where,
            live,
            today,
            self.row(where, live),
            found.outlook if found else Outlook(where.code, None),
            dict(found.advice) if found else {},
            self._accuracy(where, today),
        )

    def _accuracy(self, where: CentreRef, today: CentreToday) -> EstimateAccuracy:
        # Only a ticket seen changes it: read again when today's count of seen moves.
        key = (where.id, today.day, today.overall.seen)
        if self._accuracies.get(where.id, (None,))[0] != key:
            found = estimate_accuracy(self.queue, where.code, today.day, today.day)
            self._accuracies[where.id] = (key, found)
        return self._accuracies[where.id][1]
