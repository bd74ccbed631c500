"""`frontdesk demo [--speed N] [--date D] [--centre C] [--report]`: the living council."""

from __future__ import annotations

import argparse

DEFAULT_SPEED = 60.0  # one simulated hour per real minute


def demo_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--speed",
        type=float,
        default=DEFAULT_SPEED,
        help="simulated seconds per real second (default: 60, an hour a minute)",
    )
    p.add_argument("--report", action="store_true", help="print the simulated day's report")
    p.set_defaults(serve=False)


def run_demo(args: argparse.Namespace) -> int:
    from frontdesk.demo.launch import run_in_terminal
    from frontdesk.services.reports import parse_day

    day = parse_day(args.date, "--date") if args.date else None
    return run_in_terminal(args.centre or "CIVIC", day, args.speed, args.seed)
