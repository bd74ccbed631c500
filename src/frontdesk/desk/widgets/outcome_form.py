"""The outcome form: one or more queries in a visit, kept as a draft on every change."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from textual import on
from textual.containers import VerticalScroll
from textual.message import Message
from textual.widgets import Input, Select

from frontdesk.desk.widgets.query_form import QueryForm, check_query
from frontdesk.services.results import Query


class OutcomeForm(VerticalScroll, can_focus=False):
    """The console sets `topics` and loads drafts; the form posts `Changed` on every edit.

    Not a Tab stop of its own (there is nothing to do there): Tab goes from field to field,
    and a focused field scrolls itself into view."""

    DEFAULT_CSS = """
    OutcomeForm { height: 1fr; }
    """

    class Changed(Message):
        def __init__(self, draft: dict[str, Any]) -> None:
            super().__init__()
            self.draft = draft

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.topics: list[tuple[str, str]] = []

    @property
    def forms(self) -> list[QueryForm]:
        # Not the ones being removed (removal finishes on a later tick).
        return [form for form in self.query(QueryForm) if not form._pruning]

    def load(self, draft: dict[str, Any] | None, topics: Sequence[tuple[str, str]]) -> None:
        """Show the draft (or one blank query) with these topic choices."""
        self.topics = list(topics)
        rows = list((draft or {}).get("queries") or [{}])
        # The query forms already built are refilled, not rebuilt: composing a form's
        # selects and inputs for every customer cost each console (and so every other
        # console on the machine) more CPU than anything else it did. Refilling them is
        # not an edit: no Changed, so no draft is saved for it.
        forms = self.forms
        with self.prevent(Select.Changed, Input.Changed):
            for form, values in zip(forms, rows, strict=False):
                form.reset(self.topics, values)
        for extra in forms[len(rows) :]:
            extra.remove()
        if len(rows) > len(forms):
            self.mount_all(
                QueryForm(n, self.topics, initial=values)
                for n, values in enumerate(rows[len(forms) :], start=len(forms) + 1)
            )

    def clear(self) -> None:
        """Back to one blank query (kept built for the next customer)."""
        forms = self.forms
        for extra in forms[1:]:
            extra.remove()
        if forms:
            with self.prevent(Select.Changed, Input.Changed):
                forms[0].reset(self.topics, None)

    def add_query(self) -> QueryForm:
        form = QueryForm(len(self.forms) + 1, self.topics)
        self.mount(form)
        self.call_after_refresh(form.focus_first)
        self.post_message(self.Changed(self.draft()))
        return form

    def remove_last(self) -> None:
        forms = self.forms
        if len(forms) > 1:
            forms[-1].remove()
            self.call_after_refresh(lambda: self.post_message(self.Changed(self.draft())))

    def draft(self) -> dict[str, Any]:
        return {"queries": [form.values() for form in self.forms]}

    def check(self) -> tuple[list[Query], list[str]]:
        """The queries filled in, and what is missing (empty if nothing is)."""
        queries: list[Query] = []
        missing: list[str] = []
        for form in self.forms:
            query, problems = check_query(form.values(), form.number)
            missing.extend(problems)
            if query is not None:
                queries.append(query)
        if not queries and not missing:
            missing.append("record at least one query: its topic and whether it was resolved")
        return queries, missing

    @on(QueryForm.Changed)
    def _changed(self, event: QueryForm.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self.draft()))
