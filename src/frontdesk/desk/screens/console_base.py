"""The desk console's main screen, its frame: the layout, running service calls in
workers, the live queue, resuming after a restart, heartbeats and outcome drafts.
The actions on keys are in `frontdesk.desk.screens.console`."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from rich.cells import cell_len
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.reactive import Reactive
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Header, Static

from frontdesk.desk.messages import (
    ActionDone,
    ActionFailed,
    DeskContext,
    QueueRead,
    Resumed,
)
from frontdesk.desk.queue_view import DeskQueueView
from frontdesk.desk.reference import (
    DeskReference,
    newer_reference,
    read_queue,
    topic_choices,
)
from frontdesk.desk.screens.console_drafts import DraftKeeping
from frontdesk.desk.widgets.customer_card import CustomerCard
from frontdesk.desk.widgets.footer import DeskFooter
from frontdesk.desk.widgets.outcome_form import OutcomeForm
from frontdesk.desk.widgets.queue_panel import QueuePanel
from frontdesk.desk.widgets.supervisor_line import SupervisorLine
from frontdesk.errors import FrontdeskError, StoreUnavailable
from frontdesk.services.results import TicketAtDesk
from frontdesk.services.wiring import Services
from frontdesk.ui.live import StoreChanged, StoreLost, follow_store

HEARTBEAT_SECONDS = 30.0
# At most one queue re-read per this many seconds, whatever the rate of changes: with
# eight desks on one store every write anywhere would otherwise make every console read
# and redraw. The first change after a quiet spell is read at once, a burst ends with
# one trailing read, so the panel is still current within a second of a change.
QUEUE_READ_GAP = 0.4
# "Working…" shows only when the store is slow to answer: for a quick answer it was one
# more layout and frame between the key and the customer on the card.
WORKING_DELAY = 0.3


class ConsoleBase(DraftKeeping):
    # Textual repaints the whole screen whenever the focus moves; the widgets that gain
    # and lose focus restyle and repaint themselves anyway. The console moves the focus
    # on every arrival and completion, and a whole-screen repaint is a frame's worth of
    # CPU that the other consoles on the machine wait for.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    def __init__(self, services: Services, ctx: DeskContext, ref: DeskReference) -> None:
        super().__init__()
        self.services = services
        self.ctx = ctx
        self.ref = ref
        self.current: TicketAtDesk | None = None
        self.paused: str | None = None
        self.view: DeskQueueView | None = None
        self.busy = False
        self.retry_seconds = 3.0
        # The live queue: a re-read is wanted / in flight / held back until a gap passes
        # or the adviser's action is on screen; a view read while an action was pending.
        self._queue_stale = False
        self._queue_reading = False
        self._queue_timer: Timer | None = None
        self._queue_read_at = -QUEUE_READ_GAP
        self._queue_held: DeskQueueView | None = None
        self._working: Timer | None = None
        self._said: str | None = None
        # Actions started so far, and how many had started when the queue read in flight
        # began: only a read begun after the last action says who the desk holds now.
        self._actions = 0
        self._read_after = 0
        # The topic each waiting ticket chose at the kiosk, kept from the live queue so
        # the first query of the outcome form starts with it.
        self._chosen_topics: dict[int, str] = {}
        self._catalogue: object = None  # the catalogue `ref` was read with

    # -- layout -------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Header()
        yield Static(id="desk-status")
        yield SupervisorLine(self.services, self.ctx.centre, self.ctx.desk, id="supervisor-line")
        with Horizontal(id="main"):
            with VerticalScroll(id="queue-side"):
                yield QueuePanel(self.ref.timezone, id="queue")
            with Vertical(id="work"):
                yield CustomerCard(id="card")
                yield OutcomeForm(id="outcome")
        yield Static(id="message")
        yield DeskFooter()

    def on_mount(self) -> None:
        self._catalogue = self.services.queue.catalogue()  # as `ref` was read (cached)
        self.app.sub_title = f"{self.ref.centre_name} · desk {self.ctx.desk}"
        self._show_status()
        self.query_one(OutcomeForm).display = False
        self.run_worker(self._follow, thread=True, exclusive=True, group="live")
        self.set_interval(HEARTBEAT_SECONDS, self._heartbeat)
        self._resume()
        self.refresh_queue()
        self.query_one(SupervisorLine).check()

    def _follow(self) -> None:
        follow_store(self, self.services)

    def _show_status(self) -> None:
        state = f"PAUSED ({self.paused})" if self.paused else "OPEN"
        order = " › ".join(self.ctx.services)
        self.query_one("#desk-status", Static).update(
            f"Desk [b]{self.ctx.desk}[/b] · {self.ctx.staff_name} ({self.ctx.staff}) · "
            f"{order} · [b]{state}[/b]"
        )

    def say(self, text: str, problem: bool = False) -> None:
        """One line of feedback under the work area (and a toast for problems)."""
        message = self.query_one("#message", Static)
        message.set_class(problem, "problem")
        # One line replacing one line needs no new layout of the console (a layout of the
        # whole screen is most of what a key press costs).
        width = message.size.width
        one_line = self._said is not None and 0 < max(cell_len(self._said), cell_len(text)) <= width
        self._said = text
        message.update(text, layout=not one_line)

    # -- running service calls ------------------------------------------------------

    def perform(self, action: str, call: Callable[[], object], note: str = "") -> None:
        if self.busy:
            self.say("Still working on the last action…")
            return
        self.busy = True
        self._actions += 1
        self._working = self.set_timer(WORKING_DELAY, self._still_working)
        self._action(action, call, note)

    def _still_working(self) -> None:
        if self.busy:
            self.say("Working…")

    def _action_over(self) -> None:
        """The action's answer is shown: the queue may be redrawn and re-read now."""
        self.busy = False
        if self._working is not None:
            self._working.stop()
            self._working = None
        self.call_after_refresh(self._queue_resume)

    @work(thread=True, exclusive=True, group="action")
    def _action(self, action: str, call: Callable[[], object], note: str) -> None:
        try:
            result = call()
        except StoreUnavailable as exc:
            self.post_message(ActionFailed(action, str(exc), unavailable=True))
        except FrontdeskError as exc:
            self.post_message(ActionFailed(action, str(exc)))
        else:
            self.post_message(ActionDone(action, result, note))

    @on(ActionFailed)
    def _failed(self, event: ActionFailed) -> None:
        self._action_over()
        if event.unavailable:
            self.say(
                f"Cannot reach the store — nothing was lost, your form is kept. "
                f"Trying again in {self.retry_seconds:g} s… ({event.reason})",
                problem=True,
            )
            retry = self.retry_for(event.action)
            if retry is not None:
                self.set_timer(self.retry_seconds, lambda: retry())
            return
        self.say(event.reason, problem=True)
        self.notify(event.reason, severity="error", timeout=6)
        if event.action in ("recall", "start", "no_show", "complete", "transfer"):
            self._resume(keep_form=True)

    def retry_for(self, action: str) -> Callable[[], object] | None:
        """What to try again when the store was unreachable (the console says)."""
        return None

    # The ticket whose outcome form is built (the form survives a recall or a resume).

    def set_current(self, ticket: TicketAtDesk | None, draft: dict[str, Any] | None = None) -> None:
        """Show the customer the desk holds (or none) and the outcome form to match."""
        previous = self.current
        self.current = ticket
        card = self.query_one(CustomerCard)
        card.ticket = ticket
        form = self.query_one(OutcomeForm)
        if form.display and not (ticket and ticket.status == "serving"):
            # Let go of the field before the form hides: hidden with the focus in it,
            # Textual hands the focus to the next field, which hides too, so three fields
            # restyle instead of one.
            focused = self.focused
            if focused is not None and form in focused.ancestors:
                self.set_focus(None)
        if ticket is None:
            form.display = False
            form.clear()
            self._form_for = None
        else:
            serving = ticket.status == "serving"
            # The form is built when the customer arrives (or a draft comes back), not on
            # the call: the call is the moment the adviser waits for.
            if (serving or draft is not None) and (self._form_for != ticket.id or draft):
                topic = self._chosen_topics.get(ticket.id)
                if draft is None and topic:
                    draft = {"queries": [{"topic": topic}]}
                form.load(draft, topic_choices(self.ref, ticket.service))
                self._form_for = ticket.id
            elif self._form_for not in (None, ticket.id):
                form.clear()
                self._form_for = None
            form.display = serving
            if form.display and not (previous and previous.status == "serving"):
                # Focused now (the form's fields are kept from the last customer), so the
                # focus is drawn in the same frame as the form rather than one after it.
                self._focus_form()
        self.refresh_bindings()

    def _focus_form(self, tries: int = 20) -> None:
        forms = self.query_one(OutcomeForm).forms
        if not forms:
            return
        try:
            forms[0].query_one("#q-topic").focus()
        except NoMatches:  # just built: its fields are mounted on the next refresh
            if tries:
                self.call_after_refresh(self._focus_form, tries - 1)

    # -- live queue -----------------------------------------------------------------

    @on(StoreChanged)
    def _changed(self) -> None:
        self.refresh_queue()
        self.query_one(SupervisorLine).check()
        self._follow_reference()

    @work(thread=True, exclusive=True, group="reference")
    def _follow_reference(self) -> None:
        with contextlib.suppress(FrontdeskError):
            self._catalogue, ref = newer_reference(
                self.services, self.ctx.centre, self.ctx.desk, self._catalogue
            )
            if ref is not None:
                self.app.call_from_thread(setattr, self, "ref", ref)

    @on(SupervisorLine.Moved)
    def _moved(self, event: SupervisorLine.Moved) -> None:
        if event.services != self.ctx.services:
            self.ctx = replace(self.ctx, services=event.services)
            self._show_status()
            self.say(f"The supervisor moved this desk: now {' › '.join(event.services)}")
            self.refresh_queue()

    @on(StoreLost)
    def _lost(self, event: StoreLost) -> None:
        self.say(f"Live updates paused: cannot reach the store ({event.reason}).", True)

    def refresh_queue(self) -> None:
        """Re-read the queue soon: at once if nothing holds it back, else when it may."""
        self._queue_stale = True
        self._queue_next()

    def _queue_next(self) -> None:
        # One read in flight at a time, none while an action waits for the store (its
        # answer goes first: the adviser is looking at the key they pressed), and no
        # closer together than QUEUE_READ_GAP.
        if not self._queue_stale or self._queue_reading or self.busy:
            return
        if self._queue_timer is not None:
            return
        wait = self._queue_read_at + QUEUE_READ_GAP - time.monotonic()
        if wait > 0:
            self._queue_timer = self.set_timer(wait, self._queue_due)
            return
        self._queue_stale = False
        self._queue_reading = True
        self._queue_read_at = time.monotonic()
        self._read_after = self._actions
        self._read_queue()

    def _queue_due(self) -> None:
        self._queue_timer = None
        self._queue_next()

    def _queue_resume(self) -> None:
        if self.busy:
            return
        held, self._queue_held = self._queue_held, None
        if held is not None:
            self._show_queue(held)
        self._queue_next()

    @work(thread=True, exclusive=False, group="queue")
    def _read_queue(self) -> None:
        try:
            c = self.ctx
            view = read_queue(self.services, c.centre, c.services, self.ref, c.desk)
        except FrontdeskError:
            self.post_message(QueueRead(None))  # the next change or tick tries again
            return
        self.post_message(QueueRead(view))

    @on(QueueRead)
    def _queue_read(self, event: QueueRead) -> None:
        self._queue_reading = False
        if isinstance(event.view, DeskQueueView):
            if self.busy:
                self._queue_held = event.view  # drawn once the action's answer is
            else:
                self._show_queue(event.view)
                if self._read_after == self._actions:
                    self._follow_held(event.view)
        self._queue_next()

    def _follow_held(self, view: DeskQueueView) -> None:
        """Catch up with what someone else did to this desk's customer."""
        mine, held = self.current, view.held
        if mine is None:
            if held is not None:
                self._resume()  # called to this desk from elsewhere
        elif held is None or held.id != mine.id:
            self.moved_away(mine)
        elif held.status != mine.status:
            self._resume(keep_form=True)

    def _show_queue(self, view: DeskQueueView) -> None:
        self.view = view
        self.query_one(QueuePanel).view = view
        held = self.current.id if self.current else None
        self._chosen_topics = {
            k: v for k, v in self._chosen_topics.items() if k == held or k in view.details
        } | {d.id: d.topic for d in view.details.values() if d.topic}

    # -- resume, heartbeat ------------------------------------------------------

    @work(thread=True, exclusive=True, group="resume")
    def _resume(self, keep_form: bool = False) -> None:
        try:
            current = self.services.queue.current(self.ctx.centre, self.ctx.desk)
            draft = None
            if current is not None and not keep_form:
                draft = self.services.desks.draft(self.ctx.centre, self.ctx.desk, current.id)
        except FrontdeskError as exc:
            self.post_message(ActionFailed("resume", str(exc)))
            return
        self.post_message(ActionDone("resume", Resumed(current, draft)))

    @work(thread=True, exclusive=True, group="heartbeat")
    def _heartbeat(self) -> None:
        try:
            alive = self.services.desks.heartbeat(self.ctx.centre, self.ctx.desk, self.ctx.console)
        except FrontdeskError:
            return
        if not alive:
            self.post_message(ActionDone("taken_over", None))
