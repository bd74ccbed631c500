"""The web face's settings: FRONTDESK_PUBLIC_BASE_URL and FRONTDESK_WEB_* variables."""

from __future__ import annotations

import re
from dataclasses import dataclass

from pydantic import Field, ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from frontdesk.errors import InvalidInput
from frontdesk.settings import load_settings


class _WebEnvironment(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FRONTDESK_WEB_", extra="ignore")

    rate_per_second: float = Field(10.0, gt=0, le=10_000)
    burst: int = Field(40, ge=1, le=100_000)
    max_body_bytes: int = Field(16 * 1024, ge=1024, le=10 * 1024 * 1024)
    frame_ancestors: str = "*"
    poll_seconds: int = Field(5, ge=2, le=60)

    @field_validator("frame_ancestors")
    @classmethod
    def _sources(cls, value: str) -> str:
        # CSP source expressions only: nothing that could end the directive or the header.
        if not re.fullmatch(r"[A-Za-z0-9:/*.'_\- ]*", value):
            raise ValueError("space-separated CSP sources, e.g. https://www.example.gov.uk")
        return value


@dataclass(frozen=True, slots=True)
class WebSettings:
    """How `serve web` behaves. Tests build one directly."""

    public_base_url: str | None = None
    language: str = "en"  # when neither ?lang= nor the browser's languages match
    # The live snapshot (every open ticket, every centre's waits) is re-read at most this
    # often, and only when the store has changed.
    refresh_seconds: float = 1.0
    # How long a request waits for a re-read it started before answering from the
    # snapshot in hand (None: until the read is done — tests, where each change must show).
    # Not at all by default: a phone asks every few seconds, the snapshot in hand is at
    # most a second or so old, and every request that came during a read used to wait
    # for it (the slowest hundredth of the phones' answers under load).
    refresh_patience_seconds: float | None = 0.0
    rate_per_second: float = 10.0  # per client address (token bucket)
    burst: int = 40
    max_body_bytes: int = 16 * 1024
    frame_ancestors: str = "*"  # who may embed /centres (CSP frame-ancestors sources)
    poll_seconds: int = 5  # how often the phone page asks for news

    @classmethod
    def from_environment(cls) -> WebSettings:
        base = load_settings()
        try:
            env = _WebEnvironment()
        except ValidationError as exc:
            err = exc.errors()[0]
            raise InvalidInput(
                f"FRONTDESK_WEB_{str(err['loc'][0]).upper()}: {err['msg']}"
            ) from None
        return cls(
            public_base_url=base.public_base_url,
            language=base.language,
            rate_per_second=env.rate_per_second,
            burst=env.burst,
            max_body_bytes=env.max_body_bytes,
            frame_ancestors=env.frame_ancestors.strip() or "'none'",
            poll_seconds=env.poll_seconds,
        )
