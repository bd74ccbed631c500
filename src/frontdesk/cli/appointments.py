"""`frontdesk` subcommands for appointments: slots, book, reschedule, cancel-booking,
checkin, specialist status/absence, appointments (a day's list) and report appointments."""

from __future__ import annotations

import argparse
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from frontdesk.cli.common import Commands, emit, services
from frontdesk.errors import InvalidInput

if TYPE_CHECKING:
    from frontdesk.services.appointments import Booking


def _when(text: str, field: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{field} '{text}' is not a time like 2026-03-02T10:00+00:00") from None
    if value.tzinfo is None:
        raise InvalidInput(f"{field} '{text}' needs a UTC offset, e.g. 2026-03-02T10:00+00:00")
    if not 2000 <= value.year <= 2999 or not 2000 <= value.astimezone(UTC).year <= 2999:
        # Far-off years overflow local-time arithmetic (and mean a typing slip anyway).
        raise InvalidInput(f"{field} '{text}' is not a year between 2000 and 2999")
    return value


def _local(at: datetime, tz: str = "Europe/London") -> str:
    return at.astimezone(ZoneInfo(tz)).strftime("%a %d %b %Y %H:%M")


# -- booking ----------------------------------------------------------------------------


def cmd_slots(args: argparse.Namespace) -> int:
    ap = services(args).appointments
    offers = ap.slots(args.type, centre=args.centre, specialist=args.specialist, limit=args.limit)
    payload = {"type": args.type.upper(), "slots": [asdict(o) for o in offers]}
    by_phone = any(t.code == args.type.strip().upper() and t.by_phone for t in ap.types())

    def human() -> None:
        for o in offers:
            # Each line names its specialist: two free at the same time are told apart.
            where = "by phone" if by_phone else f"desk {o.desk}"
            room = f", room {o.room}" if o.room and not by_phone else ""
            print(
                f"{o.starts_at.isoformat()}  {_local(o.starts_at)}  {o.centre:<12} "
                f"{o.specialist_name} ({where}{room})"
            )
        if not offers:
            print("no free slots in the bookable period")

    emit(args, payload, human)
    return 0


def _show(args: argparse.Namespace, b: Booking, verb: str) -> None:
    emit(
        args,
        asdict(b),
        lambda: print(
            f"{verb} {b.reference}: {b.type_name} at {b.centre}, {_local(b.starts_at)} "
            f"with {b.specialist_name} (desk {b.desk}) — {b.status}"
        ),
    )


def cmd_book(args: argparse.Namespace) -> int:
    from frontdesk.services.appointments import SlotTaken

    try:
        b = services(args).appointments.book(
            args.type,
            args.centre,
            _when(args.at, "--at"),
            specialist=args.specialist,
            name=args.name,
            phone=args.phone,
            email=args.email,
            channel="cli",
        )
    except SlotTaken as taken:
        _offer_instead(args, taken)
        return 1
    _show(args, b, "booked")
    return 0


def _offer_instead(args: argparse.Namespace, taken: Any) -> None:
    """The slot is taken: the one-line error, then the free slots the service offered
    (JSON: `{"error": ..., "alternatives": [slot, ...]}` on stdout)."""
    print(f"frontdesk: error: {taken}", file=sys.stderr)
    offers = taken.alternatives
    payload = {"error": str(taken), "alternatives": [asdict(o) for o in offers]}

    def human() -> None:
        print("next free slots:" if offers else "no other free slots in the bookable period")
        for o in offers:
            print(f"  {o.starts_at.isoformat()}  {_local(o.starts_at)}  {o.specialist_name}")

    emit(args, payload, human)


def cmd_reschedule(args: argparse.Namespace) -> int:
    b = services(args).appointments.reschedule(
        args.reference, _when(args.at, "--at"), specialist=args.specialist
    )
    _show(args, b, "moved to")
    return 0


def cmd_cancel(args: argparse.Namespace) -> int:
    _show(args, services(args).appointments.cancel(args.reference), "cancelled")
    return 0


def cmd_checkin(args: argparse.Namespace) -> int:
    done = services(args).appointments.checkin(args.centre, args.reference)
    emit(
        args,
        {
            "ticket": done.ticket,
            "id": done.ticket_id,
            "arrival": done.arrival,
            "booking": asdict(done.booking),
        },
        lambda: print(
            f"checked in {done.booking.reference}: ticket {done.ticket}, "
            f"{done.booking.type_name} with {done.booking.specialist_name}"
        ),
    )
    return 0


def cmd_day(args: argparse.Namespace) -> int:
    from frontdesk.services.reports import parse_day

    s = services(args)
    when = parse_day(args.date, "--date") if args.date else s.clock.now().date()
    items = s.appointments.day(args.centre, when, args.specialist)

    def human() -> None:
        for b in items:
            print(
                f"{_local(b.starts_at)}  {b.reference}  {b.type_name:<35} "
                f"{b.specialist_name:<18} {b.status}"
                + (f"  ticket {b.ticket}" if b.ticket else "")
                + (f"  ⚠ {b.flagged}" if b.flagged else "")
            )
        if not items:
            print("no appointments")

    payload = {
        "centre": args.centre.upper(),
        "date": when.isoformat(),
        "appointments": [asdict(b) for b in items],
    }
    emit(args, payload, human)
    return 0


# -- specialists ------------------------------------------------------------------------


def cmd_specialist_status(args: argparse.Namespace) -> int:
    change = services(args).appointments.set_status(args.code, args.state == "in", args.reason)
    payload = {
        "specialist": change.specialist,
        "in_office": change.in_office,
        "reason": change.reason,
        "affected": [asdict(b) for b in change.affected],
        "alternatives": {k: [asdict(o) for o in v] for k, v in change.alternatives.items()},
    }

    def human() -> None:
        print(f"{change.specialist} is {'in' if change.in_office else 'out of'} office")
        for b in change.affected:
            print(
                f"  checked-in customer {b.reference} (ticket {b.ticket}) flagged; "
                f"{len(change.alternatives.get(b.reference, ()))} alternatives offered"
            )

    emit(args, payload, human)
    return 0


def cmd_specialist_absence(args: argparse.Namespace) -> int:
    affected = services(args).appointments.add_absence(
        args.code, _when(args.start, "--from"), _when(args.end, "--to"), args.reason
    )
    emit(
        args,
        {"specialist": args.code.upper(), "to_rebook": [asdict(b) for b in affected]},
        lambda: print(
            f"absence recorded; {len(affected)} booking(s) to rebook: "
            + ", ".join(b.reference for b in affected)
        ),
    )
    return 0


# -- report -----------------------------------------------------------------------------


def cmd_report(args: argparse.Namespace) -> int:
    from frontdesk.services.appointments.reports import appointments_report
    from frontdesk.services.reports import parse_day

    data = appointments_report(
        services(args).appointments,
        parse_day(args.date_from, "--from"),
        parse_day(args.date_to, "--to"),
        args.centre,
    )

    def human() -> None:
        p = data["punctuality"]
        print(
            f"Appointments {data['from']} to {data['to']}"
            f"{' at ' + data['centre'] if data['centre'] else ''}: {data['bookings']} "
            f"bookings, {data['attended']} attended"
        )
        rate = data["no_show_rate"]
        print(f"  no-show rate: {'—' if rate is None else f'{rate * 100:.1f}%'}")
        avg = p["average_wait_seconds"]
        print(
            f"  punctuality: {p['called']} called, average "
            f"{'—' if avg is None else f'{avg / 60:.1f} min'} after the later of "
            "check-in and booked time"
        )
        for u in data["utilisation"].values():
            print(
                f"  {u['name']:<20} {u['utilisation'] * 100:5.1f}% of "
                f"{u['available_minutes']:.0f} min booked"
            )

    from frontdesk.cli.report_output import emit_report
    from frontdesk.services.reports.appointments import as_table
    from frontdesk.services.reports.common import select_centres

    queue = services(args).queue
    chosen = select_centres(queue, args.centre or "ALL")
    emit_report(args, as_table(data, chosen), data, human)
    return 0


def register(commands: Commands) -> None:
    """Add the appointments subcommands to the `frontdesk` parser."""
    p = commands.add("slots", cmd_slots, "the next free slots for an appointment type")
    p.add_argument("--type", required=True, help="appointment type code")
    p.add_argument("--centre", help="one centre (default: every centre offering it)")
    p.add_argument("--specialist", help="one specialist's code")
    p.add_argument("--limit", type=int, default=10)

    p = commands.add("book", cmd_book, "book an appointment slot")
    p.add_argument("--type", required=True)
    p.add_argument("--centre", required=True)
    p.add_argument("--at", required=True, help="start time with offset (from `slots`)")
    p.add_argument("--specialist")
    p.add_argument("--name", help="for reminders (kept until the retention period ends)")
    p.add_argument("--phone")
    p.add_argument("--email")

    p = commands.add("reschedule", cmd_reschedule, "move a booking to another free slot")
    p.add_argument("reference")
    p.add_argument("--at", required=True)
    p.add_argument("--specialist")

    p = commands.add("cancel-booking", cmd_cancel, "cancel a booking")
    p.add_argument("reference")

    p = commands.add("checkin", cmd_checkin, "check a visitor in by reference or QR token")
    p.add_argument("--centre", required=True)
    p.add_argument("reference", help="booking reference (ABC-DEF) or scanned QR token")

    p = commands.add("appointments", cmd_day, "a centre's appointments on a day")
    p.add_argument("--centre", required=True)
    p.add_argument("--date")
    p.add_argument("--specialist")

    specialist = commands.group("specialist", "specialists' status and absences")
    p = specialist.add("status", cmd_specialist_status, "set a specialist in or out of office")
    p.add_argument("code")
    p.add_argument("state", choices=("in", "out"))
    p.add_argument("--reason")

    p = specialist.add(
        "absence", cmd_specialist_absence, "record an absence; lists the bookings to rebook"
    )
    p.add_argument("code")
    p.add_argument("--from", dest="start", required=True)
    p.add_argument("--to", dest="end", required=True)
    p.add_argument("--reason")


def register_report(report: Commands) -> None:
    """Add `report appointments` under the `report` command."""
    from frontdesk.cli.report_commands import report_options

    p = report.add("appointments", cmd_report, "appointment punctuality, utilisation, no-shows")
    report_options(p, centre_required=False)
