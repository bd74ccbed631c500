"""Work that follows a committed action (notifications), done on a background thread so
it never slows the desk that acted, and never undoes what it follows."""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)


class Afterwards:
    """Runs listeners for each posted item, in order, on one daemon thread."""

    def __init__(self, name: str) -> None:
        self.listeners: list[Callable[..., None]] = []
        self._name = name
        self._items: queue.Queue[tuple[Any, ...]] = queue.Queue()
        self._thread: threading.Thread | None = None
        self._lock = threading.Lock()

    def append(self, listener: Callable[..., None]) -> None:
        self.listeners.append(listener)

    def post(self, *item: Any) -> None:
        if not self.listeners:
            return
        self._items.put(item)
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._run, name=self._name, daemon=True)
                self._thread.start()

    def _run(self) -> None:
        while True:
            item = self._items.get()
            try:
                for listener in list(self.listeners):
                    try:
                        listener(*item)
                    except Exception:  # a notification must never break the queue
                        log.exception("%s listener failed", self._name)
            finally:
                self._items.task_done()

    def drain(self) -> None:
        """Wait until everything posted so far has been handled (CLI exit, tests)."""
        self._items.join()
