"""The now-serving board (DESIGN.md §2): `BoardApp`; its widgets in `widgets/`.

Names are imported when first asked for, so importing `frontdesk.board.launch` (the CLI
does) loads no Textual until the board starts.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frontdesk.board.app import BoardApp

__all__ = ["BoardApp"]
_WHERE = {"BoardApp": "frontdesk.board.app"}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
