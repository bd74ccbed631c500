"""The centres file (TOML); the process's runtime settings are `frontdesk.settings`.

The centres file is a stable interface (DESIGN §4). It is validated whole before
anything is loaded: every error names the file, the table and the key, and a file with
errors loads nothing.
"""

from __future__ import annotations

import re
import tomllib
from datetime import date, time
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from frontdesk.config_languages import Languages, NamesByLanguage
from frontdesk.config_links import appointment_links
from frontdesk.errors import InvalidInput
from frontdesk.printer_config import PrinterConfigError, parse_printer_config

CODE = r"^[A-Z0-9][A-Z0-9-]{0,15}$"
DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")


class ConfigError(InvalidInput):
    """A centres file that cannot be loaded; the message names file, table and key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class StandardConfig(_Strict):
    threshold_minutes: float = Field(10, gt=0, le=24 * 60)
    target_share: float = Field(0.95, gt=0, le=1)
    average_wait_minutes: float | None = Field(None, gt=0)


class TopicConfig(_Strict):
    code: Annotated[str, Field(pattern=CODE)]
    name: Annotated[str, Field(min_length=1)]
    quick: bool = False
    self_service_url: str | None = None


class ServiceConfig(_Strict):
    code: Annotated[str, Field(pattern=CODE)]
    name: Annotated[str, Field(min_length=1)]
    prefix: Annotated[str, Field(pattern=r"^[A-Z]{1,2}$")]
    mean_handling_minutes: float = Field(6.0, gt=0, le=240)
    demand_share: float = Field(0.0, ge=0, le=1)
    topic: list[TopicConfig] = []


class DeskConfig(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=24)]
    services: Annotated[list[str], Field(min_length=1)]
    private_room: bool = False


class OpeningRange(_Strict):
    opens: time
    closes: time


def parse_hours(text: str) -> tuple[OpeningRange, ...]:
    """`08:30-17:00` or `09:00-12:30,13:30-16:00` → opening ranges."""
    ranges = []
    for part in text.split(","):
        m = re.fullmatch(r"\s*(\d{2}):(\d{2})-(\d{2}):(\d{2})\s*", part)
        if not m:
            raise ValueError(f"'{text}' is not HH:MM-HH:MM (several ranges separated by commas)")
        h1, m1, h2, m2 = (int(g) for g in m.groups())
        if h1 > 23 or h2 > 23 or m1 > 59 or m2 > 59:
            raise ValueError(f"'{part.strip()}' is not a time of day")
        opens, closes = time(h1, m1), time(h2, m2)
        if closes <= opens:
            raise ValueError(f"'{part.strip()}' closes before it opens")
        ranges.append(OpeningRange(opens=opens, closes=closes))
    return tuple(ranges)


class RoomConfig(_Strict):
    name: Annotated[str, Field(min_length=1, max_length=24)]


class KioskConfig(_Strict):
    """A visitor kiosk at a centre: its printer, idle timeout and administrator exit keys."""

    name: Annotated[str, Field(min_length=1, max_length=24)]
    printer: dict[str, Any] = {"type": "none"}
    idle_seconds: int = Field(45, ge=15, le=600)
    exit_keys: Annotated[list[str], Field(min_length=2, max_length=8)] = ["f9", "f9", "f9"]

    @field_validator("printer")
    @classmethod
    def _valid_printer(cls, value: dict[str, Any]) -> dict[str, Any]:
        try:
            parse_printer_config(value)
        except PrinterConfigError as exc:
            raise ValueError(str(exc)) from None
        return value


class CentreConfig(_Strict):
    code: Annotated[str, Field(pattern=CODE)]
    name: Annotated[str, Field(min_length=1)]
    address: str = ""
    timezone: str = "Europe/London"
    services: Annotated[list[str], Field(min_length=1)]
    standard: StandardConfig = StandardConfig()
    service_standards: dict[str, StandardConfig] = {}
    hours: dict[str, str] = {}
    closures: list[date] = []
    daily_visitors: int = Field(200, ge=0, le=100_000)
    # What the now-serving board's performance line covers: today, this week or month.
    board_period: Literal["today", "week", "month"] = "today"
    # The languages its board speaks, main one first (["cy", "en"] in Wales), and its
    # name per language where a translation or the grammar needs one ([centre.names.cy]).
    languages: Languages = ["en"]
    names: NamesByLanguage = {}
    desk: Annotated[list[DeskConfig], Field(min_length=1)]
    room: list[RoomConfig] = []
    kiosk: list[KioskConfig] = []
    # Who is e-mailed (once per episode) when the supervisor's view foresees a breach.
    supervisor_emails: list[Annotated[str, Field(pattern=r"^[^@\s,]+@[^@\s,]+\.[^@\s,]+$")]] = []

    @field_validator("timezone")
    @classmethod
    def _known_zone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"'{value}' is not an IANA time zone (e.g. Europe/London)") from None
        return value

    @field_validator("hours")
    @classmethod
    def _valid_hours(cls, value: dict[str, str]) -> dict[str, str]:
        for day, text in value.items():
            if day not in DAYS:
                raise ValueError(f"'{day}' is not a day (use {', '.join(DAYS)})")
            try:
                parse_hours(text)
            except ValueError as exc:
                raise ValueError(f"{day}: {exc}") from None
        return value

    def opening(self) -> dict[str, tuple[OpeningRange, ...]]:
        return {day: parse_hours(text) for day, text in self.hours.items()}


class PriorityConfig(_Strict):
    code: Annotated[str, Field(pattern=CODE)]
    name: Annotated[str, Field(min_length=1)]


INTERPRETER_LANGUAGES = (
    "polish",
    "romanian",
    "welsh",
    "arabic",
    "urdu",
    "punjabi",
    "bengali",
    "portuguese",
)


class QueueConfig(_Strict):
    priority_run_limit: int = Field(2, ge=0, le=100)
    no_show_grace_minutes: float = Field(15, ge=0, le=24 * 60)
    # A customer called across a busy room needs a moment to reach the desk: a no-show
    # can be marked this long after the call (or recall), not before.
    no_show_after_seconds: float = Field(60, ge=0, le=60 * 60)
    repeat_visit_days: int = Field(14, ge=1, le=365)
    fcr_target: float = Field(0.8, gt=0, le=1)
    # The languages an interpreter can be asked for (the need `interpreter:<language>`,
    # the kiosk's choices): lower-case English names.
    interpreter_languages: list[Annotated[str, Field(pattern=r"^[a-z][a-z -]{1,30}$")]] = Field(
        default_factory=lambda: list(INTERPRETER_LANGUAGES), max_length=40
    )


class CouncilConfig(_Strict):
    name: str = "Council"
    website: str | None = None
    # `frontdesk` commands that change the store or take personal data out ask for
    # --staff and that member's PIN (FRONTDESK_PIN or a prompt); see cli/identity.py.
    require_pin_for_cli: bool = False


def _check_days(value: dict[str, str]) -> dict[str, str]:
    for day, text in value.items():
        if day not in DAYS:
            raise ValueError(f"'{day}' is not a day (use {', '.join(DAYS)})")
        try:
            parse_hours(text)
        except ValueError as exc:
            raise ValueError(f"{day}: {exc}") from None
    return value


class AppointmentTypeConfig(_Strict):
    code: Annotated[str, Field(pattern=CODE)]
    name: Annotated[str, Field(min_length=1)]
    service: str  # the queue (and ticket prefix) a checked-in customer joins
    duration_minutes: int = Field(30, ge=5, le=480)
    buffer_minutes: int = Field(0, ge=0, le=120)
    skill: Annotated[str, Field(pattern=CODE)]
    private_room: bool = False
    by_phone: bool = False  # a phone callback: no room, the adviser rings the customer
    centres: Annotated[list[str], Field(min_length=1)]
    bookable_days: int = Field(28, ge=1, le=366)
    min_notice_minutes: int = Field(60, ge=0, le=60 * 24 * 14)


class WorkPatternConfig(_Strict):
    centre: str
    desk: str
    days: dict[str, str]

    @field_validator("days")
    @classmethod
    def _valid_days(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_days(value)


class SpecialistConfig(_Strict):
    code: Annotated[str, Field(pattern=CODE)]
    name: Annotated[str, Field(min_length=1)]
    skills: Annotated[list[str], Field(min_length=1)]
    pattern: Annotated[list[WorkPatternConfig], Field(min_length=1)]


class SurgeryConfig(_Strict):
    """A partner organisation's surgery held in a centre on set days."""

    code: Annotated[str, Field(pattern=CODE)]
    name: Annotated[str, Field(min_length=1)]
    partner: Annotated[str, Field(min_length=1)]
    appointment_type: str
    centre: str
    desk: str
    days: dict[str, str]

    @field_validator("days")
    @classmethod
    def _valid_days(cls, value: dict[str, str]) -> dict[str, str]:
        return _check_days(value)


