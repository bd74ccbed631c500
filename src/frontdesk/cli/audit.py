"""`frontdesk audit`: the audit log for a period — who did what, when and through what
(text, `--json` or `--csv`). Here `--staff` picks whose entries to show (any code the
store has known, removed members included), rather than naming who is acting."""

from __future__ import annotations

import argparse
import csv
import sys
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from frontdesk.cli.common import Commands, emit, services
from frontdesk.errors import InvalidInput


def _instant(text: str, field: str, tz: ZoneInfo, *, end: bool) -> datetime:
    """A local date (the whole day: from its start, or to the next day's start) or a
    date-time with its offset."""
    from frontdesk.services.reports import parse_day

    text = text.strip()
    if len(text) == 10:
        day = parse_day(text, field) + timedelta(days=1 if end else 0)
        return datetime.combine(day, time(0), tzinfo=tz).astimezone(UTC)
    try:
        when = datetime.fromisoformat(text)
    except ValueError:
        raise InvalidInput(
            f"{field} '{text}' is not a date like 2026-03-02 or a time like 2026-03-02T09:00+00:00"
        ) from None
    if when.tzinfo is None:
        raise InvalidInput(f"{field} '{text}' needs its offset, e.g. 2026-03-02T09:00+00:00")
    if not 2000 <= when.year <= 2999:
        raise InvalidInput(f"{field} '{text}' is not a year between 2000 and 2999")
    return when.astimezone(UTC)


def cmd_audit(args: argparse.Namespace) -> int:
    if args.json and args.csv:
        raise InvalidInput("--csv and --json: choose one")
    svc = services(args)
    centres = list(svc.queue.catalogue().centres.values())
    tz = ZoneInfo(centres[0].timezone) if centres else ZoneInfo("UTC")
    start = _instant(args.date_from, "--from", tz, end=False)
    end = _instant(args.date_to, "--to", tz, end=True)
    if end <= start:
        raise InvalidInput(f"--to '{args.date_to}' is before --from '{args.date_from}'")
    entries = svc.staff.audit_trail(start, end, args.staff)
    if args.csv:
        out = csv.writer(sys.stdout, lineterminator="\n")
        out.writerow(["at", "staff", "action", "detail", "via"])
        for e in entries:
            out.writerow([e.at.isoformat(), e.staff or "", e.action, e.detail, e.via])
        return 0
    rows = [
        {"at": e.at, "staff": e.staff, "action": e.action, "detail": e.detail, "via": e.via}
        for e in entries
    ]

    def human() -> None:
        from frontdesk.cli.safety import escaped

        if not entries:
            print("nothing in the audit log for that period")
        for e in entries:
            local = e.at.astimezone(tz)
            who = e.staff or "-"
            print(
                escaped(f"{local:%Y-%m-%d %H:%M:%S}  {who:<12} {e.action:<18} {e.detail}")
                + (f"  ({escaped(e.via)})" if e.via else "")
            )

    emit(args, {"from": start, "to": end, "entries": rows}, human)
    return 0


def register(commands: Commands) -> None:
    p = commands.add("audit", cmd_audit, "who did what and when (the audit log)")
    p.add_argument("--from", dest="date_from", required=True, help="first local date (or time)")
    p.add_argument("--to", dest="date_to", required=True, help="last local date (or time)")
    p.add_argument("--csv", action="store_true", help="print CSV rows")
    # --staff (a common option) picks whose entries to show: it is not checked as the
    # member acting, so entries of disabled and removed members can be read too.
    p.set_defaults(staff_is_a_filter=True)
