"""What have you come about (service, then topic), and what help you need."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input, Label

from frontdesk.kiosk.screens.base import KioskScreen
from frontdesk.kiosk.widgets import ChoiceButton
from frontdesk.ui.i18n import N_, _

SOMETHING_ELSE = ""
CONTINUE = "continue"
# Needs as the queue records them (frontdesk.services.results.NEEDS), with their words.
NEED_LABELS: tuple[tuple[str, str], ...] = (
    ("private-room", N_("A private room")),
    ("interpreter", N_("An interpreter")),
    ("bsl", N_("British Sign Language (BSL)")),
    ("hearing-loop", N_("A hearing loop")),
    ("step-free", N_("Step-free access")),
    ("priority", N_("Priority help")),
)
# The words for the usual languages; which are offered is the centres file's choice
# (`queue.interpreter_languages`), and one without words here is shown by its name.
INTERPRETER_LANGUAGES: tuple[tuple[str, str], ...] = (
    ("polish", N_("Polish")),
    ("romanian", N_("Romanian")),
    ("welsh", N_("Welsh")),
    ("arabic", N_("Arabic")),
    ("urdu", N_("Urdu")),
    ("punjabi", N_("Punjabi")),
    ("bengali", N_("Bengali")),
    ("portuguese", N_("Portuguese")),
)
OTHER_LANGUAGE = ("other", N_("Another language"))


def language_words(code: str) -> str:
    """An interpreter's language in the visitor's words: "polish" -> "Polski" in Polish."""
    return _(dict(INTERPRETER_LANGUAGES).get(code, code.capitalize()))


class ServicesScreen(KioskScreen):
    def heading(self) -> str:
        return _("What have you come about?")

    def body(self) -> ComposeResult:
        yield self.choice_grid((_(name), code) for code, name in self.kiosk.ref.services_here())

    def chosen(self, value: Any) -> None:
        self.kiosk.visit.service = str(value)
        self.kiosk.visit.topic = None
        self.app.push_screen(TopicsScreen())


class TopicsScreen(KioskScreen):
    def heading(self) -> str:
        return self.kiosk.ref.service_name(self.kiosk.visit.service or "")

    def subheading(self) -> str:
        return _("Which of these is closest?")

    def body(self) -> ComposeResult:
        topics = [
            (_(name), code) for code, name in self.kiosk.ref.topics_of(self.kiosk.visit.service)
        ]
        topics.append((_("Something else"), SOMETHING_ELSE))
        yield self.choice_grid(topics)

    def chosen(self, value: Any) -> None:
        self.kiosk.visit.topic = str(value) or None
        self.app.push_screen(NeedsScreen())


class NeedsScreen(KioskScreen):
    def heading(self) -> str:
        return _("Do you need any help?")

    def subheading(self) -> str:
        return _("Choose all that apply, then Continue.")

    def body(self) -> ComposeResult:
        visit = self.kiosk.visit
        buttons = []
        for n, (code, label) in enumerate(NEED_LABELS, start=1):
            checked = visit.priority is not None if code == "priority" else code in visit.needs
            buttons.append(
                ChoiceButton(self._label(code, label), key=str(n), value=code, checked=checked)
            )
        buttons.append(ChoiceButton(_("Continue"), key="7", value=CONTINUE, primary=True))
        from textual.containers import Grid

        yield Grid(*buttons, classes="choices")
        if self.kiosk.settings.greeter:
            yield Label(_("Note for the adviser (optional)"))
            yield Input(value=visit.note, id="note", max_length=200)

    def _label(self, code: str, label: str) -> str:
        visit = self.kiosk.visit
        if code == "interpreter" and "interpreter" in visit.needs and visit.interpreter:
            words = language_words(visit.interpreter)
            return f"{_(label)}: {words}"
        if code == "priority" and visit.priority:
            return f"{_(label)}: {_(self.kiosk.ref.priority_name(visit.priority))}"
        return _(label)

    def on_screen_resume(self) -> None:
        # Back from choosing an interpreter or a priority reason: show what was chosen.
        visit = self.kiosk.visit
        for button in self.body_choices():
            code = str(button.value)
            if code == CONTINUE:
                continue
            label = dict(NEED_LABELS)[code]
            button.label = self._label(code, label)
            button.checked = (
                visit.priority is not None if code == "priority" else (code in visit.needs)
            )
        super().on_screen_resume()

    def on_input_changed(self, event: Input.Changed) -> None:
        self.kiosk.visit.note = event.value

    def chosen(self, value: Any) -> None:
        visit = self.kiosk.visit
        code = str(value)
        if code == CONTINUE:
            self.kiosk.show("estimate")
            return
        button = next(b for b in self.body_choices() if b.value == code)
        if code == "priority":
            if visit.priority:
                visit.priority = None
                self.on_screen_resume()
            else:
                self.app.push_screen(PriorityScreen())
            return
        if code == "interpreter" and code not in visit.needs:
            self.app.push_screen(InterpreterScreen())
            return
        if code in visit.needs:
            visit.needs.discard(code)
            if code == "interpreter":
                visit.interpreter = None
        else:
            visit.needs.add(code)
        button.checked = code in visit.needs
        button.label = self._label(code, dict(NEED_LABELS)[code])


class InterpreterScreen(KioskScreen):
    def heading(self) -> str:
        return _("Which language should the interpreter speak?")

    def body(self) -> ComposeResult:
        offered = [(language_words(c), c) for c in self.kiosk.ref.interpreter_languages()]
        yield self.choice_grid([*offered, (_(OTHER_LANGUAGE[1]), OTHER_LANGUAGE[0])])

    def chosen(self, value: Any) -> None:
        visit = self.kiosk.visit
        visit.needs.add("interpreter")
        visit.interpreter = None if value == "other" else str(value)
        self.app.pop_screen()


class PriorityScreen(KioskScreen):
    def heading(self) -> str:
        return _("Why do you need priority help?")

    def subheading(self) -> str:
        return _("A member of staff may ask you about this.")

    def body(self) -> ComposeResult:
        yield self.choice_grid((_(name), code) for code, name in self.kiosk.ref.priorities())

    def chosen(self, value: Any) -> None:
        self.kiosk.visit.priority = str(value)
        self.app.pop_screen()
