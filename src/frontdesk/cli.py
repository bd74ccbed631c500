"""The `frontdesk` command: administration, scripting (stable `--json`) and simulation.

Every subcommand exits 0 on success and non-zero with a one-line error on bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import asdict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from frontdesk import __version__, cli_appointments, cli_apps
from frontdesk.errors import FrontdeskError
from frontdesk.services.results import Query

Handler = Callable[[argparse.Namespace], int]
EXAMPLE_CONFIG = Path(__file__).resolve().parents[2] / "examples" / "council.toml"


def _services(args: argparse.Namespace) -> Any:
    """The process's services (one engine per process), opened on first use."""
    from frontdesk.services.wiring import open_services

    if getattr(args, "_opened", None) is None:
        args._opened = open_services(args.db)
    return args._opened


def _emit(args: argparse.Namespace, payload: dict[str, Any], human: Callable[[], None]) -> None:
    if args.json:
        print(json.dumps(payload, default=_json_default, ensure_ascii=False))
    else:
        human()


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime | date):
        return value.isoformat()
    raise TypeError(f"cannot encode {type(value).__name__}")


def _console() -> Any:
    from rich.console import Console

    return Console()


# -- administration ---------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from frontdesk.services.wiring import initialise

    services = _services(args)
    counts = initialise(services, Path(args.config) if args.config else None)
    _emit(
        args,
        {"migrated": True, **counts},
        lambda: print(
            "store migrated"
            + (
                f"; loaded {counts['centres']} centres, {counts['services']} services, "
                f"{counts['desks']} desks, {counts['topics']} topics"
                if counts
                else ""
            )
        ),
    )
    return 0


# -- tickets ----------------------------------------------------------------------------


def cmd_ticket_issue(args: argparse.Namespace) -> int:
    from frontdesk.services.notifications import contact_channel

    if args.notify:
        contact_channel(args.notify)  # refuse a bad contact before issuing anything
    q = _services(args).queue
    needs = [n for n in (args.needs or "").split(",") if n.strip()]
    t = q.issue(
        args.centre,
        args.service,
        priority=args.priority,
        needs=needs,
        note=args.note,
        topic=args.topic,
        channel="cli",
        staff=args.staff,
    )
    if args.notify:
        _services(args).notifications.subscribe(t.id, args.notify)
    payload = {
        "id": t.id,
        "ticket": t.ticket,
        "centre": t.centre,
        "service": t.service,
        "issued_at": t.issued_at,
        "estimated_wait_seconds": t.estimated_wait_seconds,
    }
    _emit(
        args,
        payload,
        lambda: print(
            f"ticket {t.ticket} ({t.service}) issued at {t.centre}; "
            f"estimated wait {_minutes(t.estimated_wait_seconds)}"
        ),
    )
    return 0


def _closing(action: str) -> Handler:
    def run(args: argparse.Namespace) -> int:
        q = _services(args).queue
        if action == "cancel":
            closed = q.cancel(args.centre, args.ticket, reason=args.reason, staff=args.staff)
        elif action == "left":
            closed = q.left(args.centre, args.ticket, staff=args.staff)
        else:
            closed = q.return_to_queue(args.centre, args.ticket, staff=args.staff)
        _emit(args, asdict(closed), lambda: print(f"ticket {closed.ticket} is now {closed.status}"))
        return 0

    return run


def cmd_estimate(args: argparse.Namespace) -> int:
    e = _services(args).queue.estimate(args.centre, args.service)
    _emit(
        args,
        asdict(e),
        lambda: print(
            f"{e.service} at {e.centre}: {e.ahead} waiting, estimated wait "
            f"{_minutes(e.estimated_wait_seconds)}"
            + (" — over the standard" if e.over_standard else "")
        ),
    )
    return 0


# -- desks ------------------------------------------------------------------------------


def _at_desk_line(t: Any) -> str:
    extra = []
    if t.priority:
        extra.append(f"priority {t.priority}")
    if t.needs:
        extra.append("needs " + ", ".join(t.needs))
    tail = f" ({'; '.join(extra)})" if extra else ""
    return f"ticket {t.ticket} ({t.service}) {t.status} at desk {t.desk}{tail}"


