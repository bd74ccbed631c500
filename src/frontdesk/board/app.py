"""The now-serving board: the latest call in very large type, the last few calls, a chime
(and, if asked, a spoken call-out) and the centre's standard with its figure for
today, this week or this month (the centre's `board_period`, read from the rollups).

It speaks the centre's `languages` (the centres file; English if none): the short labels
side by side, main language first ("Now serving · Nawr yn gwasanaethu"), the longer
sentences in turn, one language every ALTERNATE_SECONDS; a spoken call-out is said in
each of them, one after the other (Welsh then English, say).

No personal data ever: the board reads ticket numbers and desk names only."""

from __future__ import annotations

import io
from collections.abc import Sequence
from contextlib import suppress
from functools import partial
from typing import Any, Protocol

from textual import on, work
from textual.app import App, ComposeResult
from textual.containers import Horizontal, Vertical
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Label, Static

from frontdesk.board.widgets.calls import LatestCall, RecentCalls
from frontdesk.errors import FrontdeskError
from frontdesk.services.queue import CallShown
from frontdesk.services.results import StandardReport
from frontdesk.services.wiring import Services
from frontdesk.ui.grammar import centre_languages, centre_named
from frontdesk.ui.i18n import N_, in_language, side_by_side
from frontdesk.ui.live import StoreChanged, StoreLost, follow_store

SHOWN = 6
ALTERNATE_SECONDS = 8.0
RECONNECTING = N_("Reconnecting…")
RECENT_CALLS = N_("Recent calls")


class Announces(Protocol):
    """What the board needs of `frontdesk.devices.sound.Announcer` (a fake in tests)."""

    def announce(self, ticket: str, desk: str | int) -> object: ...

    def use_languages(self, languages: Sequence[str]) -> None: ...

    def close(self, timeout: float | None = 30.0) -> None: ...


class AppBell(io.StringIO):
    """A stream for the Announcer's bell that rings through Textual (works in a browser)
    instead of writing to standard output under the app."""

    def __init__(self, app: App[Any]) -> None:
        super().__init__()
        self.app = app

    def write(self, text: str) -> int:
        if "\a" in text:
            self.app.call_from_thread(self.app.bell)
        return len(text)

    def flush(self) -> None:
        return None


class _Calls(Message):
    def __init__(self, calls: list[CallShown]) -> None:
        super().__init__()
        self.calls = calls


class _Standard(Message):
    def __init__(self, report: StandardReport, period: str) -> None:
        super().__init__()
        self.report = report
        self.period = period


PERIOD_WORDS = {"today": N_("Today"), "week": N_("This week"), "month": N_("This month")}
NOBODY_YET = N_("{when}: nobody seen yet · our standard: {target} within {minutes} minutes")
SEEN = N_(
    "{when}: {share} seen within {minutes} minutes · "
    "our standard: {target} within {minutes} minutes"
)


def standard_line(report: StandardReport, period: str = "today", language: str = "en") -> str:
    """ "This month: 93% seen within 10 minutes · our standard: 95% within 10 minutes"."""
    values = {
        "when": in_language(language, PERIOD_WORDS.get(period, PERIOD_WORDS["today"])),
        "minutes": f"{report.threshold_minutes:g}",
        "target": f"{report.target_share:.0%}",
    }
    share = report.figures.share_within_standard
    if share is None:
        return in_language(language, NOBODY_YET).format(**values)
    return in_language(language, SEEN).format(share=f"{share:.0%}", **values)


