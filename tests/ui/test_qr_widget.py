from __future__ import annotations

import zxingcpp
from PIL import Image
from rich.color import Color
from textual.app import App, ComposeResult

from frontdesk.devices.qr import lines_to_matrix, render_qr_lines
from frontdesk.kiosk.widgets.qr_code import QRCode

PAYLOAD = "https://frontdesk.example/t/CIVIC/7f3a9c"


class QRApp(App[None]):
    def compose(self) -> ComposeResult:
        yield QRCode(PAYLOAD, id="ticket-qr")


def decode(lines: list[str]) -> list[str]:
    matrix = lines_to_matrix(lines)
    image = Image.new("L", (len(matrix[0]), len(matrix)), 255)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    image = image.resize((image.width * 6, image.height * 6), Image.Resampling.NEAREST)
    return [code.text for code in zxingcpp.read_barcodes(image, try_invert=False)]


async def test_widget_shows_a_scannable_code_at_its_natural_size() -> None:
    app = QRApp()
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        widget = app.query_one("#ticket-qr", QRCode)
        lines = render_qr_lines(PAYLOAD, quiet_zone=2)

        assert widget.lines == lines
        assert (widget.size.width, widget.size.height) == (len(lines[0]), len(lines))
        assert decode([widget.render_line(y).text for y in range(widget.size.height)]) == [PAYLOAD]


async def test_widget_colours_are_black_on_white_in_any_theme() -> None:
    app = QRApp()
    async with app.run_test(size=(100, 50)) as pilot:
        for theme in ("textual-dark", "textual-light"):
            app.theme = theme
            await pilot.pause()
            widget = app.query_one(QRCode)
            styles = {segment.style for segment in widget.render_line(0) if segment.style}

            assert styles
            for style in styles:
                assert style.color is not None and style.bgcolor is not None
                assert style.color.get_truecolor() == Color.parse("#000000").get_truecolor()
                assert style.bgcolor.get_truecolor() == Color.parse("#ffffff").get_truecolor()


async def test_changing_the_payload_redraws_and_resizes() -> None:
    app = QRApp()
    async with app.run_test(size=(120, 60)) as pilot:
        widget = app.query_one(QRCode)
        longer = "https://frontdesk.example/appointments/check-in/" + "x" * 80

        widget.payload = longer
        await pilot.pause()

        assert widget.lines == render_qr_lines(longer, quiet_zone=2)
        assert widget.size.height == len(widget.lines)
        assert decode([widget.render_line(y).text for y in range(widget.size.height)]) == [longer]