def cmd_call_next(args: argparse.Namespace) -> int:
    t = _services(args).queue.call_next(args.centre, args.desk, staff=args.staff)
    if t is None:
        _emit(args, {"ticket": None}, lambda: print(f"nobody is waiting for desk {args.desk}"))
        return 0
    payload = {
        "id": t.id,
        "ticket": t.ticket,
        "service": t.service,
        "waited_seconds": t.waited_seconds,
    }
    _emit(args, payload, lambda: print(_at_desk_line(t) + f"; waited {_minutes(t.waited_seconds)}"))
    return 0


def cmd_call(args: argparse.Namespace) -> int:
    t = _services(args).queue.call_ticket(args.centre, args.desk, args.ticket, staff=args.staff)
    payload = {
        "id": t.id,
        "ticket": t.ticket,
        "service": t.service,
        "waited_seconds": t.waited_seconds,
    }
    _emit(args, payload, lambda: print(_at_desk_line(t)))
    return 0


def _desk_step(action: str) -> Handler:
    def run(args: argparse.Namespace) -> int:
        q = _services(args).queue
        if action == "no-show":
            closed = q.no_show(args.centre, args.desk, staff=args.staff)
            _emit(
                args,
                {**asdict(closed), "desk": args.desk},
                lambda: print(f"ticket {closed.ticket} marked a no-show"),
            )
            return 0
        fn = q.start if action == "start" else q.recall
        t = fn(args.centre, args.desk, staff=args.staff)
        _emit(
            args, {"id": t.id, "ticket": t.ticket, "desk": t.desk}, lambda: print(_at_desk_line(t))
        )
        return 0

    return run


def _queries(args: argparse.Namespace) -> list[Query]:
    return [
        Query(
            resolved=args.resolved,
            topic=args.topic,
            handoff=args.handoff,
            avoidable=args.avoidable,
            feedback=args.feedback,
            feedback_text=args.feedback_text,
        )
    ]


def cmd_complete(args: argparse.Namespace) -> int:
    done = _services(args).queue.complete(args.centre, args.desk, _queries(args), staff=args.staff)
    _emit(
        args,
        asdict(done),
        lambda: print(
            f"ticket {done.ticket} completed at desk {done.desk} "
            f"({done.queries_completed} query recorded)"
        ),
    )
    return 0


def cmd_transfer(args: argparse.Namespace) -> int:
    moved = _services(args).queue.transfer(
        args.centre,
        args.desk,
        service=args.service,
        to_desk=args.to_desk,
        note=args.note,
        staff=args.staff,
    )
    _emit(
        args,
        asdict(moved),
        lambda: print(
            f"ticket {moved.ticket} transferred to {moved.to_service}"
            + (f" (desk {moved.to_desk})" if moved.to_desk else "")
        ),
    )
    return 0


def cmd_queue(args: argparse.Namespace) -> int:
    snap = _services(args).queue.snapshot(args.centre)
    payload = {
        "centre": snap.centre,
        "waiting": [
            {
                "id": w.id,
                "ticket": w.ticket,
                "service": w.service,
                "waiting_seconds": w.waiting_seconds,
            }
            for w in snap.waiting
        ],
        "serving": [
            {"id": s.id, "ticket": s.ticket, "desk": s.desk, "service": s.service}
            for s in snap.serving
        ],
    }

    def human() -> None:
        from rich.table import Table

        table = Table(title=f"{snap.centre}: {len(snap.waiting)} waiting")
        for col in ("ticket", "service", "waiting", "notes"):
            table.add_column(col)
        for w in snap.waiting:
            notes = ", ".join(
                filter(None, [w.priority, *w.needs, "transferred" if w.transferred else ""])
            )
            table.add_row(w.ticket, w.service, _minutes(w.waiting_seconds), notes)
        at_desks = Table(title="at desks")
        for col in ("desk", "ticket", "service", "status"):
            at_desks.add_column(col)
        for s in snap.serving:
            at_desks.add_row(s.desk, s.ticket, s.service, s.status)
        console = _console()
        console.print(table)
        console.print(at_desks)

    _emit(args, payload, human)
    return 0


