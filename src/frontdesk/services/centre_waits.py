"""Every centre's waits as the council's website shows them: open or closed, when it next
opens, and per service the people waiting and the wait a newcomer would have — the same
prediction and 80% interval the kiosk tells a visitor (`frontdesk.queue.predict`, through
`CentreReader`), or none when no open desk serves the service (or the centre is closed).

One read transaction for the whole council: per centre its desks and who waits (what
history says is re-read at most once a minute, as for the kiosk). The web process asks
for it at most once a second and only when the store has changed, so the predictor's
runs are not repeated for every visitor of the page.
"""

from __future__ import annotations

import random
from datetime import datetime

from frontdesk.queue.predict import predict_wait
from frontdesk.services.kiosk import opening_state
from frontdesk.services.queue import QueueService
from frontdesk.services.visitor_results import CentreWaits, ServiceWait, WaitFigure
from frontdesk.services.waits import SEED


def centre_waits(queue: QueueService) -> tuple[datetime, dict[str, CentreWaits]]:
    """When it was read, and every centre's waits by centre code."""
    cat = queue.catalogue()
    reader = queue.centre_reader
    out: dict[str, CentreWaits] = {}
    with queue.uow.read_core() as s:
        now = queue.clock.now()
        for where in cat.centres.values():
            opening = opening_state(where.hours, where.closures, where.timezone, now)
            desks = reader.desks(s, cat, where, now)
            state = reader.state(s, cat, where, now, desks)
            services = []
            for code in where.services:
                serving = state.serving(code)
                guess = (
                    predict_wait(state, code, random.Random(SEED))
                    if serving and opening.open_now
                    else None
                )
                services.append(
                    ServiceWait(
                        service=code,
                        waiting=sum(1 for t in state.waiting if t.service == code),
                        desks_open=len(serving),
                        wait=WaitFigure(guess.seconds, guess.low_seconds, guess.high_seconds)
                        if guess is not None
                        else WaitFigure(None),
                    )
                )
            out[where.code] = CentreWaits(
                centre=where.code,
                name=where.name,
                address=where.address,
                open_now=opening.open_now,
                next_opens=opening.next_opens,
                hours_today=opening.today,
                threshold_minutes=where.threshold_minutes,
                target_share=where.target_share,
                services=tuple(services),
            )
    return now, out
