"""What an app does when `frontdesk serve` runs it for a browser tab.

The server marks each app process it starts with FRONTDESK_SERVED=1; such a process exits
by itself if its server dies, so a killed server leaves no orphaned apps behind. Kept in
`ui` (not the CLI) because every app calls it and apps never import the CLI.
"""

from __future__ import annotations

import os
import threading
import time

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
