"""Names inside translated sentences, in the form each language's grammar needs there.

A catalogue picks the form with a format spec: Welsh "Croeso i {centre:soft}" (soft
mutation after "i" and "ar": Canolfan → Ganolfan, dydd → ddydd), Polish "Witamy w
{centre:locative}". A centre's forms come from the centres file (`[centre.names.cy]`, kept
in the store's settings); weekday names, a closed set, are mutated by rule. A form that is
not known falls back to the plain name, so English needs nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping

FORMS = ("name", "soft", "locative")

# Welsh soft mutation of a word's first consonant(s), longest first.
_SOFT = (
    ("ll", "l"),
    ("rh", "r"),
    ("p", "b"),
    ("t", "d"),
    ("c", "g"),
    ("b", "f"),
    ("d", "dd"),
    ("g", ""),
    ("m", "f"),
)


class Named(str):
    """A name that formats as one of its grammatical forms: `f"{name:soft}"`."""

    forms: dict[str, str]

    def __new__(cls, text: str, forms: Mapping[str, str] | None = None) -> Named:
        named = super().__new__(cls, text)
        named.forms = {k: v for k, v in (forms or {}).items() if v}
        return named

    def __format__(self, spec: str) -> str:
        if spec in FORMS:
            return self.forms.get(spec) or str(self)
        return format(str(self), spec)


def soft_mutation(word: str) -> str:
    """The Welsh soft mutation of a word ("dydd" → "ddydd", "Canolfan" → "Ganolfan")."""
    lower = word.lower()
    for radical, mutated in _SOFT:
        if lower.startswith(radical):
            rest = word[len(radical) :]
            if word[:1].isupper():
                return mutated.capitalize() + rest if mutated else rest[:1].upper() + rest[1:]
            return mutated + rest
    return word


def day_named(text: str, language: str) -> Named:
    """A weekday (and date) as Babel says it, with its forms: in Welsh, "dydd Mercher"
    mid-sentence and "ddydd Mercher" after "ar"."""
    if language == "cy" and text[:4].lower() == "dydd":
        text = "d" + text[1:]  # "dydd" is a common noun: lower case inside a sentence
        return Named(text, {"soft": soft_mutation(text)})
    return Named(text)


def centre_languages(settings: Mapping[str, str], centre: str) -> tuple[str, ...]:
    """The languages a centre speaks (its `languages`), main one first; English if none."""
    codes = [c for c in settings.get(f"centre.{centre}.languages", "").split(",") if c]
    return tuple(codes) or ("en",)


def centre_named(
    settings: Mapping[str, str],
    centre: str,
    name: str,
    language: str,
    translate: Callable[[str], str],
) -> Named:
    """The centre's name in `language`: its configured forms there, else the catalogue's
    translation of `name` (every form then the same)."""
    try:
        names = json.loads(settings.get(f"centre.{centre}.names") or "{}")
    except ValueError:
        names = {}
    forms = names.get(language) or {}
    return Named(forms.get("name") or translate(name), forms)
