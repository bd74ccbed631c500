"""`frontdesk demo [--speed N] [--date D] [--centre C] [--report] [--serve [--port N]]`:
the living council, in this terminal or served to browsers.

`--serve` is `frontdesk serve`'s textual-serve server (its reaping of app processes, its
page with nothing loaded from outside) with a front page linking the four apps: each
browser tab runs one demo app in a process of its own (`demo --in-browser APP`, hidden),
on the server's store and simulated clock. The server process holds the simulation; Ctrl+C
stops it, the apps it started and deletes the store.
"""

from __future__ import annotations

import argparse
import html
import logging
import shlex
import sys
from typing import TYPE_CHECKING, Any

from frontdesk.errors import InvalidInput

if TYPE_CHECKING:
    from frontdesk.demo.launch import Demo

DEFAULT_SPEED = 60.0  # one simulated hour per real minute
DEFAULT_PORT = 8000
DEMO_SESSIONS = 8  # browser sessions (an app process each) open at once
HOST = "127.0.0.1"  # the demo's store has staff PINs printed in the README: never public


def demo_options(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--speed",
        type=float,
        default=DEFAULT_SPEED,
        help="simulated seconds per real second (default: 60, an hour a minute)",
    )
    p.add_argument("--report", action="store_true", help="print the simulated day's report")
    p.add_argument(
        "--serve",
        action="store_true",
        help="serve the demo to a browser on 127.0.0.1 (kiosk, desk, board, dashboard)",
    )
    p.add_argument("--port", type=int, default=DEFAULT_PORT, help="with --serve (default 8000)")
    # One browser tab's app, started by the --serve server (not for people to type).
    p.add_argument("--in-browser", dest="in_browser", help=argparse.SUPPRESS)


def run_demo(args: argparse.Namespace) -> int:
    from frontdesk.demo.launch import run_in_terminal, run_served_app
    from frontdesk.services.reports import parse_day

    if args.in_browser:
        return run_served_app(args.in_browser)
    day = parse_day(args.date, "--date") if args.date else None
    centre = args.centre or "CIVIC"
    if args.serve:
        return run_in_browser(centre, day, args.speed, args.seed, args.port)
    return run_in_terminal(centre, day, args.speed, args.seed)


def run_in_browser(centre: str, day: Any, speed: float, seed: int, port: int) -> int:
    """Serve the demo on 127.0.0.1:`port` until interrupted."""
    import os

    from frontdesk.demo.launch import running_demo, served_environment

    if not 1 <= port <= 65535:
        raise InvalidInput(f"--port must be between 1 and 65535, not {port}")
    _port_free(port)  # before the store is built, and before the line saying where to go
    with running_demo(centre, day, speed, seed) as demo:
        # The app processes inherit the store's URL and the clock (never on a command line).
        os.environ.update(served_environment(demo))
        server = demo_server(demo, port)
        try:
            server.serve()
        except OSError as exc:
            raise InvalidInput(f"--port: cannot listen on {HOST}:{port} ({exc.strerror})") from None
        at = demo.services.clock.now().strftime("%H:%M UTC")
    print(f"Demo over at {at} simulated; the store is gone.", flush=True)
    return 0


def _port_free(port: int) -> None:
    import socket

    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server will
        try:
            probe.bind((HOST, port))
        except OSError as exc:
            raise InvalidInput(f"--port: cannot listen on {HOST}:{port} ({exc.strerror})") from None


