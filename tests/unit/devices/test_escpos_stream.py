from __future__ import annotations

from frontdesk.devices.escpos_stream import (
    EscposCommand,
    EscposStreamParser,
    parse_commands,
    qr_payloads,
    raster_images,
)

STATUS = b"\x10\x04\x01"


def test_status_request_is_a_command_of_its_own() -> None:
    commands = parse_commands(b"hello\n" + STATUS + b"\x1dr\x01")

    assert commands == [
        EscposCommand(b"", data=b"hello\n"),
        EscposCommand(b"\x10\x04", params=b"\x01"),
        EscposCommand(b"\x1dr", params=b"\x01"),
    ]


def test_status_bytes_inside_image_data_are_data() -> None:
    image = b"\x1dv0\x00\x02\x00\x02\x00" + STATUS + b"\x00"

    commands = parse_commands(image + STATUS)

    assert [command.code for command in commands] == [b"\x1dv0", b"\x10\x04"]
    [raster] = raster_images(commands)
    assert (raster.width_bytes, raster.height, raster.bits) == (2, 2, STATUS + b"\x00")


def test_commands_split_across_chunks_are_reassembled() -> None:
    stream = b"\x1b@" + b"\x1d(k\x0b\x001P0C042-abc" + STATUS + b"\x1dV\x00"
    parser = EscposStreamParser()

    commands = [command for byte in stream for command in parser.feed(bytes([byte]))]

    assert qr_payloads(commands) == ["C042-abc"]
    assert commands[-1] == EscposCommand(b"\x1dV", params=b"\x00")
    assert EscposCommand(b"\x10\x04", params=b"\x01") in commands


def test_raster_rows_read_most_significant_bit_first() -> None:
    [raster] = raster_images(b"\x1dv0\x00\x01\x00\x01\x00\x81")

    assert raster.rows() == [[True, False, False, False, False, False, False, True]]
