"""What the dashboard's live screens share: re-reading in a worker when the store
changes (one read at a time, a burst of changes ending in one more read), and telling
the supervisor when the store cannot be reached."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual import work
from textual.message import Message
from textual.screen import Screen

from frontdesk.errors import FrontdeskError
from frontdesk.services.wiring import Services


class LiveScreen(Screen[None]):
    class Read(Message):
        def __init__(self, view: Any, problem: str | None = None) -> None:
            super().__init__()
            self.view = view
            self.problem = problem

    def __init__(self, services: Services) -> None:
        super().__init__()
        self.services = services
        self.view: Any = None
        self._reading = False
        self._again = False

    def read(self) -> Any:
        """The view, read in a worker thread (each screen says which)."""
        raise NotImplementedError

    def show(self, view: Any) -> None:
        raise NotImplementedError

    def on_mount(self) -> None:
        self.reload()

    def reload(self) -> None:
        if self._reading:
            self._again = True
            return
        self._reading = True
        self._read()

    @work(thread=True, group="read")
    def _read(self) -> None:
        try:
            view = self.read()
        except FrontdeskError as exc:
            self.post_message(self.Read(None, str(exc)))
            return
        self.post_message(self.Read(view))

    def on_live_screen_read(self, event: Read) -> None:
        self._reading = False
        if event.view is not None:
            self.view = event.view
            self.show(event.view)
        else:
            self.notify(event.problem or "Cannot read the store", severity="error")
        if self._again:
            self._again = False
            self.reload()

    def act(self, call: Callable[[], str]) -> None:
        """Run a supervisor's action in a worker; its one-line answer becomes a toast."""
        self._act(call)

    @work(thread=True, group="act")
    def _act(self, call: Callable[[], str]) -> None:
        try:
            said = call()
        except FrontdeskError as exc:
            self.app.call_from_thread(self.notify, str(exc), severity="error", timeout=8)
            return
        self.app.call_from_thread(self.notify, said, timeout=6)
        self.app.call_from_thread(self.reload)
