"""Queue services: issue, call, serve, transfer, complete — one unit of work each.

The policy (who is next, which number, what the wait is) comes from `frontdesk.queue`;
these modules read what the policy needs, apply it, and commit atomically. Nothing here
prints, sends or sleeps inside a write transaction.

`QueueService` is the face; its actions live in one module per area, each a
`QueueArea` over the shared, public `QueueContext` (`context`), with what they say
about tickets in `tickets`:

- issuing: the estimate, issuing a ticket
- calling: call next (the routing policy), call a particular ticket, recall
- serving: start, no-show, complete, transfer, return, cancel, left, quick queries
- views: the live queue, details for combing it, the latest calls for the board
"""

from __future__ import annotations

from collections.abc import Sequence

from frontdesk.clock import Clock
from frontdesk.queue.routing import Fairness, Rule
from frontdesk.services.after import Afterwards
from frontdesk.services.queue.calling import Calling
from frontdesk.services.queue.context import QueueContext
from frontdesk.services.queue.issuing import CHANNELS, Issuing
from frontdesk.services.queue.serving import Serving
from frontdesk.services.queue.views import CallShown, QueueViews, WaitingDetail, Whereabouts
from frontdesk.services.waits import CentreReader
from frontdesk.store.catalogue import Catalogue, CentreRef
from frontdesk.store.engine import UnitOfWork

__all__ = [
    "CHANNELS",
    "CallShown",
    "QueueContext",
    "QueueService",
    "WaitingDetail",
    "Whereabouts",
]


class QueueService(Issuing, Calling, Serving, QueueViews):
    """The queue's user actions (see the module of each area)."""

    def __init__(self, uow: UnitOfWork, clock: Clock, rules: Sequence[Rule] = ()) -> None:
        super().__init__(QueueContext(uow, clock, rules))

    @property
    def uow(self) -> UnitOfWork:
        return self.ctx.uow

    @property
    def clock(self) -> Clock:
        return self.ctx.clock

    @property
    def centre_reader(self) -> CentreReader:
        """The live state and recent history of centres, for the wait predictor."""
        return self.ctx.centre_reader

    @property
    def after_call(self) -> Afterwards:
        """Listeners told of each call after it committed (notifications)."""
        return self.ctx.after_call

    def catalogue(self, refresh: bool = False) -> Catalogue:
        """The reference data (centres, services, desks, topics), cached."""
        return self.ctx.catalogue(refresh)

    def reload_if_changed(self) -> bool:
        """Read the catalogue again if a re-run `init` changed it; True if it did."""
        return self.ctx.reload_if_changed()

    def centre(self, code: str) -> CentreRef:
        """A centre by its code, or NotFound naming the known ones."""
        return self.ctx.centre(code)

    def fairness(self) -> Fairness:
        return self.ctx.fairness()
