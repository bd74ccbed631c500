"""`frontdesk` subcommands for reports and the event history: the waiting standard,
importing and exporting events, and simulated days (reported the same way)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from frontdesk import sample
from frontdesk.cli.common import Commands, console, emit, minutes, services
from frontdesk.cli.demo import demo_options
from frontdesk.cli.identity import record
from frontdesk.errors import FrontdeskError

# The sample council the demo runs on: package data, so the demo works from a wheel.
EXAMPLE_CONFIG = sample.COUNCIL

# -- reports and interchange ------------------------------------------------------------


def cmd_report_standard(args: argparse.Namespace) -> int:
    from frontdesk.cli.report_output import emit_report
    from frontdesk.services.reports import parse_day

    payload, table, reports = services(args).reports.standards(
        args.centre, parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to")
    )
    one = reports[0] if len(reports) == 1 else None
    emit_report(args, table, payload, (lambda: _print_report(one)) if one else None)
    return 0


def _pct(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def _print_report(report: Any) -> None:
    from rich.table import Table

    period = (
        report.date_from.isoformat()
        if report.date_from == report.date_to
        else f"{report.date_from} to {report.date_to}"
    )
    fig = report.figures
    verdict = {True: "MET", False: "NOT MET", None: "no customers seen"}[fig.met]
    table = Table(
        title=f"{report.centre} waiting standard, {period}",
        caption=(
            f"Standard: {report.target_share * 100:g}% seen within "
            f"{report.threshold_minutes:g} minutes — {verdict}"
        ),
    )
    table.add_column("measure")
    table.add_column("value", justify="right")
    table.add_column("out of", justify="right")
    denominator = fig.seen + fig.breached_unseen
    table.add_row(
        "seen within standard",
        _pct(fig.share_within_standard),
        f"{fig.seen_within_threshold} of {denominator}",
    )
    table.add_row("customers seen", str(fig.seen), "")
    table.add_row(
        "average wait (seen)",
        "—" if fig.average_wait_seconds is None else minutes(int(fig.average_wait_seconds)),
        f"{fig.seen} seen",
    )
    table.add_row("ended unseen over the threshold", str(fig.breached_unseen), "")
    table.add_row("walk-outs (left within threshold)", str(fig.walkouts), "")
    table.add_row(
        "first-contact resolution",
        _pct(fig.first_contact_resolution),
        f"{fig.queries_completed} queries (target {report.fcr_target * 100:g}%)",
    )
    table.add_row(
        "resolved in one visit",
        _pct(fig.resolved_in_one_visit),
        f"{fig.queries_completed} queries",
    )
    table.add_row(
        "avoidable contact",
        _pct(fig.avoidable_contact_share),
        f"{fig.queries_completed} queries",
    )
    rated = report.satisfaction
    table.add_row(
        "visitors satisfied (rated 4 or 5 of 5)",
        _pct(rated["satisfied_share"]),
        f"{rated['visits_rated']} visits rated",
    )
    average = rated["average_rating"]
    table.add_row("average rating", "—" if average is None else f"{average:.1f} of 5", "")
    console().print(table)
    per = Table(title="by service")
    for col in ("service", "standard", "seen", "within", "average wait", "FCR"):
        per.add_column(col)
    for code, f in report.by_service.items():
        avg = f["average_wait_seconds"]
        per.add_row(
            code,
            f"{f['target_share'] * 100:g}% in {f['threshold_minutes']:g} min",
            str(f["seen"]),
            _pct(f["share_within_standard"]),  # type: ignore[arg-type]
            "—" if avg is None else minutes(int(avg)),
            _pct(f["first_contact_resolution"]),
        )  # type: ignore[arg-type]
    console().print(per)


def cmd_import_events(args: argparse.Namespace) -> int:
    from frontdesk.services.interchange import import_events

    q = services(args).queue
    try:
        if args.file == "-":  # a pipe is read once: its rows are grouped through a spool
            summary = import_events(q, sys.stdin.buffer, "<stdin>", dry_run=args.dry_run)
        else:
            with open(args.file, "rb") as fh:
                summary = import_events(q, fh, source=args.file, dry_run=args.dry_run)
    except OSError as exc:
        raise FrontdeskError(f"{args.file}: cannot read: {exc.strerror or exc}") from None
    if not summary.dry_run:
        # The reports read the rollups: bring them up to date with what was just loaded
        # (an import's events are folded like any others; its old days are refolded).
        for centre, first, last in summary.days:
            services(args).reports.rebuild(centre, first, last)
        record(
            args,
            services(args),
            "import.events",
            f"{summary.visits} visits ({summary.events} events) from {args.file}",
        )

    def human() -> None:
        period = f"{summary.date_from} to {summary.date_to}" if summary.visits else "no dates"
        what = (
            f"{summary.visits} visits ({summary.events} events) at "
            f"{', '.join(summary.centres) or 'no centre'}, {period}"
        )
        if summary.dry_run:
            print(f"would import {what} from {args.file} (dry run: nothing was written)")
        else:
            print(f"imported {what} from {args.file}")

    emit(args, summary.as_json(), human)
    return 0


def cmd_export_events(args: argparse.Namespace) -> int:
    from frontdesk.cli_output import replaced_when_done
    from frontdesk.services.interchange import export_events
    from frontdesk.services.reports import parse_day

    q = services(args).queue
    day_from = parse_day(args.date_from, "--from") if args.date_from else None
    day_to = parse_day(args.date_to, "--to") if args.date_to else None
    centres = [q.centre(args.centre).code] if args.centre else None
    if args.output and args.output != "-":
        with replaced_when_done(args.output) as fh:
            rows = export_events(q, fh, centres, day_from, day_to)
        print(f"wrote {rows} events to {args.output}", file=sys.stderr)
    else:
        rows = export_events(q, sys.stdout, centres, day_from, day_to)
    where = f"{','.join(centres) if centres else 'all centres'} {day_from or '…'}–{day_to or '…'}"
    record(
        args, services(args), "export.events", f"{rows} events ({where}) to {args.output or '-'}"
    )
    return 0


# -- simulation -------------------------------------------------------------------------


def cmd_simulate(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from frontdesk.cli.common import open_store
    from frontdesk.clock import VirtualClock
    from frontdesk.services.reports import parse_day
    from frontdesk.services.simulate import claim_store, simulate_day
    from frontdesk.services.wiring import initialise, open_services

    day = parse_day(args.date, "--date") if args.date else None
    plan = None
    if getattr(args, "plan", None):
        from frontdesk.cli.staffing import read_plan

        plan = read_plan(args.plan)
        day = day or plan.pick(None, args.plan).day
        args.centre = args.centre or plan.centre
    args.centre = args.centre or "CIVIC"
    start = datetime.combine(day or datetime.now(UTC).date(), datetime.min.time(), tzinfo=UTC)
    clock = VirtualClock(start)
    tmp = None
    url = args.db
    if url is None:
        # A simulation never touches the real store unless asked to.
        tmp = tempfile.TemporaryDirectory(prefix="frontdesk-sim-")
        url = f"sqlite:///{Path(tmp.name) / 'simulation.db'}"
    svc = open_store(url, lambda u: open_services(u, clock))
    replay = hours = None
    try:
        # A store given with --db is checked (a live one is refused) and, if new, set up.
        needs_centres = args.db is None or claim_store(svc, args.db)
        if needs_centres or args.config:
            initialise(svc, Path(args.config) if args.config else sample.council())
        if plan is not None:
            from frontdesk.cli.staffing import plan_replay

            replay = plan_replay(svc, plan, args, day)
            day = replay.day
        with Progress(disable=args.json, transient=True) as bar:
            task = bar.add_task(f"simulating a day at {args.centre}", total=1.0)
            result = simulate_day(
                svc,
                clock,
                args.centre,
                day=day,
                desks=args.desks,
                visitors=args.visitors,
                seed=args.seed,
                progress=lambda f: bar.update(task, completed=f),
                rota=replay.rota if replay else None,
                expected=replay.expected if replay else None,
            )
        if replay is not None:
            hours = svc.staffing.hours_seen(result.centre, result.day)
    finally:
        svc.close()
        if tmp is not None:
            tmp.cleanup()
    payload = {
        **result.report.as_json(),
        "desks": result.desks,
        "visitors": result.visitors,
        "counts": result.counts,
    }
    if replay is not None and hours is not None:
        from frontdesk.cli.staffing import print_replay, replay_hours

        payload["hours"] = replay_hours(replay, hours)

    def human() -> None:
        print(
            f"Simulated {result.day.isoformat()} at {result.centre}: {result.visitors} "
            f"visitors, {result.desks} desks"
        )
        _print_report(result.report)
        if replay is not None and hours is not None:
            print_replay(replay, hours)

    emit(args, payload, human)
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """The living council on a terminal (or `--serve`); the day's report for scripts."""
    from frontdesk.cli.demo import run_demo

    browser = args.serve or args.in_browser
    if args.report or (not browser and not sys.stdout.isatty()):
        return cmd_simulate(args)
    return run_demo(args)


