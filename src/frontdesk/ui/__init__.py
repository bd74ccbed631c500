"""What two or more apps share (and nothing that belongs to one app): the big letters the
board and the desk draw ticket numbers in, following the store's changes live, and the
translations (`frontdesk.ui.i18n`).

Names are imported when first asked for: `frontdesk.ui.i18n` loads no Textual.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from frontdesk.ui.bigtext import BigText
    from frontdesk.ui.live import StoreChanged, StoreLost, follow_store

__all__ = ["BigText", "StoreChanged", "StoreLost", "follow_store"]
_WHERE = {
    "BigText": "frontdesk.ui.bigtext",
    "StoreChanged": "frontdesk.ui.live",
    "StoreLost": "frontdesk.ui.live",
    "follow_store": "frontdesk.ui.live",
}


def __getattr__(name: str) -> object:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(importlib.import_module(_WHERE[name]), name)