class AppointmentRules(_Strict):
    checkin_early_minutes: float = Field(30, ge=0, le=240)
    checkin_late_minutes: float = Field(10, ge=0, le=240)
    no_show_after_minutes: float = Field(15, ge=0, le=240)
    contact_retention_days: int = Field(30, ge=1, le=3650)


class CentresFile(_Strict):
    council: CouncilConfig = CouncilConfig()
    queue: QueueConfig = QueueConfig()
    appointments: AppointmentRules = AppointmentRules()
    priority: list[PriorityConfig] = []
    service: Annotated[list[ServiceConfig], Field(min_length=1)]
    centre: Annotated[list[CentreConfig], Field(min_length=1)]
    appointment_type: list[AppointmentTypeConfig] = []
    specialist: list[SpecialistConfig] = []
    surgery: list[SurgeryConfig] = []


def _where(raw: dict[str, Any], loc: tuple[int | str, ...]) -> tuple[str, str]:
    """Turn a pydantic location into ('[[centre]] "CIVIC" > [[centre.desk]] "3"', 'key')."""
    tables: list[str] = []
    path: list[str] = []
    node: Any = raw
    key = ""
    i = 0
    while i < len(loc):
        part = loc[i]
        nxt = loc[i + 1] if i + 1 < len(loc) else None
        if isinstance(part, str) and isinstance(nxt, int) and isinstance(node, dict):
            items = node.get(part)
            path.append(part)
            item = items[nxt] if isinstance(items, list) and nxt < len(items) else None
            label = ""
            if isinstance(item, dict):
                ident = item.get("code", item.get("name"))
                label = f' "{ident}"' if ident is not None else f" #{nxt + 1}"
            else:
                if part in ("service", "centre", "priority", "desk", "topic") and item is None:
                    label = f" #{nxt + 1}"
                else:
                    key = f"{part}[{nxt}]"
                    break
            if isinstance(item, dict):
                tables.append(f"[[{'.'.join(path)}]]{label}")
                node = item
                i += 2
                continue
            key = f"{part}[{nxt}]"
            break
        key = ".".join(str(p) for p in loc[i:])
        break
    return (" > ".join(tables) or "top level"), key