class BoardApp(App[int]):
    CSS_PATH = "board.tcss"
    TITLE = "Now serving"
    # A TV has no one at a keyboard; nothing to invoke by accident.
    ENABLE_COMMAND_PALETTE = False

    def __init__(
        self,
        services: Services,
        centre: str,
        *,
        announcer: Announces | None = None,
        speech: bool = False,
    ) -> None:
        super().__init__()
        self.services = services
        self.centre = centre.strip().upper()
        self.speech = speech
        self.announcer = announcer
        self.last_event: int | None = None
        self.centre_name = self.centre
        self.timezone = "Europe/London"
        self.languages: tuple[str, ...] = ("en",)
        self.turn = 0  # which language the alternating sentences are in now
        self.standard: tuple[StandardReport, str] | None = None
        self.catalogue: object = None  # the centres file as last read (a new one: read again)

    @property
    def language_now(self) -> str:
        return self.languages[self.turn % len(self.languages)]

    def compose(self) -> ComposeResult:
        with Horizontal(id="top"):
            yield Label(self.centre, id="centre")
            yield Label("", id="problem")
        with Horizontal(id="body"):
            yield LatestCall(id="latest")
            with Vertical(id="side"):
                yield Label(RECENT_CALLS, id="recent-title")
                yield RecentCalls(id="recent")
        yield Static("", id="standard")

    def on_mount(self) -> None:
        if self.announcer is None:
            from frontdesk.devices.sound import Announcer

            self.announcer = Announcer(speech=self.speech, bell_stream=AppBell(self))
        self.set_interval(ALTERNATE_SECONDS, self.next_language)
        self._read_centre()
        self.run_worker(self._follow, thread=True, exclusive=True, group="live")

    def on_unmount(self) -> None:
        if self.announcer is not None:
            self.announcer.close(timeout=2)

    def _follow(self) -> None:
        follow_store(self, self.services)

    @work(thread=True, exclusive=True, group="centre")
    def _read_centre(self) -> None:
        try:
            where = self.services.queue.centre(self.centre)
            self.catalogue = catalogue = self.services.queue.catalogue()
            settings = catalogue.settings
        except FrontdeskError as exc:
            self.call_from_thread(self._problem, str(exc))
            return
        self.centre_name, self.timezone = where.name, where.timezone
        languages = centre_languages(settings, where.code)
        names = (
            centre_named(settings, where.code, where.name, code, partial(in_language, code))
            for code in languages
        )
        title = " · ".join(dict.fromkeys(str(name) for name in names))
        self.call_from_thread(self._speak, languages, title)
        self.call_from_thread(self._refresh_all)

    def _speak(self, languages: tuple[str, ...], title: str) -> None:
        """Show the labels in the centre's languages, and say the call-outs in them."""
        self.languages = languages
        if self.announcer is not None:
            self.announcer.use_languages(languages)
        with suppress(NoMatches):
            self.query_one("#centre", Label).update(title)
            self.query_one("#recent-title", Label).update(side_by_side(RECENT_CALLS, languages))
            self.query_one(LatestCall).languages = languages
        self._say_in_turn()

    def next_language(self) -> None:
        """The sentences in the next of the centre's languages (every ALTERNATE_SECONDS)."""
        if len(self.languages) > 1:
            self.turn = (self.turn + 1) % len(self.languages)
            self._say_in_turn()

    def _say_in_turn(self) -> None:
        with suppress(NoMatches):
            self.query_one(RecentCalls).language = self.language_now
            if self.standard is not None:
                line = standard_line(*self.standard, language=self.language_now)
                self.query_one("#standard", Static).update(line)

    def _refresh_all(self) -> None:
        self._read_calls()
        self._read_standard()

    def _problem(self, text: str) -> None:
        with suppress(NoMatches):
            self.query_one("#problem", Label).update(text)

    @on(StoreChanged)
    def _changed(self, event: StoreChanged) -> None:
        self._read_calls()
        self._read_standard()

    @on(StoreLost)
    def _lost(self, event: StoreLost) -> None:
        self._problem(side_by_side(RECONNECTING, self.languages))

    @work(thread=True, exclusive=True, group="calls")
    def _read_calls(self) -> None:
        try:
            calls = self.services.queue.recent_calls(self.centre, SHOWN)
        except FrontdeskError:
            self.call_from_thread(self._problem, side_by_side(RECONNECTING, self.languages))
            return
        self.post_message(_Calls(calls))

    @work(thread=True, exclusive=True, group="standard")
    def _read_standard(self) -> None:
        try:
            if self.catalogue is not None and self.services.queue.catalogue() is not self.catalogue:
                # `init` ran again (the centre's languages or names may have changed).
                self.call_from_thread(self._read_centre)
            # From the rollups (caught up first): cheap whatever the period's length.
            period, report = self.services.reports.board_figure(self.centre)
        except FrontdeskError:
            return
        self.post_message(_Standard(report, period))

    @on(_Calls)
    def _show_calls(self, event: _Calls) -> None:
        if not self.query("#latest-ticket"):
            return  # the board is closing
        self._problem("")
        calls = event.calls
        latest = self.query_one(LatestCall)
        latest.call = calls[0] if calls else None
        self.query_one(RecentCalls).calls = tuple(calls[1:])
        newest = calls[0].event if calls else 0
        if self.last_event is not None and newest > self.last_event:
            # Announce each new call in order; the first read only sets the mark.
            for call in sorted(calls, key=lambda c: c.event):
                if call.event > self.last_event and self.announcer is not None:
                    self.announcer.announce(call.ticket, call.desk)
            latest.add_class("fresh")
            self.set_timer(8, lambda: latest.remove_class("fresh"))
        self.last_event = newest

    @on(_Standard)
    def _show_standard(self, event: _Standard) -> None:
        # A slow report can answer after the board has begun to close: nothing to show.
        self.standard = (event.report, event.period)
        self._say_in_turn()
