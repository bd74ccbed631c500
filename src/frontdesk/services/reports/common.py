"""What every report shares: the result's shape (a titled table that states its period,
centres, denominators and the standard in force), choosing centres, periods, and where
the tallies come from (the rollups, or the event log folded directly)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, Protocol

from frontdesk.errors import InvalidInput
from frontdesk.queue.tally import AdviserTally, QueryTally, VisitTally
from frontdesk.services import rollups as ru
from frontdesk.services.queue import QueueService
from frontdesk.store import fold_reads as fr
from frontdesk.store import rollup_store as rs
from frontdesk.store.catalogue import CentreRef
from frontdesk.store.engine import UnitOfWork

PERIODS = ("day", "week", "month", "quarter", "year")
APPOINTMENT = "appointment"  # the channel of checked-in appointments, reported apart


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    kind: str = "int"  # text | int | share | seconds | number | date
    brief: bool = True  # shown in the terminal's table (CSV, XLSX and JSON have all)


@dataclass(frozen=True, slots=True)
class Report:
    """A report as a table, with what it covers."""

    name: str
    title: str
    date_from: date
    date_to: date
    centres: tuple[str, ...]
    standards: dict[str, dict[str, Any]]
    denominators: dict[str, str]
    columns: tuple[Column, ...]
    rows: tuple[dict[str, Any], ...]
    notes: tuple[str, ...] = ()
    extra: dict[str, Any] = field(default_factory=dict)

    def as_json(self) -> dict[str, Any]:
        return {
            "report": self.name,
            "from": self.date_from.isoformat(),
            "to": self.date_to.isoformat(),
            "centres": list(self.centres),
            **self.extra,
            "standards": self.standards,
            "denominators": self.denominators,
            "notes": list(self.notes),
            "rows": [dict(r) for r in self.rows],
        }

    def caption(self) -> str:
        """Period, centres, standard(s) in force and denominators, in words."""
        period = (
            self.date_from.isoformat()
            if self.date_from == self.date_to
            else f"{self.date_from} to {self.date_to}"
        )
        parts = [f"{period} · {', '.join(self.centres)}", "standard: " + standard_words(self)]
        parts += [f"{k}: out of {v}" for k, v in self.denominators.items()]
        return "\n".join(parts + list(self.notes))


def standard_words(report: Report) -> str:
    said = []
    for code, s in report.standards.items():
        line = f"{code} {s['target_share'] * 100:g}% within {s['threshold_minutes']:g} min"
        if s.get("average_wait_minutes"):
            line += f", average ≤ {s['average_wait_minutes']:g} min"
        own = s.get("service_standards") or {}
        line += "".join(
            f"; {svc} {o['target_share'] * 100:g}% within {o['threshold_minutes']:g} min"
            for svc, o in own.items()
        )
        said.append(line)
    return " | ".join(said)


def select_centres(queue: QueueService, text: str) -> list[CentreRef]:
    """`CODE`, `CODE,CODE…` or `ALL` → the centres, each checked."""
    wanted = (text or "").strip()
    if not wanted:
        raise InvalidInput("--centre: give a centre code, several (A,B) or ALL")
    if wanted.upper() == "ALL":
        centres = list(queue.catalogue().centres.values())
        if not centres:
            raise InvalidInput("--centre ALL: no centres are configured (run frontdesk init)")
        return centres
    out: list[CentreRef] = []
    for code in (c.strip() for c in wanted.split(",")):
        if not code:
            raise InvalidInput(f"--centre '{wanted}': an empty code between commas")
        where = queue.centre(code)
        if where not in out:
            out.append(where)
    return out


def standards_of(centres: Sequence[CentreRef]) -> dict[str, dict[str, Any]]:
    return {
        c.code: {
            "threshold_minutes": c.threshold_minutes,
            "target_share": c.target_share,
            "average_wait_minutes": c.average_wait_minutes,
            "service_standards": {
                svc: {"threshold_minutes": t, "target_share": s}
                for svc, (t, s) in sorted(c.service_standards.items())
            },
        }
        for c in centres
    }


def check_period(day_from: date, day_to: date) -> None:
    if day_to < day_from:
        raise InvalidInput(f"--to {day_to} is before --from {day_from}")


def period_of(day: date, by: str) -> tuple[str, date, date]:
    """The label and first and last dates of the period (of kind `by`) holding `day`."""
    if by == "day":
        return day.isoformat(), day, day
    if by == "week":
        year, week, weekday = day.isocalendar()
        start = day - timedelta(days=weekday - 1)
        return f"{year}-W{week:02d}", start, start + timedelta(days=6)
    if by == "month":
        return f"{day.year}-{day.month:02d}", ru.month_start(day), ru.month_end(day)
    if by == "quarter":
        q = (day.month - 1) // 3
        start = date(day.year, 3 * q + 1, 1)
        return f"{day.year}-Q{q + 1}", start, ru.month_end(date(day.year, 3 * q + 3, 1))
    if by == "year":
        return str(day.year), date(day.year, 1, 1), date(day.year, 12, 31)
    raise InvalidInput(f"--by '{by}': choose one of {', '.join(PERIODS)}")


# -- where tallies come from ---------------------------------------------------------------

TallyClass = type[VisitTally] | type[QueryTally] | type[AdviserTally]
# (centre id, local date, local hour, key, tally); a month row gives its first date.
Tallied = tuple[int, date, int, Any, Any]


class Source(Protocol):
    def tallies(
        self,
        cls: TallyClass,
        centre_ids: Sequence[int],
        day_from: date,
        day_to: date,
        grain: str,
        *,
        services: bool = True,
    ) -> Iterator[Tallied]:
        """Tallies of the centres over the period; with `services=False` (visits only)
        the caller does not need them per service, and gets one key per channel."""
        ...


class RollupSource:
    """Tallies from the rollups, caught up with the event log first. `grain` is `h`
    (hour rows), `d` (day rows) or `auto` (whole months from month rows, the rest from
    day rows)."""

    def __init__(self, uow: UnitOfWork, rollups: ru.Rollups) -> None:
        self.uow = uow
        self.rollups = rollups

    def tallies(
        self,
        cls: TallyClass,
        centre_ids: Sequence[int],
        day_from: date,
        day_to: date,
        grain: str,
        *,
        services: bool = True,
    ) -> Iterator[Tallied]:
        self.rollups.catch_up()
        n = len(rs.KEY_COLUMNS[cls])
        pieces = cover(day_from, day_to) if grain == "auto" else [(grain, day_from, day_to)]
        if not services and cls is VisitTally:
            pieces = [(rs.ALL_SERVICES[g], a, b) for g, a, b in pieces]
        with self.uow.read_core() as s:
            for g, a, b in pieces:
                for row, tally in rs.read_tallies(s, cls, g, centre_ids, a, b):
                    cells: Any = row
                    key = tuple(cells[3 : 3 + n]) if n > 1 else cells[3]
                    yield cells[0], cells[1], cells[2], key, tally


def cover(day_from: date, day_to: date) -> list[tuple[str, date, date]]:
    """[day_from, day_to] as month rows for the whole months in it and day rows for the
    rest: (grain, first, last)."""
    first_full = ru.month_start(day_from)
    if first_full < day_from:
        first_full = ru.month_end(day_from) + timedelta(days=1)
    last_full = ru.month_start(day_to + timedelta(days=1)) - timedelta(days=1)
    if last_full < first_full:
        return [("d", day_from, day_to)]
    out = []
    if day_from < first_full:
        out.append(("d", day_from, first_full - timedelta(days=1)))
    out.append(("m", first_full, ru.month_start(last_full)))
    if last_full < day_to:
        out.append(("d", last_full + timedelta(days=1), day_to))
    return out


class DirectSource:
    """Tallies folded straight from the event log, a centre-month at a time: what every
    report gave before the rollups, kept to check them and to measure them against."""

    def __init__(self, uow: UnitOfWork) -> None:
        self.uow = uow

    def tallies(
        self,
        cls: TallyClass,
        centre_ids: Sequence[int],
        day_from: date,
        day_to: date,
        grain: str,
        *,
        services: bool = True,
    ) -> Iterator[Tallied]:
        field_name = {VisitTally: "visits", QueryTally: "queries", AdviserTally: "advisers"}[cls]
        with self.uow.read() as s:
            stds = fr.standards(s)
            for cid in centre_ids:
                for a, b in ru.months_between(day_from, day_to):
                    tickets = fr.tickets_between(s, cid, a, b)
                    wanted = [t.id for t in tickets if t.channel == APPOINTMENT]
                    due = fr.appointments_due(s, wanted) if wanted else {}
                    events = fr.events_between(s, cid, a, b)
                    slots, _ = ru.fold(tickets, events, stds[cid], due)
                    for (day, hour), slot in slots.items():
                        for key, tally in getattr(slot, field_name).items():
                            if not services and cls is VisitTally:
                                key = (0, key[1])  # as the rollups' services added up
                            yield cid, day, hour, key, tally
