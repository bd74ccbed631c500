"""`frontdesk staffing`: desks per hour to keep the waiting standard, a proposed rota's
projection, the forecast's back-test; and `simulate --plan`, which replays a plan's day
through the real services (the plan file is read here)."""

from __future__ import annotations

import argparse
import csv
import io
import sys
from dataclasses import dataclass
from datetime import date, time
from pathlib import Path
from typing import Any

from frontdesk.cli.common import Commands, emit, services
from frontdesk.errors import InvalidInput

CSV_COLUMNS = (
    "date",
    "hour",
    "minutes",
    "desks",
    "erlang_desks",
    "forecast_arrivals",
    "forecast_handling_seconds",
    "projected_share_within_standard",
    "erlang_projected_share_within_standard",
    "meets_standard",
    "open_desks",
)


def _week_of(args: argparse.Namespace) -> tuple[str, date | None]:
    from frontdesk.services.reports import parse_day
    from frontdesk.services.staffing import week_label

    day = parse_day(args.date, "--date") if args.date else None
    if args.week:
        return args.week, day
    if day is None:
        raise InvalidInput("--week is required (an ISO week like 2026-W50), or give --date")
    return week_label(date.fromisocalendar(*day.isocalendar()[:2], 1)), day


def cmd_staffing(args: argparse.Namespace) -> int:
    if args.json and args.csv:
        raise InvalidInput("--json and --csv: choose one")
    week, day = _week_of(args)
    staffing = services(args).staffing
    if args.backtest:
        if args.desks or args.csv:
            raise InvalidInput("--backtest prints the forecast's error; drop --desks and --csv")
        result = staffing.backtest(args.centre, week, history_weeks=args.history_weeks)
        emit(args, backtest_json(result), lambda: _print_backtest(result))
        return 0
    plan = staffing.week(
        args.centre,
        week,
        desks=args.desks,
        day=day,
        history_weeks=args.history_weeks,
        seed=args.seed,
        replications=args.replications,
    )
    if args.csv:
        sys.stdout.write(plan_csv(plan.as_json()))
        return 0
    emit(args, plan.as_json(), lambda: _print_plan(plan))
    return 0


