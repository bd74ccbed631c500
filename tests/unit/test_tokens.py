import pytest

from frontdesk.services import tokens


def test_a_scan_token_never_looks_like_an_option(monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = iter(["-abc", "--xy", "Qz-9"])
    monkeypatch.setattr(tokens.secrets, "token_urlsafe", lambda n: next(drawn))
    assert tokens.scan_token(12) == "Qz-9"


def test_scan_tokens_are_url_safe_and_long_enough() -> None:
    seen = {tokens.scan_token(12) for _ in range(200)}
    assert len(seen) == 200
    assert all(len(t) == 16 and not t.startswith("-") for t in seen)


def test_ticket_tokens_carry_128_random_bits() -> None:
    assert tokens.TICKET_TOKEN_BYTES * 8 >= 128
    assert len(tokens.scan_token(tokens.TICKET_TOKEN_BYTES)) == 22


def test_a_tickets_qr_code_opens_its_page_when_the_council_has_one() -> None:
    assert tokens.status_url(None, "abc") is None
    assert tokens.status_url("https://q.example.gov.uk/", "abc") == "https://q.example.gov.uk/t/abc"
    assert tokens.ticket_qr_payload(None, "abc") == "abc"
    assert tokens.ticket_qr_payload("https://q.example.gov.uk", "abc") == (
        "https://q.example.gov.uk/t/abc"
    )
