"""The supervisor's line in the desk console: breaches foreseen at this centre, notices
(comb the quick queries), and a move of this desk made from the dashboard. Checking it
also keeps the centre's breach alerts (`OversightService.keep_watch`)."""

from __future__ import annotations

import logging

from textual import work
from textual.message import Message
from textual.widgets import Static

from frontdesk.errors import FrontdeskError
from frontdesk.services.oversight import DeskNotice
from frontdesk.services.wiring import Services

log = logging.getLogger(__name__)


class SupervisorLine(Static):
    """Hidden when the supervisor has nothing to say. `check()` re-reads (the console
    calls it on every change of the store)."""

    # One row a line, cut with an ellipsis: at 80×24 the outcome form below must keep its
    # room however long the advice (the supervisor's view has it whole).
    DEFAULT_CSS = """
    SupervisorLine {
        height: auto; padding: 0 1; background: $warning 30%; text-style: bold;
        text-wrap: nowrap; text-overflow: ellipsis;
    }
    SupervisorLine.-quiet { display: none; }
    """
    SHOWN = 2  # lines shown; more are counted on a third

    class Moved(Message):
        """The supervisor changed this desk's services today (or their order)."""

        def __init__(self, services: tuple[str, ...]) -> None:
            super().__init__()
            self.services = services

    class _Read(Message):
        def __init__(self, notice: DeskNotice) -> None:
            super().__init__()
            self.notice = notice

    def __init__(self, services: Services, centre: str, desk: str, **kwargs: object) -> None:
        super().__init__("", classes="-quiet", **kwargs)  # type: ignore[arg-type]
        self.services = services
        self.centre = centre
        self.desk = desk
        self.lines: tuple[str, ...] = ()

    @work(thread=True, exclusive=True, group="supervisor-line")
    def check(self) -> None:
        # The desks keep the centre's alerts too: a warning must not wait for a
        # supervisor to open the dashboard. A failure here (a busy store) is left to the
        # next check, here or in another process: the adviser's console goes on. A fault
        # in the projection itself is logged, not shown: it is the supervisor's business,
        # and the adviser can do nothing about it.
        try:
            self.services.oversight.keep_watch(self.centre)
        except FrontdeskError:
            pass
        except Exception:
            log.exception("keeping the breach alerts of %s failed", self.centre)
        try:
            notice = self.services.oversight.desk_notice(self.centre, self.desk)
        except FrontdeskError:
            return  # the next change tries again
        self.post_message(self._Read(notice))

    def on_supervisor_line__read(self, event: _Read) -> None:
        event.stop()
        self.show(event.notice)

    def show(self, notice: DeskNotice) -> None:
        """Show what the supervisor says (hidden when nothing); a move of this desk is
        passed on as `Moved`."""
        if notice.lines != self.lines:
            self.lines = notice.lines
            shown = list(notice.lines[: self.SHOWN])
            if len(notice.lines) > self.SHOWN:
                shown.append(f"… and {len(notice.lines) - self.SHOWN} more from the supervisor")
            self.update("\n".join(shown))
            self.tooltip = "\n".join(notice.lines) or None
            self.set_class(not notice.lines, "-quiet")
        if notice.services is not None:
            self.post_message(self.Moved(notice.services))
