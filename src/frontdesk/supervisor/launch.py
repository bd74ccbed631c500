"""`frontdesk supervisor [--centre CODE] [--high-contrast]`: run the supervisor's view."""

from __future__ import annotations

import argparse

from frontdesk.services.wiring import open_services


def run(args: argparse.Namespace) -> int:
    from frontdesk.supervisor.app import SupervisorApp
    from frontdesk.ui.served import watch_parent_when_served

    services = open_services(getattr(args, "db", None), via="supervisor")
    try:
        centre = getattr(args, "centre", None)
        if centre:
            services.queue.centre(centre)  # an unknown centre is a one-line error
        watch_parent_when_served()
        app = SupervisorApp(
            services, centre, high_contrast=bool(getattr(args, "high_contrast", False))
        )
        result = app.run()
    finally:
        services.close()
    return int(result or 0)
