"""Staffing advice: a week's desks per hour from the centre's history (DESIGN §3
"Staffing plan"), a proposed rota's projection, the forecast's back-test, and the
per-hour figures of a day that happened (to set a replayed plan beside its projection).

`history` is the one place past demand is read (one GROUP BY per figure, never the
events themselves): when rollups exist, it is the one function to switch to them.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.config import parse_hours
from frontdesk.errors import InvalidInput
from frontdesk.planning.forecast import (
    HISTORY_WEEKS,
    Backtest,
    DemandHistory,
    Fallback,
    HandlingSample,
    OpeningHours,
    backtest,
    forecast_day,
    handling_times,
    patience_seconds,
    usable_days,
)
from frontdesk.planning.model import DayDemand, DeskSkills, PlanningCentre, Slot, WeekPlan
from frontdesk.planning.rota import opening_order, parse_rota, rota_desks, unused_parts
from frontdesk.planning.week import days_of_week, plan_week, week_workload
from frontdesk.queue.measures import (
    LoggedEvent,
    Standard,
    StandardFigures,
    standard_figures,
    ticket_outcome,
)
from frontdesk.queue.states import Step
from frontdesk.services.queue import QueueService
from frontdesk.store import demand as ds
from frontdesk.store import queue_store as qs
from frontdesk.store.catalogue import CentreRef

DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
BACKTEST_WEEKS = 4
_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


def parse_week(text: str, field: str = "--week") -> date:
    """`2026-W50` → the Monday of that ISO week."""
    m = _WEEK.match(text.strip().upper())
    try:
        if m is None:
            raise ValueError
        return date.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise InvalidInput(f"{field} '{text}' is not an ISO week like 2026-W50") from None


def week_label(monday: date) -> str:
    year, week, _ = monday.isocalendar()
    return f"{year}-W{week:02d}"


@dataclass(frozen=True, slots=True)
class HourFigures:
    """The standard's figures for the walk-ins issued in one local hour of a day."""

    hour: str  # "09:00"
    issued: int
    figures: StandardFigures


@dataclass(frozen=True, slots=True)
class CentreBacktest:
    centre: str
    week: str  # the week the back-test runs up to
    backtest: Backtest


@dataclass(frozen=True, slots=True)
class _Inputs:
    centre: PlanningCentre
    demands: list[DayDemand]  # Monday to Sunday
    left_out: tuple[tuple[date, str], ...]


