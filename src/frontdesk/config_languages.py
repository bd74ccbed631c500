"""The centres file's languages: what a centre's board speaks and its name's forms in
each language (the grammar of the sentences it appears in).

Kept beside `frontdesk.config` (which uses it) to keep that module small."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path
from typing import Annotated, Any

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

# The languages frontdesk has catalogues for: English (the source) and each folder here.
LOCALE_DIR = Path(__file__).resolve().parent / "locale"


def spoken_languages() -> tuple[str, ...]:
    return ("en", *sorted(p.parent.name for p in LOCALE_DIR.glob("*/LC_MESSAGES")))


def check_languages(codes: Collection[str]) -> None:
    """Raise ValueError (the key's message) for a code with no catalogue, or listed twice."""
    known = spoken_languages()
    for code in codes:
        if code not in known:
            raise ValueError(f"'{code}' is not a language frontdesk speaks ({', '.join(known)})")
    if isinstance(codes, list) and len(set(codes)) < len(codes):
        raise ValueError("a language is listed twice")


class CentreNames(BaseModel):
    """A centre's name in one language, with the forms that language's sentences need;
    the catalogues pick one ("Croeso i {centre:soft}", "Witamy w {centre:locative}") and
    fall back to `name` (or the translated name) where none is given."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: Annotated[str, Field(min_length=1)] | None = None
    soft: Annotated[str, Field(min_length=1)] | None = None  # Welsh soft mutation: i, ar, o…
    locative: Annotated[str, Field(min_length=1)] | None = None  # Polish: after w, na


def _checked(codes: Any) -> Any:
    check_languages(codes)
    return codes


# The centre's keys, checked as they are read (the error names the key).
Languages = Annotated[list[str], Field(min_length=1, max_length=4), AfterValidator(_checked)]
NamesByLanguage = Annotated[dict[str, CentreNames], AfterValidator(_checked)]
