"""Plan files for `frontdesk simulate --plan FILE`: either the JSON object
`frontdesk staffing --json` prints (saved as it is), or a small TOML rota:

```toml
centre = "CIVIC"                       # optional: else the command's --centre
date = "2026-12-07"                    # optional: else --date, else the next open day
desks = "08:30-10=6,10-12=8,12-17=5"   # as `frontdesk staffing --desks`
```

From the JSON, each hour's `desks` (and `open_desks`, when present, so the replay opens
exactly the desks the plan meant) and `forecast_arrivals` are used; the day is the one
named by --date, else the plan's first.
"""

from __future__ import annotations

import json
import tomllib
from dataclasses import dataclass
from datetime import date
from typing import Any

from frontdesk.errors import InvalidInput


@dataclass(frozen=True, slots=True)
class PlannedHour:
    start: int  # minutes after local midnight
    desks: int
    open_desks: tuple[str, ...] | None
    forecast_arrivals: float | None
    projected_share: float | None


@dataclass(frozen=True, slots=True)
class PlannedDay:
    day: date | None
    hours: tuple[PlannedHour, ...] | None  # from a staffing plan
    rota: str | None  # from a TOML rota


@dataclass(frozen=True, slots=True)
class PlanFile:
    centre: str | None
    days: tuple[PlannedDay, ...]

    def pick(self, wanted: date | None, source: str) -> PlannedDay:
        """The day to replay: `wanted`, else the plan's first (a rota fits any day)."""
        if wanted is None:
            return self.days[0]
        for d in self.days:
            if d.day is None or d.day == wanted:
                return d
        listed = ", ".join(d.day.isoformat() for d in self.days if d.day is not None)
        raise InvalidInput(f"--plan {source}: no day {wanted} in the plan (it has {listed})")


def parse_plan(text: str, source: str) -> PlanFile:
    """Read a plan file's text; errors name the file and the key."""
    stripped = text.lstrip()
    if stripped.startswith("{"):
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise InvalidInput(f"--plan {source}: not valid JSON: {exc}") from None
        return _from_json(data, source)
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InvalidInput(
            f"--plan {source}: neither a staffing plan (JSON) nor a TOML rota: {exc}"
        ) from None
    return _from_toml(raw, source)


def _from_toml(raw: dict[str, Any], source: str) -> PlanFile:
    unknown = sorted(set(raw) - {"centre", "date", "desks"})
    if unknown:
        raise InvalidInput(f"--plan {source}: key '{unknown[0]}': not a known key")
    desks = raw.get("desks")
    if not isinstance(desks, str) or not desks.strip():
        raise InvalidInput(f"--plan {source}: key 'desks': is required, e.g. \"09-12=4,12-17=3\"")
    return PlanFile(
        centre=_centre(raw.get("centre"), source),
        days=(PlannedDay(_date(raw.get("date"), source, "date"), None, desks),),
    )


def _from_json(data: Any, source: str) -> PlanFile:
    if not isinstance(data, dict) or not isinstance(data.get("days"), list):
        raise InvalidInput(f"--plan {source}: key 'days': is required (a staffing --json plan)")
    if not data["days"]:
        raise InvalidInput(f"--plan {source}: key 'days': the plan has no opening day")
    days = []
    for i, d in enumerate(data["days"]):
        where = f"days[{i}]"
        if not isinstance(d, dict) or not isinstance(d.get("hours"), list) or not d["hours"]:
            raise InvalidInput(f"--plan {source}: {where}: key 'hours': is required")
        hours = []
        for j, h in enumerate(d["hours"]):
            hours.append(_hour(h, source, f"{where}.hours[{j}]"))
        days.append(PlannedDay(_date(d.get("date"), source, f"{where}.date"), tuple(hours), None))
    return PlanFile(centre=_centre(data.get("centre"), source), days=tuple(days))


def _hour(h: Any, source: str, where: str) -> PlannedHour:
    if not isinstance(h, dict):
        raise InvalidInput(f"--plan {source}: {where}: not an object")
    label = h.get("hour")
    try:
        hh, mm = str(label).split(":")
        start = int(hh) * 60 + int(mm)
        if not (0 <= int(hh) < 24 and 0 <= int(mm) < 60):
            raise ValueError
    except ValueError:
        raise InvalidInput(
            f"--plan {source}: {where}: key 'hour': '{label}' is not HH:MM"
        ) from None
    desks = h.get("desks")
    if not isinstance(desks, int) or isinstance(desks, bool) or desks < 1:
        raise InvalidInput(f"--plan {source}: {where}: key 'desks': must be a whole number ≥ 1")
    names = h.get("open_desks")
    if names is not None and (
        not isinstance(names, list) or not all(isinstance(n, str) for n in names)
    ):
        raise InvalidInput(f"--plan {source}: {where}: key 'open_desks': must be desk names")
    if names is not None and len(names) != desks:
        raise InvalidInput(
            f"--plan {source}: {where}: key 'open_desks': names {len(names)} desks, "
            f"'desks' says {desks}"
        )
    arrivals = h.get("forecast_arrivals")
    if arrivals is not None and (not isinstance(arrivals, int | float) or arrivals < 0):
        raise InvalidInput(f"--plan {source}: {where}: key 'forecast_arrivals': must be ≥ 0")
    share = h.get("projected_share_within_standard")
    return PlannedHour(
        start=start,
        desks=desks,
        open_desks=tuple(names) if names is not None else None,
        forecast_arrivals=float(arrivals) if arrivals is not None else None,
        projected_share=float(share) if isinstance(share, int | float) else None,
    )


def _centre(value: Any, source: str) -> str | None:
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        raise InvalidInput(f"--plan {source}: key 'centre': must be a centre code")
    return value.strip().upper()


def _date(value: Any, source: str, key: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise InvalidInput(
            f"--plan {source}: key '{key}': '{value}' is not a date like 2026-12-07"
        ) from None
