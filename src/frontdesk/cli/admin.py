"""`frontdesk` subcommands for running a site: init, notifications, housekeeping and
purging personal data (staff are `frontdesk.cli.staff`)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING, Any

from frontdesk.cli.common import Commands, emit, hours_ahead, services
from frontdesk.cli.identity import record
from frontdesk.errors import InvalidInput

if TYPE_CHECKING:
    from frontdesk.services.retention import PurgeReport

# -- administration ---------------------------------------------------------------------


def cmd_init(args: argparse.Namespace) -> int:
    from frontdesk.services.wiring import initialise

    if args.config is not None and not args.config.strip():
        raise InvalidInput("--config is empty: give the centres file (TOML), or leave it out")
    svc = services(args)
    counts = initialise(svc, Path(args.config) if args.config else None)
    record(args, svc, "init", f"centres file {args.config}" if args.config else "migrated")
    emit(
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


def cmd_notify(args: argparse.Namespace) -> int:
    import time

    svc = services(args)
    notes = svc.notifications
    if args.notify_command == "remind":
        queued = notes.remind(args.hours)
        emit(args, {"reminders_queued": queued}, lambda: print(f"{queued} reminders queued"))
        return 0
    if args.notify_command == "status":
        dead = svc.devices.outbox.dead_letters()
        due = svc.devices.outbox.due(svc.clock.now())
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
        emit(
            args,
            payload,
            lambda: print(
                f"{len(due)} messages due; {len(dead)} dead letters"
                + "".join(f"\n  {d.key}: {d.last_error}" for d in dead)
            ),
        )
        return 0
    while True:
        # A daemon outlives a re-run `init`: each round starts from the centres file as
        # it now is (one small read of its version).
        services(args).queue.reload_if_changed()
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
    emit(
        args,
        payload,
        lambda: print(
            f"sent {len(report.sent)}, retrying {len(report.retrying)}, dead {len(report.dead)}"
        ),
    )


def cmd_housekeeping(args: argparse.Namespace) -> int:
    """The background chores of a running site, once or every --loop seconds."""
    import time

    from frontdesk.services.retention import purge_personal_data

    svc = services(args)
    while True:
        svc.queue.reload_if_changed()  # after a re-run `init`, this round uses the new file
        missed = svc.appointments.sweep()
        reminders = svc.notifications.remind()
        report = svc.notifications.deliver()
        purge = purge_personal_data(svc)
        if purge.total:
            record(args, svc, "purge.contacts", _purged(purge))
        folded = svc.reports.catch_up()  # the rollups, so reports start from current rows
        payload = {
            "no_shows_marked": missed,
            "reminders_queued": reminders,
            "sent": len(report.sent),
            "retrying": len(report.retrying),
            "dead": len(report.dead),
            "contacts_purged": purge.bookings + purge.ticket_contacts,
            "outbox_purged": purge.outbox,
            "free_text_scrubbed": purge.free_text,
            "events_folded": folded,
        }
        _emit_counts(args, payload)
        if not args.loop:
            return 0
        time.sleep(args.loop)


def _emit_counts(args: argparse.Namespace, payload: dict[str, int]) -> None:
    emit(
        args,
        payload,
        lambda: print(", ".join(f"{k.replace('_', ' ')} {v}" for k, v in payload.items())),
    )


def _purged(p: PurgeReport) -> str:
    return (
        f"cleared contact details of {p.bookings} bookings, deleted {p.ticket_contacts} "
        f"ticket contacts, cleared {p.outbox} outbox messages, removed phone numbers and "
        f"e-mail addresses from {p.free_text} notes and comments "
        f"(older than {p.retention_days} days)"
    )


def cmd_purge_contacts(args: argparse.Namespace) -> int:
    from frontdesk.services.retention import purge_personal_data

    svc = services(args)
    purge = purge_personal_data(svc)
    record(args, svc, "purge.contacts", _purged(purge))
    emit(
        args,
        {
            "cleared": purge.bookings,
            "ticket_contacts": purge.ticket_contacts,
            "outbox": purge.outbox,
            "free_text": purge.free_text,
            "retention_days": purge.retention_days,
        },
        lambda: print(_purged(purge)),
    )
    return 0


def register_init(commands: Commands) -> None:
    p = commands.add("init", cmd_init, "migrate the store and load a centres file")
    p.add_argument("--config", help="centres file (TOML)")


def register(commands: Commands) -> None:
    """Add notify, housekeeping and purge to the `frontdesk` parser."""
    notify = commands.group("notify", "send queued e-mail and SMS messages")
    p = notify.add("deliver", cmd_notify, "send what is due from the outbox (SMTP/SMS settings)")
    p.add_argument("--loop", type=float, help="keep delivering every N seconds")
    p = notify.add("remind", cmd_notify, "queue reminders for appointments coming up")
    p.add_argument("--hours", type=hours_ahead, default=24.0, help="how far ahead (default 24)")
    notify.add("status", cmd_notify, "messages due and dead letters")

    p = commands.add(
        "housekeeping",
        cmd_housekeeping,
        "mark missed appointments, queue reminders, send the outbox, purge old contacts, "
        "bring the report rollups up to date",
    )
    p.add_argument("--loop", type=float, help="keep going every N seconds (a site's daemon)")

    purge = commands.group("purge", "forget personal data past its retention period")
    purge.add(
        "contacts",
        cmd_purge_contacts,
        "clear contact details, outbox recipients, and phone numbers and e-mail addresses "
        "in notes and comments, past the retention period",
    )
