"""How the kiosk says times, waits and the queue in the visitor's language."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_datetime

from frontdesk.services.results import QueueSnapshot
from frontdesk.ui.grammar import Named, day_named
from frontdesk.ui.i18n import _, language
from frontdesk.ui.words import wait_range

BABEL_LOCALES = {"en": "en_GB", "cy": "cy", "pl": "pl", "ro": "ro"}


def _locale() -> str:
    return BABEL_LOCALES.get(language(), "en_GB")


def time_of_day(at: datetime, tz: str) -> str:
    return format_datetime(at, "HH:mm", tzinfo=_zone(tz), locale=_locale())


def day_name(at: datetime, tz: str) -> Named:
    """The day with its grammatical forms ("ar {day:soft}": "ar ddydd Mercher 4 Mawrth")."""
    text = format_date(at.astimezone(_zone(tz)).date(), "EEEE d MMMM", locale=_locale())
    return day_named(text, language())


def slot_time(at: datetime, tz: str) -> str:
    return format_datetime(at, "EEE d MMM, HH:mm", tzinfo=_zone(tz), locale=_locale())


def wait_words(low_seconds: int | None, high_seconds: int | None) -> str:
    """The estimate's 80% interval in plain words: "About 10 to 15 minutes", "Less than 5
    minutes"; "" when there is no estimate (no desk serves the service). The council's
    website says it in the same words (`frontdesk.ui.words.wait_range`)."""
    return wait_range(low_seconds, high_seconds)


def queue_words(snapshot: QueueSnapshot | None) -> str:
    if snapshot is None:
        return _("We cannot reach our system just now.")
    if not snapshot.waiting:
        return _("Nobody is waiting.")
    longest = max(w.waiting_seconds for w in snapshot.waiting) // 60
    by_service: dict[str, int] = {}
    for w in snapshot.waiting:
        by_service[w.service] = by_service.get(w.service, 0) + 1
    lines = [
        _("Waiting now: {count}. Longest wait: {minutes} min. At desks: {serving}.").format(
            count=len(snapshot.waiting), minutes=longest, serving=len(snapshot.serving)
        )
    ]
    lines.append("  ".join(f"{code} {n}" for code, n in sorted(by_service.items())))
    for w in snapshot.waiting[:5]:
        mark = " !" if w.priority else ""
        wait = _("{minutes} min").format(minutes=w.waiting_seconds // 60)
        lines.append(f"{w.ticket}  {w.service}  {wait}{mark}")
    return "\n".join(lines)


def _zone(tz: str) -> ZoneInfo:
    return ZoneInfo(tz)
