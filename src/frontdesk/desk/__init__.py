"""The desk console (DESIGN.md §2): `DeskApp`; its screens in `screens/`, its widgets in
`widgets/`, what it reads from the services in `reference` and `queue_view`.

Names are imported when first asked for, so importing `frontdesk.desk.launch` (the CLI
does) loads no Textual until the console starts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frontdesk.desk.app import DeskApp

__all__ = ["DeskApp"]
_WHERE = {"DeskApp": "frontdesk.desk.app"}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
