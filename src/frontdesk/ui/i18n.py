"""Translations: gettext catalogues compiled from the shipped .po files when first used.

The .po files in `frontdesk/locale/<lang>/LC_MESSAGES/frontdesk.po` are the source of
truth; Babel compiles each to .mo bytes in memory on first use, so there is no build step
and no stale .mo to ship. English is the source language (the msgids).

One language is active per process (each served kiosk is its own process); the apps call
`set_language` and read text through `_`. Names from the centres file (services, topics,
priorities, appointment types) are translated through the same catalogues.
"""

from __future__ import annotations

import gettext
import io
from functools import cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

DOMAIN = "frontdesk"
LOCALE_DIR = Path(__file__).resolve().parents[1] / "locale"
# (code, name in its own language): the order the kiosk offers them in.
LANGUAGES: tuple[tuple[str, str], ...] = (
    ("en", "English"),
    ("cy", "Cymraeg"),
    ("pl", "Polski"),
    ("ro", "Română"),
)
LANGUAGE_CODES = tuple(code for code, _name in LANGUAGES)
_active: gettext.NullTranslations = gettext.NullTranslations()
_active_code = "en"


def po_path(language: str) -> Path:
    return LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.po"


@cache
def translations(language: str) -> gettext.NullTranslations:
    """The compiled catalogue for a language (English: the msgids themselves)."""
    path = po_path(language)
    if language == "en" or not path.exists():
        return gettext.NullTranslations()
    with path.open("rb") as fh:
        catalog = read_po(fh, locale=language, domain=DOMAIN)
    buffer = io.BytesIO()
    write_mo(buffer, catalog, use_fuzzy=False)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


def set_language(language: str) -> str:
    """Make `language` the active one; an unknown code falls back to English."""
    global _active, _active_code
    code = language if language in LANGUAGE_CODES else "en"
    _active = translations(code)
    _active_code = code
    return code


def language() -> str:
    return _active_code


def _(message: str) -> str:
    """Translate into the active language."""
    return _active.gettext(message) if message else message


def N_(message: str) -> str:
    """Mark a string for extraction; it is translated where it is shown."""
    return message


def n_(singular: str, plural: str, n: int) -> str:
    """Translate a message with a count: the catalogue's plural forms pick the form
    ("1 query", "2 queries"; Welsh and Polish have more than two)."""
    return _active.ngettext(singular, plural, n)


def in_language(language: str, message: str) -> str:
    """Translate into a given language, whatever the active one (the board speaks several
    at once); an unknown code gives English."""
    code = language if language in LANGUAGE_CODES else "en"
    return translations(code).gettext(message) if message else message


def side_by_side(message: str, languages: tuple[str, ...] | list[str]) -> str:
    """A short label in each language, main one first: "Now serving · Nawr yn gwasanaethu"
    (a language that says it the same way is not repeated)."""
    return " · ".join(dict.fromkeys(in_language(code, message) for code in languages))
