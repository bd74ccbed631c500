"""The now-serving board's widgets: the latest call, very large, and the calls before it."""

from frontdesk.board.widgets.calls import LatestCall, RecentCalls

__all__ = ["LatestCall", "RecentCalls"]
