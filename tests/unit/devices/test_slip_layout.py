from __future__ import annotations

import zxingcpp
from escpos.printer import Dummy
from PIL import Image

from frontdesk.devices.escpos_stream import parse_commands, printed_text, qr_payloads, raster_images
from frontdesk.devices.slip import (
    SlipLabels,
    TicketSlip,
    render_slip_bytes,
    slip_profile,
    wait_text,
    write_slip,
)

SLIP = TicketSlip(
    centre_name="Civic Centre",
    ticket="C042",
    service_name="Council Tax",
    issued_at_text="10:42, Mon 2 Mar",
    estimated_wait_minutes=8,
    standard_line="We aim to see 95% of customers within 10 minutes",
    qr_payload="https://frontdesk.example/t/CIVIC/C042",
    kind="ticket",
    extra_lines=("Interpreter: Polish",),
)
DOUBLE_SIZE_BOLD = b"\x1b!\x30"  # ESC ! with double height (0x10) and double width (0x20)
FULL_CUT = b"\x1dV\x00"


def test_slip_starts_with_reset_and_ends_with_a_cut() -> None:
    data = render_slip_bytes(SLIP, "80mm")

    assert data.startswith(b"\x1b@")
    assert FULL_CUT in data[-8:]


def test_slip_prints_every_line_in_order() -> None:
    text = printed_text(render_slip_bytes(SLIP, "80mm"))

    expected = [
        "Civic Centre",
        "C042",
        "Council Tax",
        "Issued 10:42, Mon 2 Mar",
        "Estimated wait: about 8 minutes",
        "We aim to see 95% of customers within 10 minutes",
        "Interpreter: Polish",
        "Scan to follow your place in the queue",
    ]
    positions = [text.index(line) for line in expected]
    assert positions == sorted(positions)


def test_ticket_number_is_double_size_then_size_is_reset() -> None:
    data = render_slip_bytes(SLIP, "80mm")
    ticket_at = data.index(b"C042\n")
    size_changes = [index for index in range(len(data)) if data.startswith(b"\x1b!", index)]

    before = [index for index in size_changes if index < ticket_at]
    after = [index for index in size_changes if index > ticket_at]
    assert data[before[-1] : before[-1] + 3] == DOUBLE_SIZE_BOLD
    assert data[after[0] : after[0] + 3] == b"\x1b!\x00"


def test_native_qr_stores_the_payload() -> None:
    data = render_slip_bytes(SLIP, slip_profile("80mm", native_qr=True))

    assert qr_payloads(data) == [SLIP.qr_payload]
    assert raster_images(data) == []


def test_image_qr_is_a_raster_that_decodes_to_the_payload() -> None:
    data = render_slip_bytes(SLIP, slip_profile("80mm", native_qr=False))
    [image] = raster_images(data)
    rows = image.rows()
    picture = Image.new("L", (len(rows[0]), len(rows)), 255)
    picture.putdata([0 if dark else 255 for row in rows for dark in row])

    assert qr_payloads(data) == []
    assert image.width_bytes * 8 <= 576  # the 80 mm profile's printable width
    assert [code.text for code in zxingcpp.read_barcodes(picture, try_invert=False)] == [
        SLIP.qr_payload
    ]


def test_58mm_paper_wraps_long_lines_at_32_characters() -> None:
    text = printed_text(render_slip_bytes(SLIP, "58mm"))

    assert max(len(line) for line in text.splitlines()) <= 32
    assert "We aim to see 95% of customers" in text


def test_appointment_and_checkin_slips_say_what_they_are() -> None:
    appointment = printed_text(render_slip_bytes(_with_kind("appointment")))
    checkin = printed_text(render_slip_bytes(_with_kind("checkin")))

    assert "Appointment" in appointment
    assert "Checked in" in checkin
    assert "Appointment" not in printed_text(render_slip_bytes(SLIP))


def test_wait_line_wording() -> None:
    labels = SlipLabels()

    assert wait_text(None, labels) is None
    assert wait_text(0, labels) == "You should be seen very soon"
    assert wait_text(1, labels) == "Estimated wait: about 1 minute"
    assert wait_text(25, labels) == "Estimated wait: about 25 minutes"


def test_translated_labels_are_used() -> None:
    labels = SlipLabels(issued="Wedi'i roi", wait_minutes="Amser aros: tua {minutes} munud")

    text = printed_text(render_slip_bytes(SLIP, "80mm", labels))

    assert "Wedi'i roi 10:42" in text
    assert "Amser aros: tua 8 munud" in text


def test_render_matches_what_write_slip_sends() -> None:
    dummy = Dummy(profile="TM-T20II")
    write_slip(dummy, SLIP, slip_profile("80mm"))

    assert dummy.output == render_slip_bytes(SLIP, "80mm")
    assert parse_commands(dummy.output)


def _with_kind(kind: str) -> TicketSlip:
    from dataclasses import replace

    return replace(SLIP, kind=kind)  # type: ignore[arg-type]


def test_the_wait_is_printed_as_a_range_when_there_is_one() -> None:
    from dataclasses import replace

    ranged = printed_text(render_slip_bytes(replace(SLIP, wait_range=(10, 15)), "80mm"))
    short = printed_text(render_slip_bytes(replace(SLIP, wait_range=(0, 5)), "80mm"))
    assert "Estimated wait: about 10 to 15 minutes" in ranged
    assert "about 8 minutes" not in ranged
    assert "Estimated wait: less than 5 minutes" in short
