"""Where the keyboard is in the desk console: the focused field of the outcome form stands
out from its neighbours (a bar of at least 3:1 contrast, measured from the styles and the
lines the console really draws), and Tab cycles through the form and through F10's
booking dialog in the order they are read."""

from __future__ import annotations

from textual.color import Color
from textual.geometry import Region
from textual.pilot import Pilot
from textual.widget import Widget
from textual.widgets import Label

from frontdesk.desk.app import DeskApp
from frontdesk.desk.screens.console import ConsoleScreen
from frontdesk.desk.screens.follow_up import FollowUpScreen
from frontdesk.desk.widgets.outcome_form import OutcomeForm
from frontdesk.desk.widgets.query_form import QueryForm
from frontdesk.services.wiring import Services
from tests.support.desk import open_console, until

FIELDS = [
    "q-topic",
    "q-resolved",
    "q-handoff",
    "q-detail",
    "q-avoidable",
    "q-feedback",
    "q-feedback_text",
    "q-seen_before",
]


def luminance(colour: Color) -> float:
    """WCAG 2 relative luminance."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(a: Color, b: Color) -> float:
    light, dark = sorted((luminance(a), luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def first_cell(widget: Widget) -> tuple[str, Color]:
    """The character and the colour that shows in the first cell of the widget's line: the
    text's colour where there is a character, else the background."""
    strip = widget.render_lines(Region(0, 0, widget.outer_size.width, 1))[0]
    segment = next(iter(strip))
    character = segment.text[:1]
    style = segment.style
    assert style is not None
    shown = style.color if character.strip() else style.bgcolor
    assert shown is not None
    return character, Color.from_rich_color(shown)


async def serving(pilot: Pilot[object], services: Services) -> ConsoleScreen:
    services.queue.issue("CIVIC", "HBEN")
    screen = await open_console(pilot)
    for key in ("f2", "f5"):
        await pilot.press(key)
        await pilot.pause()
        await until(pilot, lambda: not screen.busy)
    form = screen.query_one(OutcomeForm)
    await until(pilot, lambda: bool(form.forms) and bool(form.forms[0].children))
    return screen


async def test_the_focused_field_stands_out_from_its_neighbours(services: Services) -> None:
    app = DeskApp(services, "CIVIC", "1", console="focus-1")
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await serving(pilot, services)
        form = screen.query_one(OutcomeForm).forms[0]
        fields = [form.query_one(f"#{name}") for name in FIELDS]
        for focused in (fields[1], fields[3]):  # a choice and a text field
            focused.focus()
            await pilot.pause()
            await until(pilot, lambda f=focused: app.focused is f)  # type: ignore[misc]
            kind, colour = focused.styles.border_left
            assert kind != "blank" and colour.a == 1  # a bar, drawn solid
            bar_character, bar = first_cell(focused)
            assert bar_character.strip(), "the bar is drawn, not only coloured"
            assert bar == colour
            index = fields.index(focused)
            for neighbour in (fields[index - 1], fields[index + 1]):
                character, shown = first_cell(neighbour)
                assert not character.strip()  # no bar beside the others
                assert contrast(bar, shown) >= 3.0
            # ...and against the field's own background, which the bar sits on.
            assert contrast(bar, focused.background_colors[1]) >= 3.0
            # Its label is marked too (bold), the others' not.
            labels = [c for c in form.children if isinstance(c, Label)]
            marked = [label for label in labels if label.has_class("-focused")]
            assert marked == [form.children[form.children.index(focused) - 1]]


async def test_tab_goes_through_the_fields_in_order_and_round(services: Services) -> None:
    app = DeskApp(services, "CIVIC", "1", console="focus-2")
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await serving(pilot, services)
        form = screen.query_one(OutcomeForm).forms[0]
        form.query_one("#q-topic").focus()
        await pilot.pause()
        seen = [app.focused.id if app.focused else None]
        for _ in range(len(FIELDS) + 1):
            await pilot.press("tab")
            await pilot.pause()
            seen.append(app.focused.id if app.focused else None)
        # The form's fields top to bottom, then the queue beside them, then the form again
        # (the scrolling form itself is not a stop).
        assert seen == [*FIELDS, "queue-side", "q-topic"]


async def test_f10_tab_order_type_phone_slot_and_round(services: Services) -> None:
    app = DeskApp(services, "CIVIC", "1", console="focus-3")
    async with app.run_test(size=(110, 36)) as pilot:
        screen = await serving(pilot, services)
        form = screen.query_one(OutcomeForm).forms[0]
        form.query_one("#q-resolved").focus()
        await pilot.pause()
        await pilot.press("f10")
        await until(pilot, lambda: isinstance(app.screen, FollowUpScreen))
        await pilot.pause()
        seen = [app.focused.id if app.focused else None]
        for _ in range(3):
            await pilot.press("tab")
            await pilot.pause()
            seen.append(app.focused.id if app.focused else None)
        # Read and filled in this order; the console behind is never reached.
        assert seen == ["type", "phone", "slots", "type"]
        await pilot.press("shift+tab")
        await pilot.pause()
        assert app.focused is not None and app.focused.id == "slots"
        await pilot.press("escape")
        await until(pilot, lambda: app.screen is screen)
        await pilot.pause()
        # Back where the keyboard was before F10.
        assert app.focused is form.query_one("#q-resolved")
        assert isinstance(form, QueryForm)
