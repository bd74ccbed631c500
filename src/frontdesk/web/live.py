"""The web process's view of the queues: one snapshot of every open ticket, of the
tickets phones are following whatever their state, and of every centre's waits, shared
by all requests.

The snapshot is re-read at most once per `refresh_seconds`, and only when the store says
something changed (PostgreSQL NOTIFY, SQLite's data_version: the change feed the live
screens use) — one statement. A ticket not in it (issued since the last read, or asked
for by a phone for the first time) is looked up once and followed from then on; a code
that matches no ticket is remembered as such. Today's share within the standard is
re-read once a minute per centre. Whatever the number of phones, the store sees a few
reads a second at most.
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
from frontdesk.services.visitors import MAX_FOLLOWED, TOKEN

STANDARD_SECONDS = 60.0
KEEP_LOOKED_UP = 20_000  # answers of single look-ups kept (codes that match no ticket)
FOLLOWED_SECONDS = 600.0  # a ticket asked for this recently is "followed"


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
        self._looked_up: OrderedDict[str, FollowedTicket | None] = OrderedDict()
        self._followed: OrderedDict[str, float] = OrderedDict()
        self._new_followers = False
        self._read_at = -1e18  # when the snapshot in hand was read
        self._acted: dict[str, tuple[FollowedTicket, float]] = {}
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
        followed = list(self._followed)[-MAX_FOLLOWED:]
        # A new follower must be in the next read even if nothing else changed.
        force, self._new_followers = self._new_followers, False
        started = self.clock()
        fresh = await to_thread.run_sync(self._read, followed, force)
        if fresh is not None:
            self._state = fresh
            self._read_at = started
            for token in fresh.tickets:  # followed through the snapshot from now on
                self._looked_up.pop(token, None)
            # An action older than the read is in it; a newer one still stands.
            self._acted = {t: a for t, a in self._acted.items() if a[1] >= started}
        self._checked_at = self.clock()

    def _read(self, followed: list[str], force: bool) -> LiveState | None:
        """In a worker thread: the snapshot, if the store changed since the last read."""
        first = self._watcher is None
        if first:
            self._watcher = self.services.watch()
        changed = self._watcher.wait(0)  # always asked, so a change is never left unseen
        if not (first or force or changed or self._state is None):
            return None
        state: LiveState = self.services.visitors.live(followed)
        return state

    # -- one ticket --------------------------------------------------------------------

    async def ticket(self, token: str) -> FollowedTicket | None:
        """The ticket with this QR token as its phone shows it, or None if there is none."""
        if not TOKEN.match(token):
            return None
        state = await self.state()
        if token in self._acted:  # the visitor's own action, newer than the snapshot
            return self._acted[token][0]
        found = state.tickets.get(token)
        if found is None and token in self._looked_up:
            found = self._looked_up[token]
            if found is None:
                return None
        elif found is None:
            found = (await to_thread.run_sync(self.services.visitors.followed, [token])).get(token)
            self._keep(token, found)
            if found is None:
                return None
            self._new_followers = True
        self._follow(token)
        return found

    def _follow(self, token: str) -> None:
        self._followed.pop(token, None)
        self._followed[token] = self.clock()

    def _keep(self, token: str, ticket: FollowedTicket | None) -> None:
        self._looked_up.pop(token, None)
        self._looked_up[token] = ticket
        while len(self._looked_up) > KEEP_LOOKED_UP:
            self._looked_up.popitem(last=False)

    def acted(self, token: str, ticket: FollowedTicket) -> None:
        """After the visitor acted (left, answered): their page shows the service's answer
        until a snapshot read after it; the next request reads the store again."""
        self._acted[token] = (ticket, self.clock())
        self._follow(token)
        self._checked_at = -1e18

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
        report = self.services.reports.standard(centre, today, today)
        share: float | None = report.share_within_standard
        return share

    def close(self) -> None:
        """Let go of the change feed's connection (made again if asked after)."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.close()
