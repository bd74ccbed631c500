"""Who a `frontdesk` command acts for, checked before it does anything.

- `--staff CODE` must name an active member of staff, on every command that takes it
  (text that names nobody is refused rather than stored);
- a council that wants it (`require_pin_for_cli = true` under `[council]` in the centres
  file, or FRONTDESK_REQUIRE_PIN_FOR_CLI=1 on a machine) has the accountable commands —
  those that change something or take personal data out — demand `--staff` and that
  member's PIN, from FRONTDESK_PIN or the terminal, never the command line. The PIN is
  checked as a log-in: wrong guesses count towards the same lock-out;
- a new store with nobody in it yet is exempt, so the first administrator can be added;
- every entry this process writes to the audit log says `via` "cli:<operating-system
  user>", so an action without `--staff` still says who ran it.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys
from typing import TYPE_CHECKING

from frontdesk.errors import InvalidInput, NotFound

if TYPE_CHECKING:
    from frontdesk.services.wiring import Services

PIN_ENV = "FRONTDESK_PIN"
POLICY_SETTING = "council.require_pin_for_cli"
# Commands that change the store or take personal data out of it.
ACCOUNTABLE = frozenset(
    {
        "init",
        "ticket issue",
        "ticket cancel",
        "ticket left",
        "ticket return",
        "ticket quick",
        "call-next",
        "call",
        "recall",
        "start",
        "no-show",
        "complete",
        "transfer",
        "report rebuild",
        "book",
        "reschedule",
        "cancel-booking",
        "checkin",
        "specialist status",
        "specialist absence",
        "staff add",
        "staff list",
        "staff disable",
        "staff enable",
        "staff reset-pin",
        "staff remove",
        "purge contacts",
        "import events",
        "export events",
        "api-token add",
        "api-token revoke",
        "backup",
        "restore",
    }
)


def command_path(args: argparse.Namespace) -> str:
    """`args`'s command as typed: "ticket issue", "call-next"."""
    name = str(getattr(args, "command", "") or "")
    sub = getattr(args, f"{name}_command", None)
    return f"{name} {sub}" if sub else name


def pin_required(svc: Services) -> bool:
    from frontdesk.settings import load_settings

    if load_settings().require_pin_for_cli:
        return True
    value = svc.queue.catalogue().settings.get(POLICY_SETTING, "false")
    return str(value).lower() == "true"


def confirm(args: argparse.Namespace, svc: Services) -> None:
    """Check `--staff` (and the PIN where the council requires it) before the command
    runs; `args.staff` becomes the canonical code. Raises a one-line error otherwise."""
    from frontdesk.services.wiring import operating_system_user
    from frontdesk.store import audit as audit_log

    audit_log.set_process_via(f"cli:{operating_system_user()}")
    path = command_path(args)
    if getattr(args, "staff_is_a_filter", False):  # `audit --staff X`: whose entries
        return
    if not svc.staff.anyone():
        if getattr(args, "staff", None):
            raise InvalidInput(
                f"--staff '{args.staff}': nobody has been added yet "
                "(leave --staff out until `frontdesk staff add` has added the first member)"
            )
        return
    staff = getattr(args, "staff", None)
    if staff is not None:
        try:
            args.staff = svc.staff.active(staff).code
        except NotFound as exc:
            raise InvalidInput(f"--staff: {exc}") from None
    if path not in ACCOUNTABLE or not pin_required(svc):
        return
    if not args.staff:
        raise InvalidInput(
            f"--staff: this council requires the staff code and PIN for `{path}` "
            f"(give --staff CODE, and the PIN in {PIN_ENV} or at the prompt)"
        )
    svc.staff.login(args.staff, _pin(), where=f"cli {path}")


def _pin() -> str:
    pin = os.environ.get(PIN_ENV)
    if pin is None and sys.stdin.isatty():
        pin = getpass.getpass("PIN: ")
    if not pin:
        raise InvalidInput(
            f"{PIN_ENV}: this council requires the PIN for CLI actions; set {PIN_ENV} "
            "or run the command at a terminal to be asked (never on the command line)"
        )
    return pin.strip()


def record(args: argparse.Namespace, svc: Services, action: str, detail: str = "") -> None:
    """Write an administrative action (init, import, export, purge, backup) to the audit
    log as done by `--staff` (None without it; `via` still names the user)."""
    svc.staff.audit(getattr(args, "staff", None), action, detail)
