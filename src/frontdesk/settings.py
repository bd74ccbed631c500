"""Runtime settings of a process, read from FRONTDESK_* environment variables (the
centres file is `frontdesk.config`)."""

from __future__ import annotations

import re
from pathlib import Path

import platformdirs
from pydantic import ValidationError, field_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

from frontdesk.errors import InvalidInput


class Settings(BaseSettings):
    """Process settings, read from FRONTDESK_* environment variables."""

    model_config = SettingsConfigDict(env_prefix="FRONTDESK_", extra="ignore")

    db: str | None = None  # SQLAlchemy URL; default: an SQLite file in the user data dir
    config: Path | None = None  # the centres file
    language: str = "en"
    # Where `frontdesk serve web` is reached from the Internet (https://queue.example.gov.uk):
    # tickets' QR codes then carry `{public_base_url}/t/{token}`, the visitor's page.
    public_base_url: str | None = None
    # This machine's `frontdesk` commands ask for --staff and the PIN (FRONTDESK_PIN or a
    # prompt) as if the centres file's `[council] require_pin_for_cli` were true.
    require_pin_for_cli: bool = False

    @field_validator("public_base_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        if value is None or not value.strip():
            return None
        value = value.strip().rstrip("/")
        if not re.fullmatch(r"https?://[^\s/?#]+(/[^\s?#]*)?", value):
            raise ValueError(
                f"'{value}' is not an http(s) address like https://queue.example.gov.uk"
            )
        return value

    def database_url(self) -> str:
        if self.db:
            return self.db
        folder = Path(platformdirs.user_data_dir("frontdesk"))
        folder.mkdir(parents=True, exist_ok=True)
        return f"sqlite:///{folder / 'frontdesk.db'}"


def load_settings() -> Settings:
    """The process's settings; a bad value is one line naming its variable."""
    try:
        return Settings()
    except ValidationError as exc:
        err = exc.errors()[0]
        name = f"FRONTDESK_{str(err['loc'][0]).upper()}" if err["loc"] else "FRONTDESK_*"
        raise InvalidInput(f"{name}: {err['msg'].removeprefix('Value error, ')}") from None
