"""Call a particular ticket: comb the queue for quick queries, or type a number (a
no-show who came back)."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import DataTable, Footer, Input, Label, Select

from frontdesk.desk.queue_view import DeskQueueView
from frontdesk.desk.widgets.queue_panel import minutes

QUICK = "__quick__"


class PickTicketScreen(ModalScreen[str | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel")]

    def __init__(self, view: DeskQueueView | None, topic_names: dict[str, str]) -> None:
        super().__init__()
        self.view = view
        self.topic_names = topic_names

    def compose(self) -> ComposeResult:
        details = self.view.details if self.view else {}
        present = sorted({d.topic for d in details.values() if d.topic})
        options = [("Quick queries only", QUICK)] + [
            (self.topic_names.get(t, t), t) for t in present
        ]
        with Vertical(classes="dialog wide"):
            yield Label("Call a particular ticket", classes="question")
            yield Select(options, prompt="All topics", id="topic")
            yield DataTable(cursor_type="row", zebra_stripes=True, id="tickets")
            yield Input(placeholder="…or type a ticket number, e.g. C042, then Enter", id="typed")
        yield Footer()

    def on_mount(self) -> None:
        table = self.query_one("#tickets", DataTable)
        table.add_columns("Ticket", "Service", "Waiting", "Topic", "")
        self._fill()
        table.focus()

    def _fill(self) -> None:
        table = self.query_one("#tickets", DataTable)
        table.clear()
        if self.view is None:
            return
        chosen = self.query_one("#topic", Select)
        wanted = None if (chosen.value is Select.NULL) else str(chosen.value)
        for entry in self.view.next_up:
            detail = self.view.details.get(entry.id)
            topic = detail.topic if detail else None
            quick = bool(detail and detail.quick)
            if wanted == QUICK and not quick:
                continue
            if wanted not in (None, QUICK) and topic != wanted:
                continue
            flags = " ".join(
                f for f, on_ in (("priority", entry.priority), ("needs", entry.needs)) if on_
            )
            table.add_row(
                entry.ticket,
                entry.service,
                minutes(entry.waiting_seconds),
                self.topic_names.get(topic or "", topic or "–"),
                ("quick " if quick else "") + flags,
                key=entry.ticket,
            )

    @on(Select.Changed, "#topic")
    def _filter(self) -> None:
        self._fill()

    @on(DataTable.RowSelected, "#tickets")
    def _picked(self, event: DataTable.RowSelected) -> None:
        if event.row_key.value:
            self.dismiss(str(event.row_key.value))

    @on(Input.Submitted, "#typed")
    def _typed(self, event: Input.Submitted) -> None:
        text = event.value.strip().upper()
        if text:
            self.dismiss(text)
