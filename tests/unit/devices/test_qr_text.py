from __future__ import annotations

import pytest
import zxingcpp
from PIL import Image

from frontdesk.devices.qr import lines_to_matrix, qr_matrix, render_qr_lines


def decode(matrix: list[list[bool]], scale: int = 6) -> list[str]:
    """Draw dark modules black on white and read them, refusing inverted codes."""
    height, width = len(matrix), len(matrix[0])
    image = Image.new("L", (width, height), 255)
    image.putdata([0 if dark else 255 for row in matrix for dark in row])
    image = image.resize((width * scale, height * scale), Image.Resampling.NEAREST)
    return [code.text for code in zxingcpp.read_barcodes(image, try_invert=False)]


@pytest.mark.parametrize(
    "payload",
    ["https://frontdesk.example/t/CIVIC/C042", "A", "X" * 120, "Ticket C042 — Gwasanaethau"],
)
def test_text_qr_decodes_to_the_payload(payload: str) -> None:
    lines = render_qr_lines(payload)

    assert decode(lines_to_matrix(lines)) == [payload]


def test_only_half_blocks_and_spaces_are_used() -> None:
    lines = render_qr_lines("C042")

    assert set("".join(lines)) <= {" ", "▀", "▄", "█"}
    assert len({len(line) for line in lines}) == 1


def test_quiet_zone_is_light_on_every_side() -> None:
    lines = render_qr_lines("C042", quiet_zone=4)
    matrix = lines_to_matrix(lines)

    assert not any(matrix[0]) and not any(matrix[3])
    assert not any(row[0] or row[3] or row[-1] or row[-4] for row in matrix)


def test_two_module_rows_per_line_and_odd_rows_padded_light() -> None:
    modules = qr_matrix("C042", quiet_zone=4)  # 21 + 8 = 29 rows: odd
    lines = render_qr_lines("C042", quiet_zone=4)

    assert len(modules) % 2 == 1
    assert len(lines) == (len(modules) + 1) // 2
    assert lines_to_matrix(lines)[: len(modules)] == modules
    assert not any(lines_to_matrix(lines)[-1])


def test_inverted_rendering_draws_the_light_modules() -> None:
    lines = render_qr_lines("C042", invert=True)
    light_as_blocks = [[not dark for dark in row] for row in lines_to_matrix(lines)]

    assert decode(light_as_blocks) == ["C042"]
