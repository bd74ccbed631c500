"""What the console says when its customer was moved by someone else: another console,
a supervisor or the CLI completed, transferred or marked the ticket it was showing."""

from __future__ import annotations

from frontdesk.services.queue import Whereabouts

KEPT = "What you typed is kept as a draft (it comes back if they return to this desk)."


def moved_text(ticket: str, desk: str, now: Whereabouts | None, kept: bool = True) -> str:
    """One line: what became of `ticket`, which this desk was serving, and that the
    adviser's typing is safe."""
    if now is None:
        what = "is no longer at this desk"
    elif now.status == "done":
        what = "was completed elsewhere"
    elif now.status == "no_show":
        what = "was marked as a no-show elsewhere"
    elif now.status == "cancelled":
        what = "was cancelled elsewhere"
    elif now.status == "left":
        what = "was marked as left elsewhere"
    elif now.status in ("called", "serving") and now.desk and now.desk != desk:
        what = f"is now at desk {now.desk}"
    elif now.status == "waiting" and now.transfers:
        what = f"was transferred elsewhere (now waiting for {now.service})"
    elif now.status == "waiting":
        what = "was put back in the queue elsewhere"
    else:
        what = "is no longer at this desk"
    return f"{ticket} {what}." + (f" {KEPT}" if kept else "")
