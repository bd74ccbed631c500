"""Reading an ESC/POS byte stream back: commands, QR payloads and raster images.

Used by the fake printer to spot real-time status requests without mistaking image or QR data
for commands, and by tests and demos to see what a slip would look like.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

ESC, GS, DLE, FS = 0x1B, 0x1D, 0x10, 0x1C
EOT = 0x04
TEXT = b""

# Parameter bytes after ESC x / GS x / FS x for the fixed-length commands; a command not listed
# takes one parameter, which is true of most of ESC/POS.
_ESC_PARAMS = {
    b"@": 0,
    b"2": 0,
    b"<": 0,
    b"L": 0,
    b"S": 0,
    b"i": 0,
    b"m": 0,
    b"$": 2,
    b"\\": 2,
    b"p": 3,
    b"W": 8,
    b"c": 2,
}
_GS_PARAMS = {b"L": 2, b"W": 2, b"P": 2, b"$": 2, b"\\": 2, b"^": 3, b"Z": 1}
_FS_PARAMS = {b".": 0, b"&": 0, b"S": 2, b"p": 2}


@dataclass(frozen=True)
class EscposCommand:
    """One command: `code` such as b"\\x1dv0" (empty for plain text), its parameters and data."""

    code: bytes
    params: bytes = b""
    data: bytes = b""


@dataclass(frozen=True)
class RasterImage:
    """A `GS v 0` raster bit image: `width_bytes` * 8 dots wide, one bit per dot, 1 = black."""

    width_bytes: int
    height: int
    bits: bytes

    def rows(self) -> list[list[bool]]:
        """Dots row by row, True where the printer would burn black."""
        rows = []
        for y in range(self.height):
            line = self.bits[y * self.width_bytes : (y + 1) * self.width_bytes]
            rows.append([bool(byte & (0x80 >> bit)) for byte in line for bit in range(8)])
        return rows


class EscposStreamParser:
    """Splits a byte stream into commands as it arrives; keeps incomplete ones for later."""

    def __init__(self) -> None:
        self._pending = bytearray()

    def feed(self, chunk: bytes) -> list[EscposCommand]:
        self._pending += chunk
        commands: list[EscposCommand] = []
        position = 0
        buffer = bytes(self._pending)
        while position < len(buffer):
            parsed = _parse_one(buffer, position)
            if parsed is None:
                break
            command, position = parsed
            commands.append(command)
        del self._pending[:position]
        return commands


def parse_commands(stream: bytes) -> list[EscposCommand]:
    """All complete commands in a recorded stream."""
    return EscposStreamParser().feed(stream)


def qr_payloads(stream: bytes | Iterable[EscposCommand]) -> list[str]:
    """The data stored with `GS ( k` QR "store" (cn 49, fn 80) commands, in order."""
    commands = parse_commands(stream) if isinstance(stream, bytes | bytearray) else stream
    return [
        command.data[3:].decode("utf-8")
        for command in commands
        if command.code == b"\x1d(k" and command.data[:3] == b"1P0"
    ]


def raster_images(stream: bytes | Iterable[EscposCommand]) -> list[RasterImage]:
    """Every `GS v 0` raster image in the stream, in order."""
    commands = parse_commands(stream) if isinstance(stream, bytes | bytearray) else stream
    images = []
    for command in commands:
        if command.code == b"\x1dv0":
            width = command.params[1] + 256 * command.params[2]
            height = command.params[3] + 256 * command.params[4]
            images.append(RasterImage(width, height, command.data))
    return images


def printed_text(stream: bytes) -> str:
    """The plain text of a stream (code page 437 is close enough for tests and previews)."""
    return "".join(
        command.data.decode("cp437") for command in parse_commands(stream) if command.code == TEXT
    )


def _parse_one(buffer: bytes, start: int) -> tuple[EscposCommand, int] | None:
    """Parse the command at `start`; None when more bytes are needed."""
    first = buffer[start]
    if first in (ESC, GS, FS):
        return _parse_prefixed(buffer, start)
    if first == DLE and start + 1 < len(buffer) and buffer[start + 1] in (EOT, 0x05, 0x14):
        # DLE EOT n and DLE ENQ n take one byte; DLE DC4 fn takes fn plus two.
        size = 3 if buffer[start + 1] != 0x14 else 5
        return _fixed(buffer, start, 2, size - 2)
    if first == DLE and start + 1 >= len(buffer):
        return None
    end = start + 1
    while end < len(buffer) and buffer[end] not in (ESC, GS, FS, DLE):
        end += 1
    return EscposCommand(TEXT, data=buffer[start:end]), end


def _fixed(
    buffer: bytes, start: int, code_length: int, param_count: int
) -> tuple[EscposCommand, int] | None:
    end = start + code_length + param_count
    if end > len(buffer):
        return None
    code = buffer[start : start + code_length]
    return EscposCommand(code, params=buffer[start + code_length : end]), end


def _with_data(
    buffer: bytes, start: int, code_length: int, param_count: int, data_length: int
) -> tuple[EscposCommand, int] | None:
    params_end = start + code_length + param_count
    end = params_end + data_length
    if end > len(buffer):
        return None
    code = buffer[start : start + code_length]
    return EscposCommand(
        code, buffer[start + code_length : params_end], buffer[params_end:end]
    ), end


def _parse_prefixed(buffer: bytes, start: int) -> tuple[EscposCommand, int] | None:
    if start + 1 >= len(buffer):
        return None
    prefix, letter = buffer[start], buffer[start + 1 : start + 2]
    available = len(buffer) - start

    def byte_at(offset: int) -> int | None:
        return buffer[start + offset] if offset < available else None

    if prefix == GS and letter in (b"(", b"8"):
        # GS ( fn pL pH data and GS 8 L p1 p2 p3 p4 data: length-prefixed blocks.
        size_bytes = 2 if letter == b"(" else 4
        if available < 3 + size_bytes:
            return None
        size = int.from_bytes(buffer[start + 3 : start + 3 + size_bytes], "little")
        return _with_data(buffer, start, 3, size_bytes, size)
    if prefix == GS and letter == b"v":
        if available < 8:
            return None
        width = buffer[start + 4] + 256 * buffer[start + 5]
        height = buffer[start + 6] + 256 * buffer[start + 7]
        return _with_data(buffer, start, 3, 5, width * height)
    if prefix == GS and letter == b"V":
        mode = byte_at(2)
        if mode is None:
            return None
        return _fixed(buffer, start, 2, 2 if mode in (65, 66, 97, 98, 103, 104) else 1)
    if prefix == GS and letter == b"k":
        return _parse_barcode(buffer, start)
    if prefix == ESC and letter == b"*":
        mode, low, high = byte_at(2), byte_at(3), byte_at(4)
        if mode is None or low is None or high is None:
            return None
        columns = low + 256 * high
        return _with_data(buffer, start, 2, 3, columns * (3 if mode in (32, 33) else 1))
    if prefix == ESC and letter == b"D":
        end = buffer.find(b"\x00", start + 2)
        return None if end < 0 else (EscposCommand(b"\x1bD", buffer[start + 2 : end]), end + 1)
    table = {ESC: _ESC_PARAMS, GS: _GS_PARAMS, FS: _FS_PARAMS}[prefix]
    return _fixed(buffer, start, 2, table.get(letter, 1))


def _parse_barcode(buffer: bytes, start: int) -> tuple[EscposCommand, int] | None:
    if start + 2 >= len(buffer):
        return None
    system = buffer[start + 2]
    if system <= 6:  # NUL-terminated data
        end = buffer.find(b"\x00", start + 3)
        if end < 0:
            return None
        return EscposCommand(b"\x1dk", bytes([system]), buffer[start + 3 : end]), end + 1
    if start + 3 >= len(buffer):
        return None
    return _with_data(buffer, start, 2, 2, buffer[start + 3])
