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