class StaffingService:
    def __init__(self, queue: QueueService) -> None:
        self.queue = queue

    # -- the port: past demand ------------------------------------------------------

    def history(self, centre: str, before: date, weeks: int = HISTORY_WEEKS) -> DemandHistory:
        """Walk-in arrivals per local date, hour and service, handling times per service
        and walk-outs, over the `weeks` weeks before the local date `before`."""
        where = self.queue.centre(centre)
        tz = ZoneInfo(where.timezone)
        first = before - timedelta(weeks=weeks)
        since = datetime.combine(first, time(), tzinfo=tz).astimezone(UTC)
        until = datetime.combine(before, time(), tzinfo=tz).astimezone(UTC)
        by_id = self.queue.catalogue().service_by_id
        with self.queue.uow.read_core() as s:
            quarters = ds.arrivals_by_quarter(s, where.id, since, until)
            handling = ds.handling_by_service(s, where.id, since, until)
            walkouts, waited = ds.waiting_and_walkouts(s, where.id, since, until)
        arrivals: dict[tuple[date, int, str], int] = defaultdict(int)
        for start, sid, n in quarters:
            local = datetime.fromtimestamp(start, UTC).astimezone(tz)
            if sid in by_id:
                arrivals[(local.date(), local.hour, by_id[sid].code)] += n
        samples = {}
        for sid, n, total, squares in handling:
            if sid in by_id and n > 0:
                mean = total / n
                sd = max(squares / n - mean * mean, 0.0) ** 0.5
                samples[by_id[sid].code] = HandlingSample(n, mean, sd)
        return DemandHistory(
            centre=where.code,
            first_day=first,
            last_day=before - timedelta(days=1),
            arrivals=dict(arrivals),
            handling=samples,
            walkouts=walkouts,
            waiting_seconds=waited,
        )

    # -- plans ----------------------------------------------------------------------

    def week(
        self,
        centre: str,
        week: str,
        *,
        desks: str | None = None,
        day: date | None = None,
        history_weeks: int = HISTORY_WEEKS,
        seed: int = 1,
        replications: int | None = None,
    ) -> WeekPlan:
        """The recommended desks per hour for each opening day of `week` (or of `day`
        only), or — given a rota in `desks` — that rota's projection."""
        where = self.queue.centre(centre)
        monday = parse_week(week)
        label = week_label(monday)
        if day is not None and not monday <= day < monday + timedelta(days=7):
            raise InvalidInput(f"--date {day} is not in {label}")
        if history_weeks < 1:
            raise InvalidInput("--history-weeks must be 1 or more")
        if replications is not None and not 2 <= replications <= 5000:
            raise InvalidInput("--replications must be 2 to 5000")
        inputs = self._inputs(where, monday, history_weeks)
        demands = inputs.demands if day is None else [d for d in inputs.demands if d.day == day]
        rota = None
        if desks is not None:
            rota = parse_rota(desks, len(where.desks))
            unused = unused_parts(rota, [d.slots for d in demands])
            if unused:
                raise InvalidInput(
                    f"--desks: {', '.join(unused)} is outside {where.code}'s opening hours "
                    f"on the days planned"
                )
        centre_in = inputs.centre
        notes = [_forecast_note(demands, inputs.left_out, history_weeks)]
        measured = sorted(c for c, h in centre_in.handling.items() if h.samples)
        notes.append(
            "handling times from history for " + ", ".join(measured)
            if measured
            else "handling times as configured (too little history)"
        )
        if centre_in.patience_seconds is not None:
            notes.append(f"mean patience {centre_in.patience_seconds / 60:.0f} min")
        return plan_week(
            centre_in,
            label,
            demands,
            seed=seed,
            replications=replications,
            rota=rota,
            notes=notes,
            order_from=inputs.demands,
        )

    def slots(self, centre: str, day: date) -> tuple[Slot, ...]:
        """The centre's planning slots on `day` (none when closed)."""
        return opening_hours(self.queue.centre(centre)).slots(day)

    def day_rota(
        self, centre: str, day: date, desks: str | Sequence[int], history_weeks: int = HISTORY_WEEKS
    ) -> list[tuple[time, tuple[str, ...]]]:
        """The desks open from each slot of `day` for a rota (text as `--desks`, or desks
        per slot), by the planner's opening order for that week."""
        where = self.queue.centre(centre)
        monday = day - timedelta(days=day.weekday())
        inputs = self._inputs(where, monday, history_weeks)
        demand = next(d for d in inputs.demands if d.day == day)
        label = f"{day:%a} {day.isoformat()}"
        if not demand.slots:
            raise InvalidInput(f"{where.code} is closed on {day.isoformat()}")
        if isinstance(desks, str):
            counts = rota_desks(parse_rota(desks, len(where.desks)), demand.slots, label)
        else:
            counts = list(desks)
            if len(counts) != len(demand.slots) or not all(
                1 <= n <= len(where.desks) for n in counts
            ):
                raise InvalidInput(
                    f"the plan's hours do not match {where.code}'s opening on {label} "
                    f"({', '.join(s.label for s in demand.slots)})"
                )
        order = opening_order(inputs.centre.desks, week_workload(inputs.centre, inputs.demands))
        names = [d.name for d in inputs.centre.desks]
        return [
            (time(s.start // 60, s.start % 60), tuple(names[d] for d in order[:n]))
            for s, n in zip(demand.slots, counts, strict=True)
        ]

    def _inputs(self, where: CentreRef, monday: date, history_weeks: int) -> _Inputs:
        """What the planner needs for a week: the centre as it sees it, and each day's
        forecast from the history before the week (or before today)."""
        hours = opening_hours(where)
        history = self.history(where.code, min(monday, self._today(where)), history_weeks)
        days = usable_days(history, hours, monday, history_weeks)
        fallback = self._fallback(where)
        centre = PlanningCentre(
            code=where.code,
            desks=tuple(DeskSkills(d.name, d.services) for d in where.desks.values()),
            standard=centre_standard(where),
            handling=handling_times(history, fallback, where.services),
            patience_seconds=patience_seconds(history),
        )
        demands = [
            forecast_day(d, history, hours, fallback, where.services, days)
            for d in days_of_week(monday)
        ]
        return _Inputs(centre, demands, days.left_out)

    def backtest(
        self,
        centre: str,
        week: str,
        weeks: int = BACKTEST_WEEKS,
        history_weeks: int = HISTORY_WEEKS,
    ) -> CentreBacktest:
        """Forecast each of the `weeks` weeks before `week` from the weeks before it and
        compare with what happened."""
        where = self.queue.centre(centre)
        monday = parse_week(week)
        history = self.history(where.code, min(monday, self._today(where)), history_weeks + weeks)
        mondays = [monday - timedelta(weeks=w) for w in range(weeks, 0, -1)]
        result = backtest(
            history,
            opening_hours(where),
            self._fallback(where),
            where.services,
            mondays,
            history_weeks,
        )
        return CentreBacktest(where.code, week_label(monday), result)

    # -- a day that happened, hour by hour -------------------------------------------

    def hours_seen(self, centre: str, day: date) -> list[HourFigures]:
        """The waiting standard per local hour of issue for the walk-ins of one day."""
        where = self.queue.centre(centre)
        tz = ZoneInfo(where.timezone)
        with self.queue.uow.read() as s:
            tickets = qs.tickets_issued(s, [where.id], day, day)
            events = qs.events_of_tickets_issued(s, [where.id], day, day)
        per_ticket: dict[int, list[LoggedEvent]] = defaultdict(list)
        for e in events:
            per_ticket[e.ticket_id].append(
                LoggedEvent(step=Step(e.step), at=e.at, resolved=e.resolved, avoidable=e.avoidable)
            )
        by_hour: dict[int, list] = defaultdict(list)
        for t in tickets:
            if t.channel == ds.APPOINTMENT:
                continue
            hour = t.issued_at.astimezone(tz).hour
            by_hour[hour].append(ticket_outcome(t.issued_at, per_ticket.get(t.id, [])))
        standard = centre_standard(where)
        return [
            HourFigures(f"{h:02d}:00", len(o), standard_figures(o, standard))
            for h, o in sorted(by_hour.items())
        ]

    # -- helpers ------------------------------------------------------------------

    def _today(self, where: CentreRef) -> date:
        return self.queue.clock.now().astimezone(ZoneInfo(where.timezone)).date()

    def _fallback(self, where: CentreRef) -> Fallback:
        services = self.queue.catalogue().services
        return Fallback(
            daily_visitors=where.daily_visitors,
            demand_share={c: services[c].demand_share for c in where.services},
            mean_handling_seconds={c: services[c].mean_handling_seconds for c in where.services},
        )


def centre_standard(where: CentreRef) -> Standard:
    return Standard(
        threshold_minutes=where.threshold_minutes,
        target_share=where.target_share,
        average_wait_minutes=where.average_wait_minutes,
    )


def opening_hours(where: CentreRef) -> OpeningHours:
    weekly = {
        DAYS.index(day): tuple((r.opens, r.closes) for r in parse_hours(text))
        for day, text in where.hours.items()
    }
    return OpeningHours(weekly, frozenset(date.fromisoformat(d) for d in where.closures))


def _forecast_note(demands: list, left_out: tuple, weeks: int) -> str:
    sources = {d.source for d in demands if d.slots}
    if sources == {"history"}:
        text = f"forecast from the last {weeks} weeks of history"
    elif sources == {"configuration"}:
        text = "forecast from the centres file (too little history)"
    elif sources:
        text = "forecast from history where there was enough, else from the centres file"
    else:
        text = "closed on the days planned"
    if left_out:
        shown = ", ".join(f"{d.isoformat()} ({why})" for d, why in left_out[:6])
        more = f" and {len(left_out) - 6} more" if len(left_out) > 6 else ""
        text += f"; days left out: {shown}{more}"
    return text
