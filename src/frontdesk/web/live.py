"""The web process's view of the queues: one snapshot of every open ticket and every
centre's waits, shared by all requests.

The snapshot is re-read at most once per `refresh_seconds`, and only when the store says
something changed (PostgreSQL NOTIFY, SQLite's data_version: the change feed the live
screens use). Whatever the number of phones, the store sees about two reads a second at
most. Tickets that are no longer open (done, left) are looked up once and remembered;
today's share within the standard is re-read once a minute per centre.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Callable
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from anyio import to_thread

from frontdesk.services.visitor_results import FollowedTicket, LiveState
from frontdesk.services.visitors import TOKEN

STANDARD_SECONDS = 60.0
KEEP_ENDED = 20_000  # tickets remembered after they left the live snapshot
FOLLOWED_SECONDS = 600.0  # a token asked for this recently is "followed"


class LiveCache:
    def __init__(
        self,
        services: Any,
        refresh_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.services = services
        self.refresh_seconds = refresh_seconds
        self.clock = clock
        self._state: LiveState | None = None
        self._checked_at = -1e18
        self._lock = asyncio.Lock()
        self._watcher: Any = None
        self._ended: OrderedDict[str, FollowedTicket | None] = OrderedDict()
        self._followed: OrderedDict[str, float] = OrderedDict()
        self._shares: dict[str, tuple[float, float | None]] = {}

    # -- the snapshot ------------------------------------------------------------------

    async def state(self) -> LiveState:
        """The current snapshot; re-read first if it may be stale and no other request
        is reading it already (those get the snapshot in hand, at most a second old)."""
        if self._state is None or (
            self.clock() - self._checked_at >= self.refresh_seconds and not self._lock.locked()
        ):
            async with self._lock:
                if self._state is None or self.clock() - self._checked_at >= self.refresh_seconds:
                    await self._refresh()
        assert self._state is not None
        return self._state

    async def _refresh(self) -> None:
        horizon = self.clock() - FOLLOWED_SECONDS
        while self._followed and next(iter(self._followed.values())) < horizon:
            self._followed.popitem(last=False)
        followed = frozenset(self._followed)
        fresh, gone = await to_thread.run_sync(self._read, followed)
        if fresh is not None:
            self._state = fresh
        for token, ticket in gone.items():
            self._keep(token, ticket)
        self._checked_at = self.clock()

    def _read(
        self, followed: frozenset[str]
    ) -> tuple[LiveState | None, dict[str, FollowedTicket | None]]:
        """In a worker thread, reads only: the snapshot if the store changed since the
        last, and the final state of followed tickets that have just left it."""
        first = self._watcher is None
        if first:
            self._watcher = self.services.watch()
        if not (first or self._state is None or self._watcher.wait(0)):
            return None, {}
        old = self._state
        fresh: LiveState = self.services.visitors.live()
        if old is None:
            return fresh, {}
        gone = [t for t in old.tickets if t not in fresh.tickets and t in followed]
        found = self.services.visitors.followed(gone) if gone else {}
        return fresh, {token: found.get(token) for token in gone}

    def _keep(self, token: str, ticket: FollowedTicket | None) -> None:
        self._ended.pop(token, None)
        self._ended[token] = ticket
        while len(self._ended) > KEEP_ENDED:
            self._ended.popitem(last=False)

    # -- one ticket --------------------------------------------------------------------

    async def ticket(self, token: str) -> FollowedTicket | None:
        """The ticket with this QR token as its phone shows it, or None if there is none."""
        if not TOKEN.match(token):
            return None
        self._followed.pop(token, None)
        self._followed[token] = self.clock()
        state = await self.state()
        found = state.tickets.get(token)
        if found is not None:
            return found
        if token in self._ended:
            return self._ended[token]
        looked = (await to_thread.run_sync(self.services.visitors.followed, [token])).get(token)
        if looked is not None and not looked.ended:
            # Issued after the snapshot was read: the next read (at most a second away)
            # has its place; until then the page shows the ticket without it.
            return looked
        self._keep(token, looked)
        return looked

    def forget(self, token: str, ticket: FollowedTicket | None = None) -> None:
        """After the visitor acted (left, answered): remember what the service returned."""
        if ticket is not None and ticket.ended:
            self._keep(token, ticket)
        else:
            self._ended.pop(token, None)
        self._checked_at = -1e18  # the next request re-reads if the store changed

    # -- today's figure per centre -----------------------------------------------------

    async def share_today(self, centre: str) -> float | None:
        """Today's share of visitors seen within the standard, re-read once a minute."""
        expires, share = self._shares.get(centre, (-1.0, None))
        if expires > self.clock():
            return share
        share = await to_thread.run_sync(self._share, centre)
        self._shares[centre] = (self.clock() + STANDARD_SECONDS, share)
        return share

    def _share(self, centre: str) -> float | None:
        where = self.services.queue.centre(centre)
        now: datetime = self.services.clock.now()
        today = now.astimezone(ZoneInfo(where.timezone)).date()
        share: float | None = self.services.reports.standard(
            centre, today, today
        ).share_within_standard
        return share

    def close(self) -> None:
        """Let go of the change feed's connection (made again if asked after)."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.close()