# -- reports and interchange ------------------------------------------------------------


def cmd_report_standard(args: argparse.Namespace) -> int:
    from frontdesk.services.reports import parse_day

    report = _services(args).reports.standard(
        args.centre, parse_day(args.date_from, "--from"), parse_day(args.date_to, "--to")
    )
    _emit(args, report.as_json(), lambda: _print_report(report))
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
    verdict = {True: "MET", False: "NOT MET", None: "no customers seen"}[report.met]
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
    denominator = report.seen + report.breached_unseen
    table.add_row(
        "seen within standard",
        _pct(report.share_within_standard),
        f"{report.seen_within_threshold} of {denominator}",
    )
    table.add_row("customers seen", str(report.seen), "")
    table.add_row(
        "average wait (seen)",
        "—" if report.average_wait_seconds is None else _minutes(int(report.average_wait_seconds)),
        f"{report.seen} seen",
    )
    table.add_row("ended unseen over the threshold", str(report.breached_unseen), "")
    table.add_row("walk-outs (left within threshold)", str(report.walkouts), "")
    table.add_row(
        "first-contact resolution",
        _pct(report.first_contact_resolution),
        f"{report.queries_completed} queries (target {report.fcr_target * 100:g}%)",
    )
    table.add_row(
        "resolved in one visit",
        _pct(report.resolved_in_one_visit),
        f"{report.queries_completed} queries",
    )
    table.add_row(
        "avoidable contact",
        _pct(report.avoidable_contact_share),
        f"{report.queries_completed} queries",
    )
    _console().print(table)
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
            "—" if avg is None else _minutes(int(avg)),
            _pct(f["first_contact_resolution"]),
        )  # type: ignore[arg-type]
    _console().print(per)


def cmd_import_events(args: argparse.Namespace) -> int:
    from frontdesk.services.interchange import import_events

    q = _services(args).queue
    try:
        with open(args.file, encoding="utf-8-sig", newline="") as fh:
            visits = import_events(q, fh, source=args.file)
    except OSError as exc:
        raise FrontdeskError(f"{args.file}: cannot read: {exc.strerror or exc}") from None
    _emit(args, {"visits": visits}, lambda: print(f"imported {visits} visits from {args.file}"))
    return 0


def cmd_export_events(args: argparse.Namespace) -> int:
    from frontdesk.services.interchange import export_events
    from frontdesk.services.reports import parse_day

    q = _services(args).queue
    day_from = parse_day(args.date_from, "--from") if args.date_from else None
    day_to = parse_day(args.date_to, "--to") if args.date_to else None
    centres = [args.centre] if args.centre else None
    if args.output and args.output != "-":
        with open(args.output, "w", encoding="utf-8", newline="") as fh:
            rows = export_events(q, fh, centres, day_from, day_to)
        print(f"wrote {rows} events to {args.output}", file=sys.stderr)
    else:
        export_events(q, sys.stdout, centres, day_from, day_to)
    return 0


def cmd_staff_add(args: argparse.Namespace) -> int:
    pin = args.pin
    if pin is None:
        # Keep PINs out of shell history: read them from the terminal or standard input.
        if sys.stdin.isatty():
            import getpass

            pin = getpass.getpass("PIN (4-8 digits): ")
        else:
            pin = sys.stdin.readline().strip()
    member = _services(args).staff.add(
        args.code, args.name, args.role, pin, specialist=args.specialist, by=args.staff
    )
    _emit(
        args,
        {"code": member.code, "name": member.name, "role": member.role},
        lambda: print(f"{member.code} ({member.name}) can log in as {member.role}"),
    )
    return 0


