"""`frontdesk` subcommands for the walk-in queue: issuing and closing tickets, the
estimated wait, a desk's calls (call-next, call, recall, start, no-show, complete,
transfer) and the queue's state."""

from __future__ import annotations

import argparse
from dataclasses import asdict
from typing import Any

from frontdesk.cli.common import (
    Commands,
    Handler,
    centre_option,
    console,
    desk_options,
    emit,
    minutes,
    services,
)
from frontdesk.errors import InvalidInput
from frontdesk.services import shapes
from frontdesk.services.results import Query
from frontdesk.services.tokens import status_url
from frontdesk.settings import load_settings

# -- tickets ----------------------------------------------------------------------------


def cmd_ticket_issue(args: argparse.Namespace) -> int:
    from frontdesk.services.notifications import contact_channel

    if args.notify is not None:  # refuse a bad contact before issuing anything
        try:
            contact_channel(args.notify)
        except InvalidInput as exc:
            raise InvalidInput(f"--notify '{args.notify}': {exc}") from None
    public_base_url = load_settings().public_base_url  # a bad setting, too
    q = services(args).queue
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
        services(args).notifications.subscribe(t.id, args.notify)
    url = status_url(public_base_url, t.token)
    emit(
        args,
        shapes.issued_ticket(t, url),
        lambda: print(
            f"ticket {t.ticket} ({t.service}) issued at {t.centre}; "
            + _wait_line(
                t.estimated_wait_seconds,
                t.estimated_wait_low_seconds,
                t.estimated_wait_high_seconds,
            )
            + (f"; follow it at {url}" if url else "")
        ),
    )
    return 0


def _wait_line(seconds: int | None, low: int | None, high: int | None) -> str:
    if seconds is None or low is None or high is None:
        return "no estimate: no open desk serves this service"
    return f"estimated wait {minutes(seconds)} (80% between {minutes(low)} and {minutes(high)})"


def _closing(action: str) -> Handler:
    def run(args: argparse.Namespace) -> int:
        q = services(args).queue
        if action == "cancel":
            closed = q.cancel(args.centre, args.ticket, reason=args.reason, staff=args.staff)
        elif action == "left":
            closed = q.left(args.centre, args.ticket, staff=args.staff)
        elif action == "quick":
            closed = q.mark_quick(args.centre, args.ticket, staff=args.staff)
        else:
            closed = q.return_to_queue(args.centre, args.ticket, staff=args.staff)
        emit(args, asdict(closed), lambda: print(f"ticket {closed.ticket} is now {closed.status}"))
        return 0

    return run


def cmd_estimate(args: argparse.Namespace) -> int:
    e = services(args).queue.estimate(args.centre, args.service)
    emit(
        args,
        asdict(e),
        lambda: print(
            f"{e.service} at {e.centre}: {e.ahead} waiting, "
            + _wait_line(
                e.estimated_wait_seconds,
                e.estimated_wait_low_seconds,
                e.estimated_wait_high_seconds,
            )
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
    t = services(args).queue.call_next(args.centre, args.desk, staff=args.staff)
    if t is None:
        emit(args, shapes.called(t), lambda: print(f"nobody is waiting for desk {args.desk}"))
        return 0
    emit(
        args,
        shapes.called(t),
        lambda: print(_at_desk_line(t) + f"; waited {minutes(t.waited_seconds)}"),
    )
    return 0


def cmd_call(args: argparse.Namespace) -> int:
    t = services(args).queue.call_ticket(args.centre, args.desk, args.ticket, staff=args.staff)
    emit(args, shapes.called(t), lambda: print(_at_desk_line(t)))
    return 0


def _desk_step(action: str) -> Handler:
    def run(args: argparse.Namespace) -> int:
        q = services(args).queue
        if action == "no-show":
            closed = q.no_show(args.centre, args.desk, staff=args.staff)
            emit(
                args,
                {**asdict(closed), "desk": args.desk},
                lambda: print(f"ticket {closed.ticket} marked a no-show"),
            )
            return 0
        fn = q.start if action == "start" else q.recall
        t = fn(args.centre, args.desk, staff=args.staff)
        emit(args, shapes.at_desk(t), lambda: print(_at_desk_line(t)))
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
            seen_before=bool(getattr(args, "seen_before", False)),
        )
    ]


