"""`frontdesk serve APP --centre C [--desk D] [--kiosk K] --host H --port N [--db URL]`.

Serves `frontdesk APP …` to browsers with textual-serve: one app process per browser tab,
at most `--max-sessions` at once (beyond it a "busy, try again" page, no new process).

* The browser never sees database credentials: the URL travels to the app process in its
  environment (FRONTDESK_DB), never on its command line or in the page (whose title would
  otherwise be the command).
* Each app process runs in its own session (process group). When its browser goes away
  the server asks it to quit, and kills the group if it has not gone within a few seconds;
  when the server stops, every app it started is stopped too. An app process also exits
  by itself if its server dies (`watch_parent_when_served`, called by the app).

textual-serve is imported only when `serve` runs.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import re
import shlex
import signal
import sys
from asyncio.subprocess import Process
from typing import Any

from frontdesk.cli.apps import APPS
from frontdesk.cli.common import Commands
from frontdesk.ui.served import SERVED_ENV, TEXT_SCALE_URL

QUIT_GRACE_SECONDS = 5.0
# Open browser sessions (one app process each, ~80 MB) allowed per served app by default:
# a kiosk or a desk is one screen (two lets a reload overlap the old session going).
MAX_SESSIONS = {"kiosk": 2, "desk": 2, "board": 4, "supervisor": 4}
RETRY_AFTER_SECONDS = 30
BUSY_PAGE = """<!doctype html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="refresh" content="{retry}">
<title>{title}: busy</title>
<style>body{{font-family:sans-serif;max-width:36em;margin:4em auto;padding:0 1em}}</style>
</head><body>
<h1>Busy, try again in a minute</h1>
<p>{title} is already open in {open} browser windows, as many as this server allows.
Close one of them, or wait: this page tries again by itself every {retry} seconds.</p>
</body></html>
"""


def app_command(args: argparse.Namespace) -> list[str]:
    """The command line of one served app (no credentials on it)."""
    command = [sys.executable, "-m", "frontdesk", args.app]
    if args.centre:
        command += ["--centre", args.centre]
    elif args.app != "supervisor":
        raise SystemExit(f"frontdesk: error: `serve {args.app}` needs --centre")
    if args.app == "desk":
        if not args.desk:
            raise SystemExit("frontdesk: error: `serve desk` needs --desk")
        command += ["--desk", args.desk]
    if args.app == "kiosk" and getattr(args, "kiosk", None):
        command += ["--kiosk", args.kiosk]
    return command


# The page textual-serve sends asks Google for its font; kiosks may have no Internet and
# a public face must load nothing from outside. The same font ships in textual-serve's
# static files, so the page gets it from here.
_EXTERNAL_STYLESHEET = re.compile(r"<link\b[^>]*\bhref=\"https?://[^\"]*\"[^>]*>", re.S)
_LOCAL_FONT = """<style>
      @font-face {
        font-family: "Roboto Mono";
        font-style: normal;
        font-weight: 100 700;
        src: url("{{ config.static.url }}fonts/RobotoMono-VariableFont_wght.ttf")
          format("truetype");
      }
      @font-face {
        font-family: "Roboto Mono";
        font-style: italic;
        font-weight: 100 700;
        src: url("{{ config.static.url }}fonts/RobotoMono-Italic-VariableFont_wght.ttf")
          format("truetype");
      }
    </style>"""


# An app's request for larger text (`frontdesk.ui.served.set_browser_text_scale`) reaches
# the page as textual-serve's "open_url" message with this address; the page sets the
# terminal's font size (the size it was opened with × the scale) and fits the terminal to
# the window again, so the app gets fewer, larger cells. textual.js keeps its terminal to
# itself: the script catches it as it is built (the first object to set `fitAddon`) and
# sees the message before textual.js does (its listener is the socket's first).
_TEXT_SCALE = """<script>
      (function () {
        const PREFIX = "__PREFIX__";
        let textual = null;
        Object.defineProperty(Object.prototype, "fitAddon", {
          configurable: true,
          set(value) {
            delete Object.prototype.fitAddon;
            Object.defineProperty(this, "fitAddon", {
              value: value, writable: true, configurable: true, enumerable: true,
            });
            textual = this;
            window.frontdeskTerminal = this;
          },
        });
        const NativeSocket = window.WebSocket;
        window.WebSocket = class extends NativeSocket {
          constructor(...args) {
            super(...args);
            this.addEventListener("message", (event) => {
              if (typeof event.data !== "string" || !event.data.includes(PREFIX)) return;
              const [kind, data] = JSON.parse(event.data);
              if (kind !== "open_url" || !String(data.url).startsWith(PREFIX)) return;
              event.stopImmediatePropagation();  // not a page to open
              const scale = parseFloat(data.url.slice(PREFIX.length)) || 1;
              if (textual === null) return;
              const base = parseFloat(textual.element.dataset.fontSize) || 16;
              textual.terminal.options.fontSize = Math.round(base * scale);
              textual.fit();
            });
          }
        };
      })();
    </script>""".replace("__PREFIX__", TEXT_SCALE_URL)


def local_page(template: str) -> str:
    """textual-serve's page template with every outside stylesheet replaced by its font
    served from this server, and the script that enlarges the text when the app asks."""
    page = _EXTERNAL_STYLESHEET.sub(lambda _m: _LOCAL_FONT, template)
    return page.replace("<head>", "<head>\n    " + _TEXT_SCALE, 1)


def _local_loader(folder: Any) -> Any:
    import jinja2

    class LocalPageLoader(jinja2.FileSystemLoader):
        def get_source(self, environment: Any, template: str) -> Any:
            source, filename, uptodate = super().get_source(environment, template)
            return local_page(source), filename, uptodate

    return LocalPageLoader(folder)


def reaping_classes() -> tuple[type, type]:
    """textual-serve's app service and server, made to reap their app processes (and to
    load nothing from outside). `ReapingServer.command_for(request)` picks the command a
    browser tab runs (`frontdesk demo --serve` serves several apps from one server)."""
    from textual_serve.app_service import AppService
    from textual_serve.server import Server

    class ReapingAppService(AppService):  # type: ignore[misc]
        """An app process in its own process group, killed if it will not quit."""

        live: set[ReapingAppService] = set()

        async def _open_app_process(self, width: int = 80, height: int = 24) -> Process:
            environment = self._build_environment(width=width, height=height)
            environment[SERVED_ENV] = "1"
            self._process = process = await asyncio.create_subprocess_shell(
                self.command,
                stdin=asyncio.subprocess.PIPE,
                stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.PIPE,
                env=environment,
                start_new_session=True,
            )
            assert process.stdin is not None
            self._stdin = process.stdin
            ReapingAppService.live.add(self)
            return process

        async def stop(self) -> None:
            task = self._task
            try:
                if task is not None:
                    with contextlib.suppress(Exception):
                        await self.send_meta({"type": "quit"})
                    with contextlib.suppress(asyncio.TimeoutError, asyncio.CancelledError):
                        await asyncio.wait_for(asyncio.shield(task), QUIT_GRACE_SECONDS)
                    self._task = None
            finally:
                await self.reap()

        async def reap(self) -> None:
            process = self._process
            ReapingAppService.live.discard(self)
            if process is None or process.returncode is not None:
                return
            for sig in (signal.SIGTERM, signal.SIGKILL):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.killpg(process.pid, sig)
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(process.wait(), 2.0)
                    return

    class ReapingServer(Server):  # type: ignore[misc]
        max_sessions = 4
        sessions = 0  # browser sessions open now (each with its app process)

        def busy_page(self) -> Any:
            import html

            from aiohttp import web

            page = BUSY_PAGE.format(
                title=html.escape(self.title), open=self.sessions, retry=RETRY_AFTER_SECONDS
            )
            return web.Response(
                status=503,
                text=page,
                content_type="text/html",
                headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
            )

        async def handle_index(self, request: Any) -> Any:
            if self.sessions >= self.max_sessions:
                return self.busy_page()
            return await super().handle_index(request)

        def command_for(self, request: Any) -> str:
            return str(self.command)

        async def _make_app(self) -> Any:
            import aiohttp_jinja2

            app = await super()._make_app()
            aiohttp_jinja2.setup(app, loader=_local_loader(self.templates_path))
            return app

        async def on_startup(self, app: Any) -> None:
            self.console.print(f"Serving {self.title} on {self.public_url}")

        async def on_shutdown(self, app: Any) -> None:
            await asyncio.gather(
                *(s.reap() for s in list(ReapingAppService.live)), return_exceptions=True
            )

        async def handle_websocket(self, request: Any) -> Any:
            from aiohttp import web
            from textual_serve.server import log, to_int

            websocket = web.WebSocketResponse(heartbeat=15)
            width = to_int(request.query.get("width", "80"), 80)
            height = to_int(request.query.get("height", "24"), 24)
            app_service: ReapingAppService | None = None
            if self.sessions >= self.max_sessions:
                # Pages loaded before the others connected: no app process for this one.
                await websocket.prepare(request)
                await websocket.close(code=1013, message=b"busy: try again in a minute")
                return websocket
            self.sessions += 1  # counted before any await: the event loop is one thread
            try:
                await websocket.prepare(request)
                app_service = ReapingAppService(
                    self.command_for(request),
                    write_bytes=websocket.send_bytes,
                    write_str=websocket.send_str,
                    close=websocket.close,  # type: ignore[arg-type]  # as textual-serve does
                    download_manager=self.download_manager,
                    debug=self.debug,
                )
                await app_service.start(width, height)
                await self._process_messages(websocket, app_service)
            except asyncio.CancelledError:
                await websocket.close()
            except Exception as error:
                log.exception(error)
            finally:
                # The browser has gone (closed, crashed, lost its network): reap the app.
                try:
                    if app_service is not None:
                        await app_service.stop()
                finally:
                    self.sessions -= 1
            return websocket

    return ReapingAppService, ReapingServer


def run(args: argparse.Namespace) -> int:
    """Serve the app until interrupted (SIGINT/SIGTERM); stops every app it started.
    `serve web` is the ASGI web face (uvicorn), not a Textual app."""
    if args.app == "web":
        from frontdesk.web import launch

        return launch.run(args)
    db = getattr(args, "db", None)
    if db:
        os.environ["FRONTDESK_DB"] = db
    command = " ".join(shlex.quote(part) for part in app_command(args))
    _, server_class = reaping_classes()
    title = f"frontdesk {args.app} {args.centre or 'all centres'}"
    server = server_class(f"exec {command}", host=args.host, port=args.port, title=title)
    server.max_sessions = args.max_sessions or MAX_SESSIONS.get(args.app, 4)
    server.serve()
    return 0


def register(commands: Commands) -> None:
    p = commands.add(
        "serve",
        run,
        "serve an app to browsers (textual-serve), or `web`: the visitor's phone page, "
        "the centres' waits and the HTTP API",
    )
    p.add_argument("app", choices=(*APPS, "web"))
    p.add_argument("--centre", help="the centre (optional for `serve supervisor`)")
    p.add_argument("--desk", help="for `serve desk`")
    p.add_argument("--kiosk", default="kiosk-1")
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8000)
    p.add_argument(
        "--max-sessions",
        type=_sessions,
        help="browser windows served at once, each its own app process of ~80 MB "
        "(default: kiosk 2, desk 2, board 4, supervisor 4); beyond it a 'busy' page",
    )


def _sessions(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= 1000:
        raise argparse.ArgumentTypeError(f"'{text}' is not a number of sessions from 1 to 1000")
    return value
