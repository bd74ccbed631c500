"""The web face for what lives outside the building (`frontdesk serve web`): the ticket's
page on the visitor's phone, the centres' current waits for the council's website, and
the HTTP API for council systems. It talks to the store only through the services.

`create_app(services, settings)` builds the ASGI app; `launch.run` serves it on uvicorn.
"""

from frontdesk.web.app import create_app
from frontdesk.web.settings import WebSettings

__all__ = ["WebSettings", "create_app"]
