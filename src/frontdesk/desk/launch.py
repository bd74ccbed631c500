"""`frontdesk desk --centre CODE --desk NAME`: run the desk console."""

from __future__ import annotations

import argparse

from frontdesk.services.wiring import open_services


def run(args: argparse.Namespace) -> int:
    from frontdesk.desk.app import DeskApp

    services = open_services(
        getattr(args, "db", None), via=f"desk:{str(args.centre).upper()}/{args.desk}"
    )
    try:
        app = DeskApp(services, args.centre, args.desk)
        result = app.run()
    finally:
        services.close()
    return int(result or 0)