def demo_server(demo: Demo, port: int) -> Any:
    """The textual-serve server of the demo: the front page, one page per app."""
    import aiohttp_jinja2
    from aiohttp import web

    from frontdesk.cli.serve import reaping_classes
    from frontdesk.demo.apps import APPS

    _, reaping_server = reaping_classes()
    python = shlex.quote(sys.executable)
    apps = "|".join(APPS)

    class DemoServer(reaping_server):  # type: ignore[misc,valid-type]
        def initialize_logging(self) -> None:
            super().initialize_logging()
            # A line per request would bury the one line that says where to go.
            logging.getLogger("aiohttp.access").setLevel(logging.WARNING)

        def command_for(self, request: web.Request) -> str:
            name = request.match_info.get("app", "dashboard")
            return f"exec {python} -m frontdesk demo --in-browser {name}"

        async def _make_app(self) -> web.Application:
            app = await super()._make_app()
            app.add_routes(
                [
                    web.get(f"/{{app:{apps}}}", self.handle_app_page),
                    web.get(f"/ws/{{app:{apps}}}", self.handle_websocket, name="app-ws"),
                ]
            )
            return app

        async def on_startup(self, app: web.Application) -> None:
            print(
                f"frontdesk demo: open {self.public_url}/ in a browser "
                f"(the {demo.world.cast.centre} dashboard, kiosk, desk and board, live). "
                "Ctrl+C stops the demo.",
                flush=True,
            )

        async def handle_index(self, request: web.Request) -> web.Response:
            return web.Response(text=front_page(demo), content_type="text/html")

        async def handle_app_page(self, request: web.Request) -> web.Response:
            if self.sessions >= self.max_sessions:
                return self.busy_page()
            name = request.match_info["app"]
            ws = request.app.router["app-ws"].url_for(app=name)
            static = request.app.router["static"].url_for(filename="/")
            context = {
                "font_size": 16,
                "app_websocket_url": f"ws{self.public_url[4:]}{ws}",
                "config": {"static": {"url": f"{self.public_url}{str(static).rstrip('/')}/"}},
                "application": {"name": f"frontdesk demo — {name}"},
            }
            return aiohttp_jinja2.render_template("app_index.html", request, context)

    server = DemoServer(
        "frontdesk demo", host=HOST, port=port, title=f"frontdesk demo {demo.world.cast.centre}"
    )
    # Four apps, each in a tab or two, and a page switch overlapping the old app's exit.
    server.max_sessions = DEMO_SESSIONS
    return server


def front_page(demo: Demo) -> str:
    """The demo's front page: the four apps, the keys, the simulated clock and counts."""
    from frontdesk.demo.apps import KEYS, PAGES
    from frontdesk.services.demo import DEMO_ADVISER, DEMO_SUPERVISOR

    cast = demo.world.cast
    now = demo.services.clock.now().strftime("%H:%M")
    counts = dict(demo.world.counts)
    what = {
        "dashboard": "the supervisor's dashboard",
        "kiosk": "the kiosk: take a ticket, a simulated desk calls it",
        "desk": f"desk {cast.human_desk}, logged in as the demo adviser: call and serve",
        "board": "the now-serving board",
    }
    links = "\n".join(
        f'<li><a href="{PAGES[name]}">{html.escape(name)}</a> — {html.escape(text)}</li>'
        for name, text in what.items()
    )
    keys = " · ".join(f"{key} {label}" for key, label, _ in KEYS[:-1])
    sup, adv = DEMO_SUPERVISOR, DEMO_ADVISER
    return f"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>frontdesk demo</title>
<style>body{{font-family:sans-serif;max-width:46em;margin:2em auto;line-height:1.5}}
a{{font-weight:bold}}</style></head>
<body><h1>frontdesk demo — {html.escape(cast.centre)}, live</h1>
<p id="clock">Simulated {cast.day.isoformat()} {now} UTC: {counts["issued"]} visitors so far,
{counts["called"]} called by the simulated desks.</p>
<ul>
{links}
</ul>
<p>Open several tabs to watch them together. Inside an app: {html.escape(keys)}
(or click the yellow line); ctrl+x comes back here.</p>
<p>Demo staff: supervisor {sup[0]} PIN {sup[3]}, adviser {adv[0]} PIN {adv[3]}.
The store is thrown away when the demo stops (Ctrl+C where it was started).</p>
</body></html>
"""
