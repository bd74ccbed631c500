"""`frontdesk serve web [--host 127.0.0.1] [--port N] [--db URL]`: the web app on uvicorn.

Binds to the loopback address unless told otherwise; put it behind the council's reverse
proxy (TLS) to reach phones. uvicorn trusts X-Forwarded-For only from the addresses in
FORWARDED_ALLOW_IPS (default 127.0.0.1), so the rate limit sees each visitor's address
through a local proxy. No access log: visitors' page addresses carry their tokens.
"""

from __future__ import annotations

import argparse


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from frontdesk.services.wiring import open_services
    from frontdesk.web.app import create_app
    from frontdesk.web.settings import WebSettings

    settings = WebSettings.from_environment()
    services = open_services(getattr(args, "db", None), via="web")
    try:
        services.queue.catalogue()  # the store is there and set up, before listening
        app = create_app(services, settings)
        print(f"frontdesk web on http://{args.host}:{args.port}/ (the centres' waits: /centres)")
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            access_log=False,
            server_header=False,
            log_level="warning",
        )
    finally:
        services.close()
    return 0
