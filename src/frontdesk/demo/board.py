"""The board as the demo shows it: the demo's line and keys on the real board."""

from __future__ import annotations

from frontdesk.board.app import BoardApp
from frontdesk.demo.line import DemoMixin, bindings, stylesheet


class DemoBoard(DemoMixin, BoardApp):
    BINDINGS = bindings(BoardApp)
    CSS_PATH = stylesheet(BoardApp)
    demo_name = "board"

    def on_mount(self) -> None:
        # The app's own on_mount runs after this one (Textual calls every class's
        # handler along the hierarchy): calling it here too would run it twice.
        self._demo_start()
