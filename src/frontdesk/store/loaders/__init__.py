"""Loading a validated centres file into the store (`frontdesk init`): the council and
its queues (`centres`), then its appointments (`appointments`)."""

from __future__ import annotations

from frontdesk.store.loaders.centres import apply_centres

__all__ = ["apply_centres"]
