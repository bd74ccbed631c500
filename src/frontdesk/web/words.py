"""The visitor's language: `?lang=` first, then the browser's Accept-Language, then the
council's default. Text comes from the kiosk's gettext catalogues (`frontdesk/locale`),
one catalogue per request, never a process-wide switch."""

from __future__ import annotations

from collections.abc import Callable

from frontdesk.ui.i18n import LANGUAGE_CODES, LANGUAGES, translations

Translate = Callable[[str], str]


def choose_language(query: str | None, accept: str | None, default: str = "en") -> str:
    """The language to answer in (one of LANGUAGE_CODES)."""
    if query and query.lower() in LANGUAGE_CODES:
        return query.lower()
    ranked: list[tuple[float, int, str]] = []
    for order, part in enumerate((accept or "").split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        weight = 1.0
        if params.strip().startswith("q="):
            try:
                weight = float(params.strip()[2:])
            except ValueError:
                weight = 0.0
        code = tag.strip().lower().split("-")[0]
        if code in LANGUAGE_CODES and weight > 0:
            ranked.append((-weight, order, code))
    if ranked:
        return min(ranked)[2]
    return default if default in LANGUAGE_CODES else "en"


def translator(language: str) -> Translate:
    catalogue = translations(language if language in LANGUAGE_CODES else "en")
    return lambda message: catalogue.gettext(message) if message else message


def language_names() -> tuple[tuple[str, str], ...]:
    return LANGUAGES
