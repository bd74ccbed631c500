"""Process bodies for the PIN lock-out test: each process guesses PINs for one code.

Separate from the test module because children are started with 'spawn' and import
this module by name (tests/integration is on sys.path; see tests/conftest.py).
"""

from __future__ import annotations

import traceback
from typing import Any

from frontdesk.clock import SystemClock
from frontdesk.services.staff import LoginRefused
from frontdesk.services.wiring import open_services


def guesser(url: str, code: str, pins: list[str], go: Any, results: Any) -> None:
    """Guess each PIN in turn once everyone is ready; report how many were refused."""
    try:
        svc = open_services(url, SystemClock())
        svc.queue.catalogue()  # connect before the start
        go.wait(60)
        refused = 0
        for pin in pins:
            try:
                svc.staff.login(code, pin, where="test")
            except LoginRefused:
                refused += 1
        svc.close()
        results.put(("done", refused))
    except BaseException:
        results.put(("error", traceback.format_exc()))
        raise