def _problem(source: str, table: str, key: str, message: str) -> str:
    return f"{source}: {table}: key '{key}': {message}" if key else f"{source}: {table}: {message}"


def parse_centres(raw: dict[str, Any], source: str = "<config>") -> CentresFile:
    """Validate a parsed centres file; raise ConfigError listing every problem found."""
    try:
        cfg = CentresFile.model_validate(raw)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            table, key = _where(raw, tuple(err["loc"]))
            msg = err["msg"]
            if err["type"] == "extra_forbidden":
                msg = "not a known key"
            elif err["type"] == "missing":
                msg = "is required"
            problems.append(_problem(source, table, key, msg.removeprefix("Value error, ")))
        raise ConfigError("; ".join(problems)) from None
    problems = _cross_check(cfg, source)
    if problems:
        raise ConfigError("; ".join(problems))
    return cfg


def _dupes(values: list[str]) -> list[str]:
    seen: set[str] = set()
    return sorted({v for v in values if v in seen or seen.add(v)})  # type: ignore[func-returns-value]


def _cross_check(cfg: CentresFile, source: str) -> list[str]:
    problems: list[str] = []
    codes = [s.code for s in cfg.service]
    known = set(codes)
    for d in _dupes(codes):
        problems.append(_problem(source, f'[[service]] "{d}"', "code", "used twice"))
    for d in _dupes([s.prefix for s in cfg.service]):
        problems.append(_problem(source, "[[service]]", "prefix", f"'{d}' used by two services"))
    for d in _dupes([t.code for s in cfg.service for t in s.topic]):
        problems.append(_problem(source, "[[service.topic]]", "code", f"'{d}' used twice"))
    for d in _dupes([p.code for p in cfg.priority]):
        problems.append(_problem(source, f'[[priority]] "{d}"', "code", "used twice"))
    for d in _dupes([c.code for c in cfg.centre]):
        problems.append(_problem(source, f'[[centre]] "{d}"', "code", "used twice"))
    listing = ", ".join(codes)
    for centre in cfg.centre:
        where = f'[[centre]] "{centre.code}"'
        offered = set(centre.services)
        for code in centre.services:
            if code not in known:
                problems.append(
                    _problem(source, where, "services", f"unknown service '{code}' ({listing})")
                )
        for code in centre.service_standards:
            if code not in offered:
                problems.append(
                    _problem(source, where, f"service_standards.{code}", "not offered here")
                )
        for d in _dupes([desk.name for desk in centre.desk]):
            problems.append(_problem(source, f'{where} > [[centre.desk]] "{d}"', "name", "twice"))
        served: set[str] = set()
        for desk in centre.desk:
            dwhere = f'{where} > [[centre.desk]] "{desk.name}"'
            for code in desk.services:
                if code not in offered:
                    problems.append(
                        _problem(source, dwhere, "services", f"'{code}' is not offered here")
                    )
            for d in _dupes(desk.services):
                problems.append(_problem(source, dwhere, "services", f"'{d}' listed twice"))
            served.update(desk.services)
        for code in sorted(offered - served):
            if code in known:
                problems.append(
                    _problem(
                        source, where, "services", f"'{code}' is offered but no desk serves it"
                    )
                )
    return problems + appointment_links(cfg, source)


def load_centres(path: Path) -> CentresFile:
    """Read and validate a centres file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        # utf-8-sig: a byte-order mark (as some Windows editors write) is accepted.
        raw = tomllib.loads(data.decode("utf-8-sig"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from None
    except RecursionError:
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from None
    return parse_centres(raw, source=str(path))
