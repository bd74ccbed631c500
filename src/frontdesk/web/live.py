"""The web process's view of the queues: one snapshot of every open ticket, of the
tickets phones are following whatever their state, shared by all requests; and every
centre's waits for the council's website, worked out again only when the store changed.

The snapshot is re-read at most once per `refresh_seconds`, and only when the store says
something changed (PostgreSQL NOTIFY, SQLite's data_version: the change feed the live
screens use) — one statement, for the open tickets and the followed ones that may have
ended since. A ticket not in it (issued since the last read, or asked for by a phone for
the first time) is looked up once and followed from then on; an ended ticket is known for
a few minutes before it is asked about again; a code that matches no ticket is remembered
as such. Today's share within the standard is
re-read once a minute per centre. Whatever the number of phones, the store sees a few
reads a second at most.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import Callable, Generator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from anyio import to_thread

from frontdesk.services.visitor_results import CentreWaits, FollowedTicket, LiveState
from frontdesk.services.visitors import MAX_FOLLOWED, TOKEN

log = logging.getLogger("frontdesk.web")
Building = Generator[None, None, LiveState]  # VisitorService.live_in_steps
STANDARD_SECONDS = 60.0
# With the store away longer than this, pages say so rather than show old news.
STALE_LIMIT_SECONDS = 30.0
KEEP_KNOWN = 20_000  # tickets (and codes that match none) known outside the snapshot
FOLLOWED_SECONDS = 600.0  # a ticket asked for this recently is "followed"
# An ended ticket is read again after this long (its question closes after a day).
ENDED_SECONDS = 300.0
# The centres' predicted waits are worked out again after this long even when the store
# has not changed (the customers at the desks have been there longer).
CENTRES_KEEP_SECONDS = 15.0


class LiveCache:
    def __init__(
        self,
        services: Any,
        refresh_seconds: float = 1.0,
        clock: Callable[[], float] = time.monotonic,
        patience: float | None = None,
    ) -> None:
        self.services = services
        self.refresh_seconds = refresh_seconds
        self.clock = clock
        self._state: LiveState | None = None
        self._checked_at = -1e18
        self.patience = patience
        self._reading: asyncio.Future[BaseException | None] | None = None
        self._watcher: Any = None
        # Outside the snapshot: ended tickets, tickets looked up before a read has them,
        # and codes that match no ticket — each until when it is believed.
        self._known: OrderedDict[str, tuple[FollowedTicket | None, float]] = OrderedDict()
        self._followed: OrderedDict[str, float] = OrderedDict()
        self._new_followers = False
        self._read_at = -1e18  # when the snapshot in hand was read
        self._acted: dict[str, tuple[FollowedTicket, float]] = {}
        self._shares: dict[str, tuple[float, float | None]] = {}
        self._catalogue: Any = None  # as of the last read (frontdesk.store Catalogue)
        self._changes = 0  # snapshots read because the store changed (or a follower came)
        # The centres' waits: (read at, self._changes then, when read, by centre).
        self._centres: tuple[float, int, datetime, dict[str, CentreWaits]] | None = None
        self._centres_lock = asyncio.Lock()

    # -- the snapshot ------------------------------------------------------------------

    async def state(self) -> LiveState:
        """The current snapshot. When it may be stale a read is started (one at a time);
        the request waits for it at most `patience` seconds (None: until it is done), and
        otherwise answers from the snapshot in hand, at most a second or so old."""
        if self._state is None or self.clock() - self._checked_at >= self.refresh_seconds:
            if self._reading is None:
                self._reading = asyncio.ensure_future(self._refresh_once())
            reading = self._reading
            patience = None if self._state is None else self.patience
            if patience is None:
                await asyncio.shield(reading)
            elif patience > 0:
                with contextlib.suppress(asyncio.TimeoutError):
                    await asyncio.wait_for(asyncio.shield(reading), patience)
            problem = reading.result() if reading.done() else None
            stale = self._state is None or self.clock() - self._read_at > STALE_LIMIT_SECONDS
            if problem is not None and stale:
                raise problem  # nothing recent enough to show: say the store is away
        assert self._state is not None
        return self._state

    async def _refresh_once(self) -> BaseException | None:
        """One read of the snapshot; its failure is returned (and logged), not raised, so
        no request is left holding it when none waited."""
        try:
            await self._refresh()
            return None
        except Exception as exc:
            log.warning("the live snapshot could not be read: %s", exc)
            self._checked_at = self.clock()  # try again after the usual interval,
            self._new_followers = True  # and read then: the change it saw is not in hand
            return exc
        finally:
            self._reading = None

    async def _refresh(self) -> None:
        horizon = self.clock() - FOLLOWED_SECONDS
        while self._followed and next(iter(self._followed.values())) < horizon:
            self._followed.popitem(last=False)
        now = self.clock()
        # Followed tickets already known to have ended are not asked about again.
        followed = [t for t in list(self._followed)[-MAX_FOLLOWED:] if not self._ended(t, now)]
        # A new follower (or a read that failed) must be read even if nothing else changed.
        force, self._new_followers = self._new_followers, False
        reading = await to_thread.run_sync(self._read, followed, force)
        fresh = await self._build(reading) if reading is not None else None
        if fresh is not None:
            self._state = fresh
            self._changes += 1
            self._read_at = now
            for token, ticket in fresh.tickets.items():
                if ticket.ended:
                    self._remember(token, ticket, now + ENDED_SECONDS)
                else:  # followed through the snapshot from now on
                    self._known.pop(token, None)
            # An action older than the read is in it; a newer one still stands.
            self._acted = {t: a for t, a in self._acted.items() if a[1] >= now}
        self._checked_at = self.clock()

    def _ended(self, token: str, now: float) -> bool:
        entry = self._known.get(token)
        return entry is not None and entry[0] is not None and entry[0].ended and entry[1] > now

    def _read(self, followed: list[str], force: bool) -> Building | None:
        """In a worker thread: if the store changed since the last read, read it (the
        first step of `live_in_steps`) and hand back the rest of the building."""
        first = self._watcher is None
        if first:
            self._watcher = self.services.watch()
        changed = self._watcher.wait(0)  # always asked, so a change is never left unseen
        if changed:  # another process's `init` may have changed the centres file
            self.services.queue.reload_if_changed()
        # The reference data for the loop's answers, read here (in the worker thread).
        self._catalogue = self.services.queue.catalogue()
        if not (first or force or changed or self._state is None):
            return None
        steps: Building = self.services.visitors.live_in_steps(followed)
        next(steps)  # the store's part: one statement (and the desks now and then)
        return steps

    @staticmethod
    async def _build(steps: Building) -> LiveState:
        """The snapshot's tickets, built on the event loop a few dozen at a time with
        answers to phones in between (a worker thread building them held the GIL, and
        on a loaded machine kept the loop waiting for it)."""
        while True:
            try:
                next(steps)
            except StopIteration as done:
                state: LiveState = done.value
                return state
            await asyncio.sleep(0)

    @property
    def catalogue(self) -> Any:
        """Centres' and services' names for the pages, as of the last snapshot read (so the
        event loop never reads the store for them; a re-run `init` shows after a change)."""
        if self._catalogue is None:
            return self.services.queue.catalogue()
        return self._catalogue

    # -- one ticket --------------------------------------------------------------------

    async def ticket(self, token: str) -> FollowedTicket | None:
        """The ticket with this QR token as its phone shows it, or None if there is none."""
        if not TOKEN.match(token):
            return None
        state = await self.state()
        if token in self._acted:  # the visitor's own action, newer than the snapshot
            return self._acted[token][0]
        found = state.tickets.get(token)
        if found is None:
            now = self.clock()
            entry = self._known.get(token)
            if entry is not None and entry[1] > now:
                found = entry[0]
            else:
                looked = await to_thread.run_sync(self.services.visitors.followed, [token])
                found = looked.get(token)
                if found is None:  # random codes never become tickets
                    self._remember(token, None, float("inf"))
                else:  # the next read has it (open), or it is known until re-read (ended)
                    until = ENDED_SECONDS if found.ended else self.refresh_seconds
                    self._remember(token, found, now + until)
                    self._new_followers = True
            if found is None:
                return None
        self._follow(token)
        return found

    def _follow(self, token: str) -> None:
        self._followed.pop(token, None)
        self._followed[token] = self.clock()

    def _remember(self, token: str, ticket: FollowedTicket | None, until: float) -> None:
        self._known.pop(token, None)
        self._known[token] = (ticket, until)
        while len(self._known) > KEEP_KNOWN:
            self._known.popitem(last=False)

    def acted(self, token: str, ticket: FollowedTicket) -> None:
        """After the visitor acted (left, answered): their page shows the service's answer
        until a snapshot read after it; the next request reads the store again."""
        self._acted[token] = (ticket, self.clock())
        if ticket.ended:  # not asked about again for a while: what the service said stands
            self._remember(token, ticket, self.clock() + ENDED_SECONDS)
        self._follow(token)
        self._checked_at = -1e18

    # -- the centres' waits --------------------------------------------------------------

    async def centres(self) -> tuple[datetime, dict[str, CentreWaits]]:
        """Every centre's waits as the kiosk predicts them, and when they were read: read
        again at most once per `refresh_seconds`, and then only if the store changed (the
        snapshot's change feed says so) or CENTRES_KEEP_SECONDS passed (the desks' current
        customers age). One request reads; the others meanwhile answer from what is in
        hand (or, before the first read, wait for it)."""
        await self.state()  # looks at the change feed (and may read the snapshot)
        if not self._centres_stale():
            assert self._centres is not None
            return self._centres[2], self._centres[3]
        if self._centres is not None and self._centres_lock.locked():
            return self._centres[2], self._centres[3]
        async with self._centres_lock:
            if self._centres_stale():
                changes, started = self._changes, self.clock()
                at, waits = await to_thread.run_sync(self.services.visitors.centre_waits)
                self._centres = (started, changes, at, waits)
        assert self._centres is not None
        return self._centres[2], self._centres[3]

    def _centres_stale(self) -> bool:
        if self._centres is None:
            return True
        age = self.clock() - self._centres[0]
        if age < self.refresh_seconds:
            return False
        keep = CENTRES_KEEP_SECONDS if self.refresh_seconds > 0 else 0.0
        return self._centres[1] != self._changes or age >= keep

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
        share: float | None = report.figures.share_within_standard
        return share

    def close(self) -> None:
        """Let go of the change feed's connection (made again if asked after)."""
        watcher, self._watcher = self._watcher, None
        if watcher is not None:
            watcher.close()
