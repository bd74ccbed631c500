"""QR codes drawn with text: two module rows per line using half-block characters."""

from __future__ import annotations

import qrcode
from qrcode.constants import ERROR_CORRECT_M

# (top dark, bottom dark) -> character, when the character's foreground is the dark colour.
_HALF_BLOCKS = {
    (False, False): " ",
    (True, False): "▀",
    (False, True): "▄",
    (True, True): "█",
}


def qr_matrix(payload: str, *, quiet_zone: int = 4) -> list[list[bool]]:
    """The QR modules row by row, True for dark, with a light quiet zone around them."""
    code = qrcode.QRCode(border=quiet_zone, error_correction=ERROR_CORRECT_M)
    code.add_data(payload)
    code.make(fit=True)
    return [list(row) for row in code.get_matrix()]


def render_qr_lines(payload: str, *, quiet_zone: int = 4, invert: bool = False) -> list[str]:
    """The QR code as text lines, for dark text on a light background.

    Each character covers one module across and two down. On a terminal that shows light text
    on dark without explicit colours, pass `invert=True` so the printed blocks are the light
    modules and the code still reads dark-on-light.
    """
    matrix = qr_matrix(payload, quiet_zone=quiet_zone)
    if len(matrix) % 2:
        # Pad with a light row so the last line has a bottom half; it only widens the quiet zone.
        matrix.append([False] * len(matrix[0]))
    lines = []
    for top, bottom in zip(matrix[::2], matrix[1::2], strict=True):
        lines.append(
            "".join(
                _HALF_BLOCKS[(upper != invert, lower != invert)]
                for upper, lower in zip(top, bottom, strict=True)
            )
        )
    return lines


def lines_to_matrix(lines: list[str]) -> list[list[bool]]:
    """The modules a block of half-block text shows, True for dark (the inverse of rendering)."""
    top_dark, bottom_dark = "█▀", "█▄"
    matrix: list[list[bool]] = []
    for line in lines:
        matrix.append([character in top_dark for character in line])
        matrix.append([character in bottom_dark for character in line])
    return matrix
