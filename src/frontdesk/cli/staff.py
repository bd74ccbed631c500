"""`frontdesk staff`: the members of staff who log in at desks and dashboards — add,
list, disable, enable, reset a PIN, remove. Every change is written to the audit log
with the `--staff` who made it.

Removal keeps history: the member's name and PIN hash are erased and they can never log
in again, but their code stays, marked removed, so the event and audit logs still say
who did what (a council must be able to answer for past decisions), and the code is
never given to someone else.
"""

from __future__ import annotations

import argparse
import os
import sys

from frontdesk.cli.common import Commands, emit, services
from frontdesk.errors import InvalidInput

NEW_PIN_ENV = "FRONTDESK_NEW_PIN"


def _new_pin(args: argparse.Namespace) -> str:
    """The PIN being set: --pin (add only, kept for scripts that have it), else
    FRONTDESK_NEW_PIN, the terminal, or the first line of standard input."""
    pin = getattr(args, "pin", None)
    if pin is None:
        pin = os.environ.get(NEW_PIN_ENV)
    if pin is None:
        # Keep PINs out of shell history: read them from the terminal or standard input.
        if sys.stdin.isatty():
            import getpass

            pin = getpass.getpass("new PIN (4-8 digits): ")
        else:
            pin = sys.stdin.readline().strip()
    if not pin:
        where = f"--pin or {NEW_PIN_ENV}" if hasattr(args, "pin") else NEW_PIN_ENV
        raise InvalidInput(f"{where}: no PIN given (set it, pipe it in, or type it when asked)")
    return pin


def cmd_staff_add(args: argparse.Namespace) -> int:
    member = services(args).staff.add(
        args.code, args.name, args.role, _new_pin(args), specialist=args.specialist, by=args.staff
    )
    emit(
        args,
        {"code": member.code, "name": member.name, "role": member.role},
        lambda: print(f"{member.code} ({member.name}) can log in as {member.role}"),
    )
    return 0


def cmd_staff_list(args: argparse.Namespace) -> int:
    svc = services(args)
    members = svc.staff.members()
    svc.staff.audit(args.staff, "staff.list", f"{len(members)} members")
    rows = [
        {
            "code": m.code,
            "name": m.name,
            "role": m.role,
            "specialist": m.specialist,
            "status": m.status,
            "locked_until": m.locked_until,
            "removed_at": m.removed_at,
        }
        for m in members
    ]

    def human() -> None:
        if not rows:
            print("nobody yet: add someone with `frontdesk staff add`")
        for m in members:
            locked = f", locked until {m.locked_until:%H:%M}" if m.locked_until else ""
            print(f"{m.code:<16} {m.name:<28} {m.role:<10} {m.status}{locked}")

    emit(args, {"staff": rows}, human)
    return 0


def cmd_staff_change(args: argparse.Namespace) -> int:
    staff = services(args).staff
    what = args.staff_command
    code = args.code.strip().upper()
    if what == "disable":
        desks = staff.disable(code, by=args.staff)
        said = f"{code} can no longer log in" + (f"; logged out of {desks} desks" if desks else "")
    elif what == "enable":
        staff.enable(code, by=args.staff)
        said = f"{code} can log in again"
    elif what == "reset-pin":
        staff.reset_pin(code, _new_pin(args), by=args.staff)
        said = f"{code} has a new PIN"
    else:
        staff.remove(code, by=args.staff)
        said = f"{code} removed: name and PIN erased, code kept for the history"
    emit(args, {"code": code, "action": what}, lambda: print(said))
    return 0


def register(commands: Commands) -> None:
    """Add `staff add|list|disable|enable|reset-pin|remove` to the parser."""
    staff = commands.group("staff", "staff who log in at desks and dashboards")
    p = staff.add("add", cmd_staff_add, "add or update a member of staff and their PIN")
    p.add_argument("code", help="staff code used to log in")
    p.add_argument("--name", required=True)
    p.add_argument("--role", default="adviser", help="adviser, specialist, supervisor or admin")
    p.add_argument("--specialist", help="their specialist code, for specialists")
    p.add_argument(
        "--pin",
        help=f"4-8 digits (default: {NEW_PIN_ENV}, the terminal or stdin; "
        "a PIN on the command line stays in the shell's history)",
    )
    staff.add("list", cmd_staff_list, "everyone: role, active, disabled or removed, locked")
    for name, text in (
        ("disable", "stop a member logging in (and log them out of every desk)"),
        ("enable", "let a disabled member log in again"),
        ("reset-pin", f"set a new PIN ({NEW_PIN_ENV}, the terminal or stdin; clears a lock)"),
        ("remove", "erase a member's name and PIN, keeping their code in the history"),
    ):
        p = staff.add(name, cmd_staff_change, text)
        p.add_argument("code", help="their staff code")
