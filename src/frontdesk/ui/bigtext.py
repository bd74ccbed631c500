"""Big letters and digits, legible across a waiting room: the board's calls and the
ticket number on the desk's customer card.

Ticket numbers carry letter prefixes (C042, H007) that Textual's `Digits` cannot draw, so
this widget draws a 5×7 dot font with half blocks (two dots per character cell) and picks
the largest scale that fits its region. Plain characters only: it works in a browser too.
"""

from __future__ import annotations

from rich.text import Text
from textual.geometry import Size
from textual.reactive import reactive
from textual.widget import Widget

_ROWS = 7
_GLYPHS = {
    "0": ["01110", "10001", "10011", "10101", "11001", "10001", "01110"],
    "1": ["00100", "01100", "00100", "00100", "00100", "00100", "01110"],
    "2": ["01110", "10001", "00001", "00010", "00100", "01000", "11111"],
    "3": ["11110", "00001", "00001", "01110", "00001", "00001", "11110"],
    "4": ["00010", "00110", "01010", "10010", "11111", "00010", "00010"],
    "5": ["11111", "10000", "11110", "00001", "00001", "10001", "01110"],
    "6": ["00110", "01000", "10000", "11110", "10001", "10001", "01110"],
    "7": ["11111", "00001", "00010", "00100", "01000", "01000", "01000"],
    "8": ["01110", "10001", "10001", "01110", "10001", "10001", "01110"],
    "9": ["01110", "10001", "10001", "01111", "00001", "00010", "01100"],
    "A": ["01110", "10001", "10001", "11111", "10001", "10001", "10001"],
    "B": ["11110", "10001", "10001", "11110", "10001", "10001", "11110"],
    "C": ["01110", "10001", "10000", "10000", "10000", "10001", "01110"],
    "D": ["11100", "10010", "10001", "10001", "10001", "10010", "11100"],
    "E": ["11111", "10000", "10000", "11110", "10000", "10000", "11111"],
    "F": ["11111", "10000", "10000", "11110", "10000", "10000", "10000"],
    "G": ["01110", "10001", "10000", "10111", "10001", "10001", "01111"],
    "H": ["10001", "10001", "10001", "11111", "10001", "10001", "10001"],
    "I": ["01110", "00100", "00100", "00100", "00100", "00100", "01110"],
    "J": ["00111", "00010", "00010", "00010", "00010", "10010", "01100"],
    "K": ["10001", "10010", "10100", "11000", "10100", "10010", "10001"],
    "L": ["10000", "10000", "10000", "10000", "10000", "10000", "11111"],
    "M": ["10001", "11011", "10101", "10101", "10001", "10001", "10001"],
    "N": ["10001", "10001", "11001", "10101", "10011", "10001", "10001"],
    "O": ["01110", "10001", "10001", "10001", "10001", "10001", "01110"],
    "P": ["11110", "10001", "10001", "11110", "10000", "10000", "10000"],
    "Q": ["01110", "10001", "10001", "10001", "10101", "10010", "01101"],
    "R": ["11110", "10001", "10001", "11110", "10100", "10010", "10001"],
    "S": ["01111", "10000", "10000", "01110", "00001", "00001", "11110"],
    "T": ["11111", "00100", "00100", "00100", "00100", "00100", "00100"],
    "U": ["10001", "10001", "10001", "10001", "10001", "10001", "01110"],
    "V": ["10001", "10001", "10001", "10001", "10001", "01010", "00100"],
    "W": ["10001", "10001", "10001", "10101", "10101", "10101", "01010"],
    "X": ["10001", "10001", "01010", "00100", "01010", "10001", "10001"],
    "Y": ["10001", "10001", "01010", "00100", "00100", "00100", "00100"],
    "Z": ["11111", "00001", "00010", "00100", "01000", "10000", "11111"],
    "-": ["00000", "00000", "00000", "11111", "00000", "00000", "00000"],
    " ": ["000", "000", "000", "000", "000", "000", "000"],
}
_UNKNOWN = ["11111", "10001", "10001", "10001", "10001", "10001", "11111"]
_HALF = {(False, False): " ", (True, False): "▀", (False, True): "▄", (True, True): "█"}


def dots(text: str, scale: int = 1) -> list[list[bool]]:
    """The text as rows of dots, each font dot `scale` dots square, one blank between."""
    rows: list[list[bool]] = [[] for _ in range(_ROWS * scale)]
    for index, character in enumerate(text.upper()):
        glyph = _GLYPHS.get(character, _UNKNOWN)
        for r, line in enumerate(glyph):
            cells = [bit == "1" for bit in line for _ in range(scale)]
            if index:
                cells = [False] * scale + cells
            for k in range(scale):
                rows[r * scale + k].extend(cells)
    return rows


def render_lines(text: str, scale: int = 1) -> list[str]:
    """Pack two rows of dots into each line of half blocks."""
    grid = dots(text, scale)
    if len(grid) % 2:
        grid.append([False] * len(grid[0]))
    return [
        "".join(_HALF[(a, b)] for a, b in zip(top, bottom, strict=True))
        for top, bottom in zip(grid[0::2], grid[1::2], strict=True)
    ]


def size_of(text: str, scale: int) -> tuple[int, int]:
    """(width, height) in cells of `text` at `scale`."""
    width = sum(len(_GLYPHS.get(c, _UNKNOWN)[0]) for c in text.upper()) + max(0, len(text) - 1)
    return width * scale, (_ROWS * scale + 1) // 2


class BigText(Widget):
    """`text` in big letters, as large as fits (at least scale 1; cropped beyond that)."""

    DEFAULT_CSS = """
    BigText {
        width: 1fr;
        height: 1fr;
        content-align: center middle;
    }
    """

    text: reactive[str] = reactive("", layout=True)

    def __init__(
        self, text: str = "", *, max_scale: int = 4, id: str | None = None, classes: str = ""
    ) -> None:
        super().__init__(id=id, classes=classes)
        self.max_scale = max_scale
        self.set_reactive(BigText.text, text)

    def scale_for(self, width: int, height: int) -> int:
        """The largest scale at which the text fits width × height."""
        best = 1
        for scale in range(1, self.max_scale + 1):
            w, h = size_of(self.text, scale)
            if w <= width and h <= height:
                best = scale
        return best

    def get_content_width(self, container: Size, viewport: Size) -> int:
        # Measured from the font, not by rendering: Textual's default renders the widget,
        # and render() asking for the widget's region in the middle of a layout made the
        # compositor arrange the whole screen a second time.
        return size_of(self.text, self.scale_for(container.width, container.height or 99))[0]

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        return size_of(self.text, self.scale_for(width, container.height or 99))[1]

    def render(self) -> Text:
        # The size the last layout gave the widget, less padding and border (cheap, where
        # `content_region` looks the widget up in the compositor's map).
        outer, gutter = self.outer_size, self.styles.gutter
        width, height = outer.width - gutter.width, outer.height - gutter.height
        if size_of(self.text, 1)[0] > width or size_of(self.text, 1)[1] > height:
            # Too long for big letters here (a long desk name): plain bold capitals.
            return Text(self.text.upper(), style="bold", no_wrap=True, overflow="ellipsis")
        scale = self.scale_for(width, height)
        return Text("\n".join(render_lines(self.text, scale)), no_wrap=True, overflow="crop")
