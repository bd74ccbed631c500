"""The sample council: four centres, the usual service groups, desks, specialists and
appointment types. It ships as package data, read with `importlib.resources`, so
`frontdesk demo` works from an installed wheel with no checkout in sight.

`examples/council.toml` in the checkout is the same file, for the README's
`frontdesk init --config examples/council.toml` (a test keeps the two identical).
"""

from __future__ import annotations

import tomllib
from importlib.resources import files
from importlib.resources.abc import Traversable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frontdesk.config import CentresFile

COUNCIL: Traversable = files(__name__) / "council.toml"


def council_text() -> str:
    """The sample centres file as text."""
    return COUNCIL.read_text(encoding="utf-8")


def council() -> CentresFile:
    """The sample council, validated as any centres file is."""
    from frontdesk.config import parse_centres

    return parse_centres(tomllib.loads(council_text()), source="council.toml (the sample council)")
