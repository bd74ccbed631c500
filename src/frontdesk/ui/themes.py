"""The high-contrast theme the kiosk and the supervisor's view share.

Pure black and white, with yellow for focus and for what needs attention: WCAG AAA
contrast everywhere. Each app registers it under its own name.
"""

from __future__ import annotations

from textual.theme import Theme


def high_contrast(name: str) -> Theme:
    return Theme(
        name=name,
        primary="#ffffff",
        secondary="#ffffff",
        accent="#ffff00",
        warning="#ffff00",
        error="#ffff00",
        success="#ffffff",
        foreground="#ffffff",
        background="#000000",
        surface="#000000",
        panel="#000000",
        boost="#333333",
        dark=True,
    )
