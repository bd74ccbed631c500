"""`serve web`'s settings from the environment: a bad value is one line naming it."""

from __future__ import annotations

import pytest

from frontdesk.errors import InvalidInput
from frontdesk.web.settings import WebSettings


def test_the_settings_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FRONTDESK_PUBLIC_BASE_URL", "https://queue.example.gov.uk/")
    monkeypatch.setenv("FRONTDESK_WEB_BURST", "12")
    monkeypatch.setenv("FRONTDESK_WEB_FRAME_ANCESTORS", "https://www.example.gov.uk")
    monkeypatch.setenv("FRONTDESK_LANGUAGE", "cy")
    got = WebSettings.from_environment()
    assert got.public_base_url == "https://queue.example.gov.uk"
    assert got.burst == 12 and got.language == "cy"
    assert got.frame_ancestors == "https://www.example.gov.uk"


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("FRONTDESK_WEB_BURST", "many"),
        ("FRONTDESK_WEB_POLL_SECONDS", "0"),
        ("FRONTDESK_WEB_FRAME_ANCESTORS", "https://x.example; script-src *"),
        ("FRONTDESK_PUBLIC_BASE_URL", "queue.example.gov.uk"),
    ],
)
def test_a_bad_setting_is_named(monkeypatch: pytest.MonkeyPatch, name: str, value: str) -> None:
    monkeypatch.setenv(name, value)
    with pytest.raises(InvalidInput, match=f"^{name}: "):
        WebSettings.from_environment()