def cmd_notify(args: argparse.Namespace) -> int:
    import time

    services = _services(args)
    notes = services.notifications
    if args.notify_command == "remind":
        queued = notes.remind(args.hours)
        _emit(args, {"reminders_queued": queued}, lambda: print(f"{queued} reminders queued"))
        return 0
    if args.notify_command == "status":
        dead = services.devices.outbox.dead_letters()
        due = services.devices.outbox.due(services.clock.now())
        payload = {
            "due": len(due),
            "dead_letters": [
                {
                    "key": d.key,
                    "channel": d.message.channel,
                    "attempts": d.attempts,
                    "error": d.last_error,
                }
                for d in dead
            ],
        }
        _emit(
            args,
            payload,
            lambda: print(
                f"{len(due)} messages due; {len(dead)} dead letters"
                + "".join(f"\n  {d.key}: {d.last_error}" for d in dead)
            ),
        )
        return 0
    while True:
        _deliver_once(args, notes)
        if not args.loop:
            return 0
        time.sleep(args.loop)


def _deliver_once(args: argparse.Namespace, notes: Any) -> None:
    report = notes.deliver()
    payload = {
        "sent": list(report.sent),
        "retrying": list(report.retrying),
        "dead": list(report.dead),
    }
    _emit(
        args,
        payload,
        lambda: print(
            f"sent {len(report.sent)}, retrying {len(report.retrying)}, dead {len(report.dead)}"
        ),
    )


def cmd_housekeeping(args: argparse.Namespace) -> int:
    """The background chores of a running site, once or every --loop seconds."""
    import time

    services = _services(args)
    while True:
        missed = services.appointments.sweep()
        reminders = services.notifications.remind()
        report = services.notifications.deliver()
        purged = services.notifications.purge() + services.appointments.purge_contacts()
        payload = {
            "no_shows_marked": missed,
            "reminders_queued": reminders,
            "sent": len(report.sent),
            "retrying": len(report.retrying),
            "dead": len(report.dead),
            "contacts_purged": purged,
        }
        _emit_counts(args, payload)
        if not args.loop:
            return 0
        time.sleep(args.loop)


def _emit_counts(args: argparse.Namespace, payload: dict[str, int]) -> None:
    _emit(
        args,
        payload,
        lambda: print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in payload.items())),
    )


def cmd_purge_contacts(args: argparse.Namespace) -> int:
    services = _services(args)
    services.notifications.purge()
    cleared = services.appointments.purge_contacts()
    _emit(
        args, {"cleared": cleared}, lambda: print(f"cleared contact details of {cleared} bookings")
    )
    return 0


# -- simulation -------------------------------------------------------------------------


def cmd_simulate(args: argparse.Namespace) -> int:
    from rich.progress import Progress

    from frontdesk.clock import VirtualClock
    from frontdesk.services.reports import parse_day
    from frontdesk.services.simulate import simulate_day
    from frontdesk.services.wiring import initialise, open_services

    day = parse_day(args.date, "--date") if args.date else None
    start = datetime.combine(day or datetime.now(UTC).date(), datetime.min.time(), tzinfo=UTC)
    clock = VirtualClock(start)
    tmp = None
    url = args.db
    if url is None:
        # A simulation never touches the real store unless asked to.
        tmp = tempfile.TemporaryDirectory(prefix="frontdesk-sim-")
        url = f"sqlite:///{Path(tmp.name) / 'simulation.db'}"
    services = open_services(url, clock)
    config = Path(args.config) if args.config else EXAMPLE_CONFIG
    if args.db is None or args.config:
        initialise(services, config)
    try:
        with Progress(disable=args.json, transient=True) as bar:
            task = bar.add_task(f"simulating a day at {args.centre}", total=1.0)
            result = simulate_day(
                services,
                clock,
                args.centre,
                day=day,
                desks=args.desks,
                visitors=args.visitors,
                seed=args.seed,
                progress=lambda f: bar.update(task, completed=f),
            )
    finally:
        services.close()
        if tmp is not None:
            tmp.cleanup()
    payload = {
        **result.report.as_json(),
        "desks": result.desks,
        "visitors": result.visitors,
        "counts": result.counts,
    }

    def human() -> None:
        print(
            f"Simulated {result.day.isoformat()} at {result.centre}: {result.visitors} "
            f"visitors, {result.desks} desks"
        )
        _print_report(result.report)

    _emit(args, payload, human)
    return 0


