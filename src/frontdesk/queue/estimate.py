"""A quick position-based wait figure for the visitor's phone page, where hundreds of
pages refresh each second (the kiosk's promise uses `frontdesk.queue.predict`).

A first estimator: the people ahead in the same service queue, the desks able to serve
it, and recent handling times. With free desks and nobody ahead the wait is nil; otherwise
each desk frees up every `handling` seconds on average, and the desk now busy is on
average half way through its customer.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from statistics import fmean

# Fewer completions than this and the configured typical handling time is used.
MIN_RECENT_SAMPLES = 5


def typical_handling_seconds(recent: Sequence[float], configured_seconds: float) -> float:
    """Recent handling times when there are enough, else the configured typical time."""
    usable = [s for s in recent if s > 0]
    if len(usable) < MIN_RECENT_SAMPLES:
        return configured_seconds
    return fmean(usable)


def estimate_wait_seconds(ahead: int, desks: int, busy_desks: int, handling_seconds: float) -> int:
    """Seconds until a newcomer with `ahead` people before them is called."""
    if ahead < 0 or desks < 0 or busy_desks < 0 or handling_seconds < 0:
        raise ValueError("estimate inputs must not be negative")
    if desks == 0:
        # Nobody can serve the service right now; assume one desk will open.
        desks = 1
    free = max(0, desks - min(busy_desks, desks))
    if ahead < free:
        return 0
    queue_before_me = ahead - free
    return math.ceil((queue_before_me + 0.5) * handling_seconds / desks)