def plan_csv(payload: dict[str, Any]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for d in payload["days"]:
        for h in d["hours"]:
            row = {**h, "date": d["date"], "open_desks": " ".join(h["open_desks"])}
            writer.writerow("" if row[c] is None else row[c] for c in CSV_COLUMNS)
    return out.getvalue()


def backtest_json(result: Any) -> dict[str, Any]:
    bt = result.backtest
    return {
        "centre": result.centre,
        "week": result.week,
        "weeks": [
            {
                "week": f"{w.monday.isocalendar()[0]}-W{w.monday.isocalendar()[1]:02d}",
                "forecast_source": w.source,
                "hours_compared": w.hours_compared,
                "mape": _round(w.mape),
            }
            for w in bt.weeks
        ],
        "by_hour": {h: _round(v) for h, v in bt.by_hour.items()},
        "mape": _round(bt.mape),
        "hours_compared": bt.hours_compared,
        "hours_without_visitors": bt.hours_without_visitors,
    }


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _print_plan(plan: Any) -> None:
    from rich.table import Table

    from frontdesk.cli.common import console

    out = console()
    std = plan.standard
    kind = "Proposed rota" if plan.what_if else "Staffing plan"
    out.print(
        f"{kind} for {plan.centre}, {plan.week}: standard {std.target_share * 100:g}% seen "
        f"within {std.threshold_minutes:g} min"
        + (
            f", average ≤ {std.average_wait_minutes:g} min"
            if std.average_wait_minutes is not None
            else ""
        )
    )
    for note in plan.notes:
        out.print(f"  {note}")
    if not plan.days:
        out.print("  The centre is closed on the days planned.")
    for d in plan.days:
        table = Table(
            title=f"{d.day:%A} {d.day.isoformat()}",
            caption=(
                f"{d.desk_hours:g} desk-hours ({'rota' if plan.what_if else 'plan'}); "
                f"Erlang C hour by hour: {d.erlang_desk_hours:g}"
            ),
        )
        for col in ("hour", "visitors", "handling", "Erlang", "desks", "share", "wait"):
            table.add_column(col, justify="right")
        table.add_column("Erlang's", justify="right")
        for h in d.hours:
            avg = h.projected_average_wait_seconds
            table.add_row(
                h.slot.label,
                f"{h.forecast_arrivals:.1f}",
                f"{h.forecast_handling_seconds / 60:.1f} min",
                str(h.erlang_desks),
                str(h.desks),
                _pct(h.projected_share) + ("" if h.meets_standard else " ✗"),
                "—" if avg is None else f"{avg / 60:.1f} min",
                _pct(h.erlang_projected_share),
            )
        out.print(table)
    out.print(
        f"Week: {plan.desk_hours:g} desk-hours; per-hour Erlang C {plan.erlang_desk_hours:g}. "
        f"'Erlang' is Erlang C's desks for the hour on its own; 'share' the share seen "
        f"within the threshold and 'wait' the average wait, simulated over whole days "
        f"({plan.replications} replications); 'Erlang's' the share with Erlang's desks; "
        f"✗ = misses the standard."
    )
    if plan.opening_order:
        out.print(f"Desks open in this order: {', '.join(plan.opening_order)}")


def _print_backtest(result: Any) -> None:
    from rich.table import Table

    from frontdesk.cli.common import console

    bt = result.backtest
    table = Table(
        title=f"Forecast back-test for {result.centre}, the 4 weeks before {result.week}",
        caption=(
            f"MAPE {_pct(bt.mape)} over {bt.hours_compared} open hours "
            f"({bt.hours_without_visitors} hours with nobody left out)"
        ),
    )
    for col in ("week", "forecast from", "hours", "MAPE"):
        table.add_column(col)
    for w in bt.weeks:
        iso = w.monday.isocalendar()
        table.add_row(f"{iso[0]}-W{iso[1]:02d}", w.source, str(w.hours_compared), _pct(w.mape))
    console().print(table)
    by_hour = Table(title="MAPE by hour of the day")
    by_hour.add_column("hour")
    by_hour.add_column("MAPE", justify="right")
    for h, v in bt.by_hour.items():
        by_hour.add_row(h, _pct(v))
    console().print(by_hour)


def register(commands: Commands) -> None:
    """Add `staffing` to the `frontdesk` parser."""
    p = commands.add(
        "staffing",
        cmd_staffing,
        "desks per hour that keep the waiting standard, simulated over whole days",
    )
    p.add_argument("--centre", required=True, help="centre code, e.g. CIVIC")
    p.add_argument("--week", help="ISO week to plan, e.g. 2026-W50")
    p.add_argument("--date", help="plan (or project) only this local date")
    p.add_argument("--desks", help='a rota to project instead, e.g. "09-11=4,11-13=6,13-17=5"')
    p.add_argument("--csv", action="store_true", help="one CSV row per day and hour")
    p.add_argument("--backtest", action="store_true", help="the forecast's error, last 4 weeks")
    p.add_argument("--history-weeks", type=int, default=8, help="weeks of history (default 8)")
    p.add_argument("--seed", type=int, default=1, help="simulation seed (default 1)")
    p.add_argument(
        "--replications", type=int, help="simulated days per day planned, in each of two sets"
    )


# -- simulate --plan --------------------------------------------------------------------


def read_plan(path: str) -> Any:
    """A plan file: the JSON `frontdesk staffing --json` prints, or a TOML rota."""
    from frontdesk.planning.plan_file import parse_plan

    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as exc:
        raise InvalidInput(f"--plan {path}: cannot read: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise InvalidInput(f"--plan {path}: not UTF-8 text") from None
    return parse_plan(text, path)


@dataclass(frozen=True)
class Replay:
    """A plan's day made ready for the day simulator."""

    centre: str
    day: date
    rota: list[tuple[time, tuple[str, ...]]]
    expected: list[tuple[time, time, float]] | None  # from the plan's forecast, if any
    projected: dict[str, float | None]  # the plan's own projection per hour


def plan_replay(svc: Any, plan: Any, args: argparse.Namespace, day: date | None) -> Replay:
    """The rota (and expected visitors) of the plan's day, checked against the centre."""
    from frontdesk.planning.forecast import HISTORY_WEEKS
    from frontdesk.services.simulate import opening_day

    if args.desks is not None:
        raise InvalidInput("--plan and --desks: choose one (the plan says which desks open)")
    where = svc.queue.centre(args.centre)
    if plan.centre is not None and plan.centre != where.code:
        raise InvalidInput(f"--plan {args.plan} is for {plan.centre}, not {where.code}")
    if day is None:
        day = opening_day(where.hours, where.closures, svc.clock.now().date())
    chosen = plan.pick(day, args.plan)
    if chosen.hours is None:
        rota = svc.staffing.day_rota(where.code, day, chosen.rota, HISTORY_WEEKS)
        return Replay(where.code, day, rota, None, {})
    starts = [s.start for s in svc.staffing.slots(where.code, day)]
    if starts != [h.start for h in chosen.hours]:
        theirs = ", ".join(_hhmm(h.start) for h in chosen.hours)
        raise InvalidInput(
            f"--plan {args.plan}: its hours on {day} ({theirs}) are not {where.code}'s "
            f"opening hours that day ({', '.join(_hhmm(s) for s in starts) or 'closed'})"
        )
    rota = svc.staffing.day_rota(where.code, day, [h.desks for h in chosen.hours])
    if all(h.open_desks is not None for h in chosen.hours):
        rota = [
            (t, tuple(h.open_desks or ())) for (t, _), h in zip(rota, chosen.hours, strict=True)
        ]
    expected = None
    if all(h.forecast_arrivals is not None for h in chosen.hours):
        ends = [*starts[1:], None]
        expected = []
        for h, end in zip(chosen.hours, ends, strict=True):
            stop = end if end is not None and end - h.start <= 60 else (h.start // 60 + 1) * 60
            expected.append(
                (_time(h.start), _time(min(stop, 24 * 60 - 1)), h.forecast_arrivals or 0.0)
            )
    projected = {_hhmm(h.start): h.projected_share for h in chosen.hours}
    return Replay(where.code, day, rota, expected, projected)


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


def _time(minutes: int) -> time:
    return time(minutes // 60, minutes % 60)


def replay_hours(replay: Replay, hours: list[Any]) -> list[dict[str, Any]]:
    """Per slot of the plan: its desks, and the standard measured on the replayed day."""
    seen = {h.hour[:2]: h for h in hours}
    out = []
    for at, names in replay.rota:
        label = at.strftime("%H:%M")
        h = seen.get(label[:2])
        out.append(
            {
                "hour": label,
                "desks": len(names),
                "open_desks": list(names),
                "issued": h.issued if h else 0,
                "share_within_standard": _round(h.figures.share_within_standard) if h else None,
                "average_wait_seconds": _round(h.figures.average_wait_seconds) if h else None,
                "projected_share_within_standard": _round(replay.projected.get(label)),
            }
        )
    return out


def print_replay(replay: Replay, hours: list[Any]) -> None:
    from rich.table import Table

    from frontdesk.cli.common import console

    table = Table(title="the plan's day, hour by hour (replayed through the real services)")
    for col in ("hour", "desks", "issued", "within standard", "plan projected"):
        table.add_column(col, justify="right")
    for row in replay_hours(replay, hours):
        table.add_row(
            row["hour"],
            str(row["desks"]),
            str(row["issued"]),
            _pct(row["share_within_standard"]),
            _pct(row["projected_share_within_standard"]),
        )
    console().print(table)