def register_report(report: Commands) -> None:
    """Add `report standard` under the `report` command."""
    from frontdesk.cli.report_commands import report_options

    p = report.add("standard", cmd_report_standard, "the waiting standard and FCR for a period")
    report_options(p)


def register(commands: Commands) -> None:
    """Add import, export, simulate and demo to the `frontdesk` parser."""
    imports = commands.group("import", "import data")
    p = imports.add("events", cmd_import_events, "load an event history CSV (all or nothing)")
    p.add_argument("file", help="the CSV file, or - for standard input")
    p.add_argument(
        "--dry-run", action="store_true", help="check the file and say what would be loaded"
    )
    exports = commands.group("export", "export data")
    p = exports.add("events", cmd_export_events, "write the event history CSV")
    p.add_argument("--centre")
    p.add_argument("--from", dest="date_from")
    p.add_argument("--to", dest="date_to")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")

    for name, help_text in (
        ("simulate", "simulate a day at a centre and report it"),
        ("demo", "a simulated day of the sample council (no set-up)"),
    ):
        p = commands.add(name, cmd_simulate if name == "simulate" else cmd_demo, help_text)
        p.add_argument("--centre", help="centre code (default: the plan's, else CIVIC)")
        p.add_argument("--date", help="local date to simulate (default: next open day)")
        p.add_argument("--desks", type=int, help="desks open (default: all)")
        p.add_argument("--visitors", type=int, help="walk-ins in the day (default: centre's)")
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--config", help="centres file (default: the sample council)")
        if name == "simulate":
            p.add_argument("--plan", help="replay a day of a staffing plan (JSON or TOML rota)")
        else:
            demo_options(p)