def cmd_complete(args: argparse.Namespace) -> int:
    if args.resolved and args.handoff is not None:
        raise InvalidInput(
            "--handoff is for a query that is not resolved: use --not-resolved with it"
        )
    done = services(args).queue.complete(args.centre, args.desk, _queries(args), staff=args.staff)
    emit(
        args,
        shapes.completed(done),
        lambda: print(
            f"ticket {done.ticket} completed at desk {done.desk} "
            f"({done.queries_completed} query recorded)"
        ),
    )
    return 0


def cmd_transfer(args: argparse.Namespace) -> int:
    if args.to_desk is not None and not args.to_desk.strip():
        raise InvalidInput("--to-desk is empty: name the desk to transfer to")
    moved = services(args).queue.transfer(
        args.centre,
        args.desk,
        service=args.service,
        to_desk=args.to_desk,
        note=args.note,
        staff=args.staff,
    )
    emit(
        args,
        shapes.transferred(moved),
        lambda: print(
            f"ticket {moved.ticket} transferred to {moved.to_service}"
            + (f" (desk {moved.to_desk})" if moved.to_desk else "")
        ),
    )
    return 0


def cmd_queue(args: argparse.Namespace) -> int:
    snap = services(args).queue.snapshot(args.centre)
    payload = shapes.queue(snap)

    def human() -> None:
        from rich.table import Table

        table = Table(title=f"{snap.centre}: {len(snap.waiting)} waiting")
        for col in ("ticket", "service", "waiting", "notes"):
            table.add_column(col)
        for w in snap.waiting:
            notes = ", ".join(
                filter(None, [w.priority, *w.needs, "transferred" if w.transferred else ""])
            )
            table.add_row(w.ticket, w.service, minutes(w.waiting_seconds), notes)
        at_desks = Table(title="at desks")
        for col in ("desk", "ticket", "service", "status"):
            at_desks.add_column(col)
        for s in snap.serving:
            at_desks.add_row(s.desk, s.ticket, s.service, s.status)
        out = console()
        out.print(table)
        out.print(at_desks)

    emit(args, payload, human)
    return 0


def register(commands: Commands) -> None:
    """Add the queue's subcommands to the `frontdesk` parser."""
    ticket = commands.group("ticket", "issue or close tickets")
    p = ticket.add("issue", cmd_ticket_issue, "issue a ticket")
    centre_option(p)
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
        ("quick", "mark a waiting ticket as a quick query (desks may comb it)"),
    ):
        p = ticket.add(name, _closing(name), help_text)
        centre_option(p)
        p.add_argument("ticket", help="today's ticket number (C042) or ticket id")
        if name == "cancel":
            p.add_argument("--reason", help="why (kept in the audit log)")

    p = commands.add("estimate", cmd_estimate, "the estimated wait for a service now")
    centre_option(p)
    p.add_argument("--service", required=True)

    p = commands.add("call-next", cmd_call_next, "call the next customer for a desk")
    desk_options(p)
    p = commands.add("call", cmd_call, "call a particular ticket (queue combing)")
    desk_options(p)
    p.add_argument("ticket", help="today's ticket number (C042) or ticket id")
    for name, help_text in (
        ("recall", "announce the desk's called customer again"),
        ("start", "the called customer has arrived"),
        ("no-show", "the called customer did not come"),
    ):
        p = commands.add(name, _desk_step(name), help_text)
        desk_options(p)

    p = commands.add("complete", cmd_complete, "record the query's outcome and finish")
    desk_options(p)
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
    p.add_argument(
        "--seen-before", action="store_true", help="seen before about this (a repeat visit)"
    )

    p = commands.add("transfer", cmd_transfer, "transfer the desk's customer to a service or desk")
    desk_options(p)
    p.add_argument("--service", help="service code to move to")
    p.add_argument("--to-desk", help="a named desk (specialist)")
    p.add_argument("--note", help="a note that travels with the visit")

    p = commands.add("queue", cmd_queue, "who is waiting and who is at the desks")
    centre_option(p)
