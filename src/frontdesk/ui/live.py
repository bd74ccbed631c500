"""Live refresh for the desk console and the board: one worker thread per screen waits on
the store's change feed and posts `StoreChanged`; the screen re-reads only then.

The watcher is cheap on both backends (SQLite `PRAGMA data_version`, PostgreSQL LISTEN),
so the store is read on a change, plus a slow tick so waiting times keep counting up.
"""

from __future__ import annotations

import time
from typing import Protocol

from textual.message import Message
from textual.worker import Worker, get_current_worker

from frontdesk.services.wiring import Services

WAIT_SECONDS = 1.0
TICK_SECONDS = 15.0
RETRY_SECONDS = 3.0


class StoreChanged(Message):
    """Something changed in the store (or the slow tick came round): re-read."""

    def __init__(self, changed: bool = True) -> None:
        super().__init__()
        self.changed = changed


class StoreLost(Message):
    """The change feed cannot reach the store; it keeps retrying."""

    def __init__(self, reason: str) -> None:
        super().__init__()
        self.reason = reason


class _Node(Protocol):
    def post_message(self, message: Message) -> bool: ...


def follow_store(node: _Node, services: Services, tick: float = TICK_SECONDS) -> None:
    """Loop in the calling worker thread until the worker is cancelled."""
    worker: Worker[None] = get_current_worker()
    last_tick = time.monotonic()
    while not worker.is_cancelled:
        try:
            watcher = services.watch()
        except Exception as exc:  # unreachable server: say so, try again
            node.post_message(StoreLost(str(exc).splitlines()[0] if str(exc) else repr(exc)))
            time.sleep(RETRY_SECONDS)
            continue
        try:
            while not worker.is_cancelled:
                if watcher.wait(WAIT_SECONDS):
                    last_tick = time.monotonic()
                    # A re-run `init` (new hours, a new desk): the catalogue first.
                    services.queue.reload_if_changed()
                    node.post_message(StoreChanged(True))
                elif time.monotonic() - last_tick >= tick:
                    last_tick = time.monotonic()
                    node.post_message(StoreChanged(False))
        except Exception as exc:
            node.post_message(StoreLost(str(exc).splitlines()[0] if str(exc) else repr(exc)))
            time.sleep(RETRY_SECONDS)
        finally:
            watcher.close()
