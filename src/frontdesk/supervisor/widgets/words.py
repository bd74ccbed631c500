"""How the supervisor's figures are said: percentages, minutes, outlook words with a
symbol and a colour (never colour alone), in normal and high contrast."""

from __future__ import annotations

from datetime import datetime

from rich.text import Text

from frontdesk.services.oversight import Level

STYLES = {
    False: {
        Level.ON_TRACK: "green",
        Level.AT_RISK: "bold yellow",
        Level.WILL_BREACH: "bold red",
        Level.CLOSED: "dim",
    },
    True: {
        Level.ON_TRACK: "white",
        Level.AT_RISK: "bold black on yellow",
        Level.WILL_BREACH: "bold black on white",
        Level.CLOSED: "white",
    },
}


def level_text(level: Level, contrast: bool = False) -> Text:
    return Text(level.words(), style=STYLES[contrast][level])


def pct(value: float | None) -> str:
    return "—" if value is None else f"{value:.0%}"


def against(value: float | None, target: float, contrast: bool = False) -> Text:
    """ "93% ▼" below target (in words too: the arrow), "97%" at or above."""
    if value is None:
        return Text("—")
    if value < target:
        style = "bold black on yellow" if contrast else "bold yellow"
        return Text(f"{value:.0%} ▼", style=style)
    return Text(f"{value:.0%}")


def minutes(seconds: float | None) -> str:
    if seconds is None:
        return "—"
    m = int(seconds // 60)
    return f"{m} min" if m < 120 else f"{m // 60} h {m % 60:02d}"


def longest(seconds: int, threshold_minutes: float, contrast: bool = False) -> Text:
    text = f"{minutes(seconds)} / {threshold_minutes:g}"
    if seconds > threshold_minutes * 60:
        return Text(text + " ✗", style="bold black on white" if contrast else "bold red")
    if seconds > threshold_minutes * 45:
        return Text(text + " ▲", style="bold black on yellow" if contrast else "bold yellow")
    return Text(text)


def clock_time(at: datetime | None, tz: str | None = None) -> str:
    if at is None:
        return "—"
    if tz:
        from zoneinfo import ZoneInfo

        at = at.astimezone(ZoneInfo(tz))
    return at.strftime("%H:%M")
