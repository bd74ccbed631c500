"""One query's outcome in the desk console's outcome form."""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Any

from rich.cells import cell_len
from rich.console import RenderableType
from textual import events, on
from textual.app import ComposeResult
from textual.containers import Grid
from textual.message import Message
from textual.widget import Widget
from textual.widgets import Input, Label, Select, Static
from textual.widgets._select import NoSelection, SelectCurrent, SelectOverlay

from frontdesk.queue.measures import AVOIDABLE_CATEGORIES
from frontdesk.services.results import FEEDBACK_KINDS, Query

RESOLVED = (("Resolved here", "yes"), ("Not resolved", "no"))
HANDOFFS = (
    ("Back-office team", "back-office"),
    ("Appointment booked", "appointment"),
    ("Callback booked", "callback"),
    ("Referred elsewhere", "referral"),
    ("Other (say below)", "other"),
)
AVOIDABLE_NAMES = {
    "chasing": "Chasing progress",
    "council-error": "Council error",
    "could-self-serve": "Could self-serve",
    "wrong-place": "Wrong place",
}
BEFORE = (("Seen before about this", "yes"),)
FIELDS = (
    "topic",
    "resolved",
    "handoff",
    "detail",
    "avoidable",
    "feedback",
    "feedback_text",
    "seen_before",
)


def empty_values() -> dict[str, str]:
    return dict.fromkeys(FIELDS, "")


def check_query(values: dict[str, Any], number: int) -> tuple[Query | None, list[str]]:
    """The query the values record, or what is missing (a blank query is skipped)."""
    v = {k: str(values.get(k) or "").strip() for k in FIELDS}
    if not any(v.values()):
        return None, []
    missing = []
    if not v["topic"]:
        missing.append(f"query {number}: choose a topic")
    if v["resolved"] not in ("yes", "no"):
        missing.append(f"query {number}: say whether it was resolved")
    if v["resolved"] == "no" and not v["handoff"]:
        missing.append(f"query {number}: choose the hand-off (team, appointment, callback…)")
    if v["handoff"] == "other" and not v["detail"]:
        missing.append(f"query {number}: say where it was handed off to")
    if v["feedback_text"] and not v["feedback"]:
        missing.append(f"query {number}: is the feedback a complaint, compliment or comment?")
    if v["feedback"] == "complaint" and not v["feedback_text"]:
        missing.append(f"query {number}: write down the complaint")
    if missing:
        return None, missing
    handoff = None
    if v["resolved"] == "no":
        handoff = f"{v['handoff']}: {v['detail']}" if v["detail"] else v["handoff"]
    return (
        Query(
            resolved=v["resolved"] == "yes",
            topic=v["topic"],
            handoff=handoff,
            avoidable=v["avoidable"] or None,
            feedback=v["feedback"] or None,
            feedback_text=v["feedback_text"] or None,
            seen_before=v["seen_before"] == "yes",
        ),
        [],
    )


class _Current(SelectCurrent):
    """Textual's shown choice, which lays the screen out again only when the new text
    may not fit on the line the old one had: Textual's lays out the whole screen on every
    change of value, and the console changes values for every customer (filled in, then
    cleared for the next)."""

    _shown: str | None = None

    def update(self, label: RenderableType | NoSelection) -> None:
        self.label = label
        self.has_value = label is not Select.NULL
        text = self.placeholder if isinstance(label, NoSelection) else label
        shown = self.query_one("#label", Static)
        width = shown.size.width  # 1fr: the same whatever the text
        before, self._shown = self._shown, text if isinstance(text, str) else None
        one_line = (
            before is not None
            and self._shown is not None
            and 0 < max(cell_len(before), cell_len(self._shown)) <= width
        )
        shown.update(text, layout=not one_line)


class FormSelect(Select[str]):
    """A compact `Select` whose shown choice is updated without a layout (see `_Current`)."""

    def compose(self) -> ComposeResult:
        yield _Current(self.prompt)
        yield SelectOverlay(type_to_search=self._type_to_search).data_bind(compact=Select.compact)


