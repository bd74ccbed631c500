"""What an app does when `frontdesk serve` runs it for a browser tab.

The server marks each app process it starts with FRONTDESK_SERVED=1; such a process exits
by itself if its server dies, so a killed server leaves no orphaned apps behind. Kept in
`ui` (not the CLI) because every app calls it and apps never import the CLI.
"""

from __future__ import annotations

import os
import threading
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from textual.app import App

SERVED_ENV = "FRONTDESK_SERVED"


def watch_parent_when_served(poll_seconds: float = 2.0) -> None:
    """In a served app, exit when the server that started us is gone (no orphans)."""
    if os.environ.get(SERVED_ENV) != "1":
        return
    parent = os.getppid()

    def watch() -> None:
        while True:
            time.sleep(poll_seconds)
            if os.getppid() != parent:
                os._exit(0)

    threading.Thread(target=watch, name="served-parent-watch", daemon=True).start()


# In a browser the text is as large as the page's terminal cells, whatever the app's styles
# say. An app asks the served page (`frontdesk serve`, which adds the script that listens)
# for larger cells through this address; the page answers by resizing the terminal, and
# the app lays itself out again in fewer, larger cells.
TEXT_SCALE_URL = "frontdesk:text-scale="


def set_browser_text_scale(app: App[Any], scale: float) -> None:
    """In a browser, show the app's text `scale` times its usual size; nothing in a
    terminal (where the terminal's own font size rules)."""
    if app.is_web:
        app.open_url(f"{TEXT_SCALE_URL}{scale:g}", new_tab=False)