def _minutes(seconds: int) -> str:
    m, s = divmod(max(0, int(seconds)), 60)
    return f"{m} min {s:02d} s" if m < 60 else f"{m // 60} h {m % 60:02d} min"


# -- the parser -------------------------------------------------------------------------


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> Any:  # one line, non-zero (argparse's own is 2 lines)
        self.exit(2, f"frontdesk: error: {message} (see {self.prog} --help)\n")


def build_parser() -> argparse.ArgumentParser:
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        help="SQLAlchemy URL of the store (default: FRONTDESK_DB or "
        "an SQLite file in the user data directory)",
    )
    common.add_argument("--json", action="store_true", help="print one JSON object")
    common.add_argument("--staff", help="the staff code acting (for the audit log)")

    parser = _Parser(prog="frontdesk", description="Front-desk queue and appointments.")
    parser.add_argument("--version", action="version", version=f"frontdesk {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    def add(name: str, handler: Handler, help: str, parent: Any = sub) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = parent.add_parser(
            name, parents=[common], help=help, description=help
        )
        p.set_defaults(handler=handler)
        return p

    def centre(p: argparse.ArgumentParser) -> None:
        p.add_argument("--centre", required=True, help="centre code, e.g. CIVIC")

    def desk(p: argparse.ArgumentParser) -> None:
        centre(p)
        p.add_argument("--desk", required=True, help="desk name at the centre")

    p = add("init", cmd_init, "migrate the store and load a centres file")
    p.add_argument("--config", help="centres file (TOML)")

    ticket = sub.add_parser("ticket", help="issue or close tickets")
    tsub = ticket.add_subparsers(dest="ticket_command", required=True, parser_class=_Parser)
    p = add("issue", cmd_ticket_issue, "issue a ticket", tsub)
    centre(p)
    p.add_argument("--service", required=True, help="service code, e.g. CTAX")
    p.add_argument("--priority", help="a configured priority reason code")
    p.add_argument(
        "--needs",
        help="comma-separated: private-room, interpreter[:language], bsl, hearing-loop, step-free",
    )
    p.add_argument("--topic", help="topic code")
    p.add_argument("--note", help="a note for the desk")
    p.add_argument("--notify", help="a mobile number or e-mail for 'your turn is near'")
    for name, help_text in (
        ("cancel", "cancel a ticket"),
        ("left", "record that a visitor left unseen"),
        ("return", "put a no-show back in the queue (grace period)"),
    ):
        p = add(name, _closing(name), help_text, tsub)
        centre(p)
        p.add_argument("ticket", help="today's ticket number (C042) or ticket id")
        if name == "cancel":
            p.add_argument("--reason", help="why (kept in the audit log)")

    p = add("estimate", cmd_estimate, "the estimated wait for a service now")
    centre(p)
    p.add_argument("--service", required=True)

    p = add("call-next", cmd_call_next, "call the next customer for a desk")
    desk(p)
    p = add("call", cmd_call, "call a particular ticket (queue combing)")
    desk(p)
    p.add_argument("ticket", help="today's ticket number (C042) or ticket id")
    for name, help_text in (
        ("recall", "announce the desk's called customer again"),
        ("start", "the called customer has arrived"),
        ("no-show", "the called customer did not come"),
    ):
        p = add(name, _desk_step(name), help_text)
        desk(p)

    p = add("complete", cmd_complete, "record the query's outcome and finish")
    desk(p)
    outcome = p.add_mutually_exclusive_group(required=True)
    outcome.add_argument(
        "--resolved",
        dest="resolved",
        action="store_true",
        help="settled at this contact, no hand-off",
    )
    outcome.add_argument(
        "--not-resolved",
        dest="resolved",
        action="store_false",
        help="not settled: handed off or follow-up needed",
    )
    p.add_argument("--topic", help="topic code of the query")
    p.add_argument("--handoff", help="who takes it on when not resolved")
    p.add_argument("--avoidable", help="chasing, council-error, could-self-serve, wrong-place")
    p.add_argument("--feedback", help="complaint, compliment or comment")
    p.add_argument("--feedback-text", help="the customer's words")

    p = add("transfer", cmd_transfer, "transfer the desk's customer to a service or desk")
    desk(p)
    p.add_argument("--service", help="service code to move to")
    p.add_argument("--to-desk", help="a named desk (specialist)")
    p.add_argument("--note", help="a note that travels with the visit")

    p = add("queue", cmd_queue, "who is waiting and who is at the desks")
    centre(p)

    report = sub.add_parser("report", help="reports")
    rsub = report.add_subparsers(dest="report_command", required=True, parser_class=_Parser)
    p = add("standard", cmd_report_standard, "the waiting standard and FCR for a period", rsub)
    centre(p)
    p.add_argument("--from", dest="date_from", required=True, help="first local date")
    p.add_argument("--to", dest="date_to", required=True, help="last local date (inclusive)")
    cli_appointments.register_report(rsub, add, _emit, _services)
    cli_appointments.register(sub, add, _emit, _services)

    cli_apps.register(sub, add)

    staff = sub.add_parser("staff", help="staff who log in at desks and dashboards")
    stsub = staff.add_subparsers(dest="staff_command", required=True, parser_class=_Parser)
    p = add("add", cmd_staff_add, "add or update a member of staff and their PIN", stsub)
    p.add_argument("code", help="staff code used to log in")
    p.add_argument("--name", required=True)
    p.add_argument("--role", default="adviser", help="adviser, specialist, supervisor or admin")
    p.add_argument("--specialist", help="their specialist code, for specialists")
    p.add_argument("--pin", help="4-8 digits (default: read from the terminal or stdin)")

    notify = sub.add_parser("notify", help="send queued e-mail and SMS messages")
    nsub = notify.add_subparsers(dest="notify_command", required=True, parser_class=_Parser)
    p = add("deliver", cmd_notify, "send what is due from the outbox (SMTP/SMS settings)", nsub)
    p.add_argument("--loop", type=float, help="keep delivering every N seconds")
    p = add("remind", cmd_notify, "queue reminders for appointments coming up", nsub)
    p.add_argument("--hours", type=float, default=24)
    add("status", cmd_notify, "messages due and dead letters", nsub)

    p = add(
        "housekeeping",
        cmd_housekeeping,
        "mark missed appointments, queue reminders, send the outbox, purge old contacts",
    )
    p.add_argument("--loop", type=float, help="keep going every N seconds (a site's daemon)")

    purge = sub.add_parser("purge", help="forget personal data past its retention period")
    psub = purge.add_subparsers(dest="purge_command", required=True, parser_class=_Parser)
    add("contacts", cmd_purge_contacts, "clear booking contact details past retention", psub)

    imp = sub.add_parser("import", help="import data")
    isub = imp.add_subparsers(dest="import_command", required=True, parser_class=_Parser)
    p = add("events", cmd_import_events, "load an event history CSV (all or nothing)", isub)
    p.add_argument("file")
    exp = sub.add_parser("export", help="export data")
    esub = exp.add_subparsers(dest="export_command", required=True, parser_class=_Parser)
    p = add("events", cmd_export_events, "write the event history CSV", esub)
    p.add_argument("--centre")
    p.add_argument("--from", dest="date_from")
    p.add_argument("--to", dest="date_to")
    p.add_argument("--output", "-o", help="file to write (default: standard output)")

    for name, help_text in (
        ("simulate", "simulate a day at a centre and report it"),
        ("demo", "a simulated day of the sample council (no set-up)"),
    ):
        p = add(name, cmd_simulate, help_text)
        p.add_argument("--centre", default="CIVIC")
        p.add_argument("--date", help="local date to simulate (default: next open day)")
        p.add_argument("--desks", type=int, help="desks open (default: all)")
        p.add_argument("--visitors", type=int, help="walk-ins in the day (default: centre's)")
        p.add_argument("--seed", type=int, default=1)
        p.add_argument("--config", help="centres file (default: the sample council)")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status = int(args.handler(args))
        opened = getattr(args, "_opened", None)
        if opened is not None:
            opened.queue.after_call.drain()  # queued notifications, before the process ends
        return status
    except FrontdeskError as exc:
        print(f"frontdesk: error: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
