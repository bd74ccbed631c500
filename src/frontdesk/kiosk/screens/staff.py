"""Staff at the kiosk: the administrator's exit, and the greeter's log-in and queue view."""

from __future__ import annotations

from typing import Any

from textual import on, work
from textual.app import ComposeResult
from textual.message import Message
from textual.widgets import Input, Label, Static

from frontdesk.errors import FrontdeskError, StoreUnavailable
from frontdesk.kiosk import words
from frontdesk.kiosk.screens.base import KioskScreen
from frontdesk.services.results import QueueSnapshot
from frontdesk.services.staff import LoginRefused, StaffMember
from frontdesk.ui.i18n import _

SIGN_IN = "sign-in"
NEW_VISITOR = "new"
REFRESH = "refresh"
SIGN_OUT = "sign-out"
QUICK = "quick"


class StaffLoginScreen(KioskScreen):
    """Staff code and PIN, checked by the staff service (Argon2, lock-out, audit)."""

    show_language = False
    need_role = "adviser"

    class Checked(Message):
        def __init__(self, member: StaffMember | None, problem: str = "") -> None:
            super().__init__()
            self.member = member
            self.problem = problem

    def heading(self) -> str:
        return _("Staff sign-in")

    def body(self) -> ComposeResult:
        yield Label(_("Staff code"))
        yield Input(id="code", max_length=16)
        yield Label(_("PIN"))
        yield Input(id="pin", password=True, max_length=8)
        yield self.choice_grid([(_("Sign in"), SIGN_IN)])

    @on(Input.Submitted, "#code")
    def _next(self) -> None:
        self.query_one("#pin", Input).focus()

    @on(Input.Submitted, "#pin")
    def _submit(self) -> None:
        self.chosen(SIGN_IN)

    def chosen(self, value: Any) -> None:
        code = self.query_one("#code", Input).value
        pin = self.query_one("#pin", Input).value
        self.query_one("#pin", Input).value = ""
        self.check(code, pin)

    @work(thread=True, exclusive=True, group="kiosk-login")
    def check(self, code: str, pin: str) -> None:
        k = self.kiosk
        try:
            member = k.services.staff.login(code, pin, where=k.settings.station)
        except LoginRefused:
            self.post_message(self.Checked(None, _("Staff code or PIN not recognised.")))
            return
        except StoreUnavailable:
            self.post_message(self.Checked(None, _("We cannot reach our system just now.")))
            return
        except FrontdeskError:
            self.post_message(self.Checked(None, _("Staff code or PIN not recognised.")))
            return
        if not member.may(self.need_role):
            # The same answer as a wrong PIN: whoever is at the kiosk learns nothing
            # about which adviser codes and PINs are valid.
            self.post_message(self.Checked(None, _("Staff code or PIN not recognised.")))
            return
        self.post_message(self.Checked(member))

    def on_staff_login_screen_checked(self, message: Checked) -> None:
        if message.member is None:
            self.notice(message.problem)
            return
        self.accepted(message.member)

    def accepted(self, member: StaffMember) -> None:
        self.kiosk.staff = member
        self.app.switch_screen(GreeterHomeScreen())


class AdminExitScreen(StaffLoginScreen):
    """Opened by the configured key sequence; only a supervisor or admin can leave."""

    need_role = "supervisor"

    def heading(self) -> str:
        return _("Close the kiosk")

    def accepted(self, member: StaffMember) -> None:
        self.kiosk.services.staff.audit(member.code, "kiosk.exit", self.kiosk.settings.printer_id)
        self.app.exit()


class GreeterHomeScreen(KioskScreen):
    """The greeter's view: the queue now, and a new visitor."""

    can_go_back = False

    class Snapshot(Message):
        def __init__(self, snapshot: QueueSnapshot | None) -> None:
            super().__init__()
            self.snapshot = snapshot

    snapshot: QueueSnapshot | None = None

    def heading(self) -> str:
        name = self.kiosk.staff.name if self.kiosk.staff else ""
        return _("Greeter: {name}").format(name=name)

    def body(self) -> ComposeResult:
        yield Static(_("Loading the queue…"), id="queue", classes="lead")
        yield self.choice_grid(
            [
                (_("New visitor"), NEW_VISITOR),
                (_("Mark a quick query"), QUICK),
                (_("Refresh the queue"), REFRESH),
                (_("Sign out"), SIGN_OUT),
            ]
        )

    def on_mount(self) -> None:
        super().on_mount()
        self.load()
        if self.kiosk.settings.tick:
            self.set_interval(15, self.load)

    def on_screen_resume(self) -> None:
        super().on_screen_resume()
        self.load()

    @work(thread=True, exclusive=True, group="kiosk-queue")
    def load(self) -> None:
        k = self.kiosk
        try:
            snap = k.services.queue.snapshot(k.settings.centre)
        except FrontdeskError:
            snap = None
        self.post_message(self.Snapshot(snap))

    def on_greeter_home_screen_snapshot(self, message: Snapshot) -> None:
        self.snapshot = message.snapshot
        self.query_one("#queue", Static).update(words.queue_words(message.snapshot))

    def chosen(self, value: Any) -> None:
        if value == NEW_VISITOR:
            self.kiosk.start_visit()
            self.kiosk.show("services")
        elif value == QUICK:
            waiting = self.snapshot.waiting if self.snapshot is not None else ()
            self.kiosk.show("quick-query", waiting)
        elif value == REFRESH:
            self.load()
        else:
            self.kiosk.staff = None
            self.app.switch_screen(StaffLoginScreen())
