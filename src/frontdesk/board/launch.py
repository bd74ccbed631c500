"""`frontdesk board --centre CODE [--speech]`: run the now-serving board."""

from __future__ import annotations

import argparse

from frontdesk.services.wiring import open_services


def run(args: argparse.Namespace) -> int:
    from frontdesk.board.app import BoardApp

    services = open_services(getattr(args, "db", None), via=f"board:{str(args.centre).upper()}")
    try:
        app = BoardApp(services, args.centre, speech=bool(getattr(args, "speech", False)))
        result = app.run()
    finally:
        services.close()
    return int(result or 0)
