"""A QR code drawn in the terminal that phones can scan whatever the theme."""

from __future__ import annotations

from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

from frontdesk.devices.qr import render_qr_lines

# Fixed colours, not theme variables: a scanner needs dark modules on a light ground, and the
# quiet zone must stay light even on a dark or high-contrast theme.
QR_STYLE = Style(color="#000000", bgcolor="#ffffff")


class QRCode(Widget):
    """Shows `payload` as a QR code, one character per module across, two modules per line."""

    DEFAULT_CSS = """
    QRCode {
        width: auto;
        height: auto;
        background: #ffffff;
        color: #000000;
    }
    """

    payload: reactive[str] = reactive("", layout=True)

    def __init__(
        self,
        payload: str,
        *,
        quiet_zone: int = 2,
        lines: list[str] | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        """`lines`: `QRCode.lines_for(payload, quiet_zone)` made beforehand (in a worker), so
        the screen that shows the code does not spend its first frame encoding it."""
        super().__init__(name=name, id=id, classes=classes)
        # Two modules of quiet zone: the light margin is also padded by the widget's background.
        self._quiet_zone = quiet_zone
        self.set_reactive(QRCode.payload, payload)
        self._lines = list(lines) if lines is not None else self.lines_for(payload, quiet_zone)

    @staticmethod
    def lines_for(payload: str, quiet_zone: int = 2) -> list[str]:
        """The text lines that show `payload` (safe to call from a worker thread)."""
        return render_qr_lines(payload, quiet_zone=quiet_zone) if payload else []

    def show(self, payload: str, lines: list[str] | None = None) -> None:
        """Show another payload (`lines` as from `lines_for`, if made already)."""
        old_size = (len(self._lines[0]) if self._lines else 0, len(self._lines))
        self.set_reactive(QRCode.payload, payload)
        self._lines = self._render_lines(payload) if lines is None else list(lines)
        new_size = (len(self._lines[0]) if self._lines else 0, len(self._lines))
        self.refresh(layout=new_size != old_size)

    def _render_lines(self, payload: str) -> list[str]:
        return self.lines_for(payload, self._quiet_zone)

    def watch_payload(self, payload: str) -> None:
        self._lines = self._render_lines(payload)

    @property
    def lines(self) -> list[str]:
        """The text lines currently shown."""
        return list(self._lines)

    def get_content_width(self, container: Size, viewport: Size) -> int:
        return len(self._lines[0]) if self._lines else 0

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return len(self._lines)

    def render(self) -> Text:
        return Text("\n".join(self._lines), style=QR_STYLE, no_wrap=True, overflow="crop")