class QueryForm(Grid):
    """Topic, resolved or not (and the hand-off), avoidable contact and feedback."""

    DEFAULT_CSS = """
    QueryForm {
        grid-size: 2; grid-columns: 10 1fr; grid-rows: 1; grid-gutter: 0 1;
        height: auto; padding: 0 0 1 0;
    }
    QueryForm Label { color: $text-muted; }
    QueryForm .title { color: $text; text-style: bold; column-span: 2; }
    /* Where the keyboard is: a bar in the accent colour beside the focused field (the
       compact fields' own cue, a shade of background, is all but invisible); every field
       keeps a blank cell there, so the text does not move when the focus does. */
    QueryForm > .field.-textual-compact { border-left: blank !important; }
    QueryForm > .field.-textual-compact:focus { border-left: thick $accent !important; }
    QueryForm > Label.-focused { color: $text; text-style: bold; }
    """

    class Changed(Message):
        """A field changed (the console saves the draft)."""

    def __init__(
        self,
        number: int,
        topics: Sequence[tuple[str, str]],
        initial: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(classes="query")
        self.number = number
        self.topics = list(topics)
        self.initial = {**empty_values(), **(initial or {})}

    def compose(self) -> ComposeResult:
        def select(field: str, options: Sequence[tuple[str, str]], prompt: str) -> Select[str]:
            value = self.initial.get(field) or Select.NULL
            if value not in {code for _, code in options}:
                value = Select.NULL
            return FormSelect(
                options, prompt=prompt, value=value, compact=True, id=f"q-{field}", classes="field"
            )

        def field_input(field: str, placeholder: str) -> Input:
            return Input(
                str(self.initial.get(field) or ""),
                placeholder=placeholder,
                compact=True,
                id=f"q-{field}",
                classes="field",
            )

        yield Label(f"Query {self.number}", classes="title")
        yield Label("Topic")
        yield select("topic", self.topics, "What was it about?")
        yield Label("Outcome")
        yield select("resolved", RESOLVED, "Resolved?")
        yield Label("Hand-off")
        yield select("handoff", HANDOFFS, "none")
        yield Label("Detail")
        yield field_input("detail", "team, booking reference, organisation…")
        yield Label("Avoidable")
        yield select(
            "avoidable", [(AVOIDABLE_NAMES.get(c, c), c) for c in AVOIDABLE_CATEGORIES], "no"
        )
        yield Label("Feedback")
        yield select("feedback", [(k.capitalize(), k) for k in FEEDBACK_KINDS], "none")
        yield Label("Said")
        yield field_input("feedback_text", "the complaint, compliment or comment")
        yield Label("Repeat")
        yield select("seen_before", BEFORE, "no")

    def reset(self, topics: Sequence[tuple[str, str]], initial: dict[str, Any] | None) -> None:
        """Show these topic choices and values (blank if none) in the fields already
        built: the console keeps its form from one customer to the next."""
        topics = list(topics)
        self.initial = {**empty_values(), **(initial or {})}
        if not self.children:  # not composed yet: it will compose from these
            self.topics = topics
            return
        if topics != self.topics:
            self.topics = topics
            self.query_one("#q-topic", Select).set_options(topics)
        for field in FIELDS:
            widget = self.query_one(f"#q-{field}")
            value = str(self.initial.get(field) or "")
            if isinstance(widget, Select):
                legal = {code for _, code in widget._options}
                chosen = value if value and value in legal else Select.NULL
                if widget.value != chosen:
                    widget.value = chosen
            elif isinstance(widget, Input) and widget.value != value:
                widget.value = value

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        self._mark_label(event.widget)

    def on_descendant_blur(self, event: events.DescendantBlur) -> None:
        self._mark_label(None)

    def _mark_label(self, focused: Widget | None) -> None:
        """The focused field's label in bold too (the field is the label's next sibling)."""
        field = focused
        while field is not None and field.parent is not self:
            field = field.parent if isinstance(field.parent, Widget) else None
        for label, after in pairwise(self.children):
            if isinstance(label, Label):
                label.set_class(field is not None and after is field, "-focused")

    def focus_first(self) -> None:
        self.scroll_visible()
        self.query_one("#q-topic").focus()

    def values(self) -> dict[str, str]:
        """The fields as plain text (the draft's shape)."""
        if not self.children:  # not composed yet: what it will show
            return {k: str(self.initial.get(k) or "") for k in FIELDS}
        out = empty_values()
        for field in FIELDS:
            widget = self.query_one(f"#q-{field}")
            if isinstance(widget, Select):
                out[field] = "" if (widget.value is Select.NULL) else str(widget.value)
            elif isinstance(widget, Input):
                out[field] = widget.value
        return out

    def set_values(self, **values: str) -> None:
        for field, value in values.items():
            widget = self.query_one(f"#q-{field}")
            if isinstance(widget, Select):
                widget.value = value or Select.NULL
            elif isinstance(widget, Input):
                widget.value = value

    @on(Select.Changed)
    @on(Input.Changed)
    def _changed(self, event: Message) -> None:
        event.stop()
        self.post_message(self.Changed())
