"""The visitor kiosk (DESIGN.md §2): `KioskApp` and its settings; its screens in
`screens/`, its widgets in `widgets/`.

Names are imported when first asked for, so importing `frontdesk.kiosk.launch` (the CLI
does) loads no Textual until the kiosk starts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frontdesk.kiosk.app import KioskApp
    from frontdesk.kiosk.state import KioskSettings

__all__ = ["KioskApp", "KioskSettings"]
_WHERE = {"KioskApp": "frontdesk.kiosk.app", "KioskSettings": "frontdesk.kiosk.state"}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
