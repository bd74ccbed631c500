"""Additive tallies of visits: what the rollups store per centre, service, local date and
hour, and what every report is computed from.

A tally only ever adds up (counts, sums in microseconds, histograms), so the tallies of
an hour, a day or a month are the sums of finer ones, whatever order they are added in:
the rollups give the same figures as folding the event log directly. Pure.
"""

from __future__ import annotations

import math
import struct
from dataclasses import dataclass, field, fields
from operator import attrgetter
from typing import Any, TypeVar

from frontdesk.queue.measures import AVOIDABLE_CATEGORIES
from frontdesk.queue.visit_facts import VisitFacts

# Waits and handling times are kept in 30-second buckets up to 2 hours (the last bucket
# holds everything longer): enough for medians and 90th percentiles to the half minute.
BUCKET_SECONDS = 30
BUCKETS = 240
TOP_SECONDS = BUCKET_SECONDS * BUCKETS
BUCKET_US = BUCKET_SECONDS * 1_000_000
UNDER_ESTIMATE_US = 300 * 1_000_000  # "told much less than they waited": over 5 minutes

Hist = dict[int, int]


def bucket(us: int) -> int:
    """The histogram bucket of a duration in microseconds: [0, 30 s) → 0 … [2 h, ∞) → 240."""
    return min(BUCKETS, max(0, us // BUCKET_US))


def micros(seconds: float) -> int:
    return round(seconds * 1_000_000)


def percentile(hist: Hist, share: float) -> float | None:
    """The `share` percentile (nearest rank) to the bucket: the upper edge in seconds of
    the bucket holding it (7200 for "2 hours or more"); None for an empty histogram."""
    total = sum(hist.values())
    if not total:
        return None
    rank = max(1, math.ceil(share * total))
    seen = 0
    for b in sorted(hist):
        seen += hist[b]
        if seen >= rank:
            return float(min(TOP_SECONDS, (b + 1) * BUCKET_SECONDS))
    return float(TOP_SECONDS)  # not reached: the ranks add up to the total


def encode_hist(hist: Hist) -> bytes:
    """Bucket/count pairs as little-endian 32-bit integers (only buckets in use)."""
    pairs = [v for b in sorted(hist) if hist[b] for v in (b, hist[b])]
    return struct.pack(f"<{len(pairs)}I", *pairs)


def decode_into(hist: Hist, blob: bytes | None) -> None:
    """Add an encoded histogram into `hist`."""
    if not blob:
        return
    values = struct.unpack(f"<{len(blob) // 4}I", blob)
    for i in range(0, len(values), 2):
        b = values[i]
        hist[b] = hist.get(b, 0) + values[i + 1]


@dataclass(slots=True)
class VisitTally:
    """Walk-in (or appointment) tickets of one service and channel."""

    issued: int = 0
    seen: int = 0
    seen_within: int = 0  # against the centre's threshold
    breached: int = 0  # ended unseen after waiting longer than the centre's threshold
    own_seen_within: int = 0  # against the threshold of the service's own standard
    own_breached: int = 0
    ended_unseen: int = 0
    no_shows: int = 0
    transfers: int = 0
    transfer_waits: int = 0
    transfer_wait_us: int = 0
    wait_us: int = 0  # sum of the waits of tickets seen
    handled: int = 0  # stints timed
    handling_us: int = 0
    queries: int = 0
    resolved: int = 0
    fcr: int = 0
    avoidable: int = 0  # any category (the four below, or one a history brought)
    avoidable_chasing: int = 0
    avoidable_council_error: int = 0
    avoidable_could_self_serve: int = 0
    avoidable_wrong_place: int = 0
    complaints: int = 0
    compliments: int = 0
    comments: int = 0
    marked_repeat: int = 0  # visits with a query marked "seen before about this"
    estimated: int = 0  # tickets seen that were told a point estimate
    estimate_error_us: int = 0  # waited minus told, summed (positive: waited longer)
    estimate_abs_error_us: int = 0
    under_estimated: int = 0  # waited longer than told by more than 5 minutes
    interval_told: int = 0  # tickets seen that were told an 80% interval
    inside_interval: int = 0
    appointments_called: int = 0
    appointment_wait_us: int = 0  # from the later of check-in and booked time to the call
    appointments_within: int = 0
    wait_hist: Hist = field(default_factory=dict)


@dataclass(slots=True)
class QueryTally:
    """Queries of one type (topic), completed in one service and channel."""

    queries: int = 0
    resolved: int = 0
    fcr: int = 0
    avoidable: int = 0  # any category (the four below, or one a history brought)
    avoidable_chasing: int = 0
    avoidable_council_error: int = 0
    avoidable_could_self_serve: int = 0
    avoidable_wrong_place: int = 0
    complaints: int = 0
    compliments: int = 0
    comments: int = 0
    seen_before: int = 0
    handled: int = 0
    handling_us: int = 0  # each stint's handling time shared equally among its queries
    handling_hist: Hist = field(default_factory=dict)


@dataclass(slots=True)
class AdviserTally:
    """What one adviser did with the visits of an hour."""

    customers: int = 0  # stints at a desk
    handled: int = 0
    handling_us: int = 0
    queries: int = 0
    resolved: int = 0
    fcr: int = 0


AnyTally = VisitTally | QueryTally | AdviserTally
T = TypeVar("T", VisitTally, QueryTally, AdviserTally)


def counts_of(cls: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if not f.name.endswith("_hist"))


def hists_of(cls: type[Any]) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls) if f.name.endswith("_hist"))


COUNTS = {cls: counts_of(cls) for cls in (VisitTally, QueryTally, AdviserTally)}
HISTS = {cls: hists_of(cls) for cls in (VisitTally, QueryTally, AdviserTally)}


def _merger(cls: type[Any]) -> Any:
    """`merge` for one tally class, written out field by field as `dataclasses` writes
    `__init__`: reports merge thousands of rows, and a loop of getattr/setattr was most
    of their time (four times slower)."""
    lines = [f"    a.{n} += b.{n}" for n in COUNTS[cls]]
    for h in HISTS[cls]:
        lines += [
            f"    mine = a.{h}",
            f"    for k, v in b.{h}.items():",
            "        mine[k] = mine.get(k, 0) + v",
        ]
    namespace: dict[str, Any] = {}
    exec("def merge(a, b):\n" + "\n".join(lines) + "\n    return a\n", namespace)
    return namespace["merge"]


_MERGE = {cls: _merger(cls) for cls in COUNTS}
_VALUES = {cls: attrgetter(*names) for cls, names in COUNTS.items()}


def merge(into: T, other: T) -> T:
    """Add `other` into `into` (and return it)."""
    return _MERGE[type(into)](into, other)  # type: ignore[no-any-return]


def values_of(t: AnyTally) -> tuple[int, ...]:
    return _VALUES[type(t)](t)  # type: ignore[no-any-return]


VisitKey = tuple[int, str]  # issue service id, channel
QueryKey = tuple[int, int, str]  # service id, topic id (0: none chosen), channel
AdviserKey = str  # staff code ("" when nobody was logged in)


@dataclass(slots=True)
class Slot:
    """The tallies of one centre in one period (an hour, a day or a month)."""

    visits: dict[VisitKey, VisitTally] = field(default_factory=dict)
    queries: dict[QueryKey, QueryTally] = field(default_factory=dict)
    advisers: dict[AdviserKey, AdviserTally] = field(default_factory=dict)

    def merge(self, other: Slot) -> Slot:
        for mine, theirs, cls in (
            (self.visits, other.visits, VisitTally),
            (self.queries, other.queries, QueryTally),
            (self.advisers, other.advisers, AdviserTally),
        ):
            for key, t in theirs.items():
                merge(mine.setdefault(key, cls()), t)  # type: ignore[arg-type, type-var]
        return self

    def __bool__(self) -> bool:
        return bool(self.visits or self.queries or self.advisers)


@dataclass(frozen=True, slots=True)
class Told:
    """What the visitor was told at issue (seconds), and when an appointment customer
    was due (the later of check-in and booked time, microseconds since the epoch)."""

    estimate: int | None = None
    low: int | None = None
    high: int | None = None
    appointment_ready: int | None = None


NOT_TOLD = Told()


def add_visit(
    slot: Slot,
    facts: VisitFacts,
    *,
    service_id: int,
    channel: str,
    threshold_us: int,
    own_threshold_us: int,
    told: Told = NOT_TOLD,
) -> None:
    """Add one ticket's facts to the slot of the hour it was issued in."""
    v = slot.visits.get((service_id, channel))
    if v is None:
        v = slot.visits[(service_id, channel)] = VisitTally()
    v.issued += 1
    wait = facts.seen_wait_us
    if wait is not None:
        v.seen += 1
        v.wait_us += wait
        if wait <= threshold_us:
            v.seen_within += 1
        if wait <= own_threshold_us:
            v.own_seen_within += 1
        b = bucket(wait)
        v.wait_hist[b] = v.wait_hist.get(b, 0) + 1
        if told.estimate is not None:
            error = wait - told.estimate * 1_000_000
            v.estimated += 1
            v.estimate_error_us += error
            v.estimate_abs_error_us += abs(error)
            v.under_estimated += error > UNDER_ESTIMATE_US
        if told.low is not None and told.high is not None:
            v.interval_told += 1
            v.inside_interval += told.low * 1_000_000 <= wait <= told.high * 1_000_000
    elif facts.unseen_wait_us is not None:
        unseen = facts.unseen_wait_us
        v.ended_unseen += 1
        v.breached += unseen > threshold_us
        v.own_breached += unseen > own_threshold_us
        v.no_shows += facts.ended_by == "no_show"
    if facts.transfers:
        v.transfers += facts.transfers
        v.transfer_waits += len(facts.transfer_waits_us)
        v.transfer_wait_us += sum(facts.transfer_waits_us)
    if told.appointment_ready is not None and facts.last_call is not None:
        late = max(0, facts.last_call - told.appointment_ready)
        v.appointments_called += 1
        v.appointment_wait_us += late
        v.appointments_within += late <= threshold_us

    advisers = slot.advisers
    for stint in facts.stints:
        a = advisers.get(stint.staff or "")
        if a is None:
            a = advisers[stint.staff or ""] = AdviserTally()
        a.customers += 1
        if stint.handling_us is not None:
            v.handled += 1
            v.handling_us += stint.handling_us
            a.handled += 1
            a.handling_us += stint.handling_us

    marked = False
    for q in facts.queries:
        v.queries += 1
        v.resolved += q.resolved
        v.fcr += q.first_contact
        if q.avoidable is not None or q.feedback is not None:
            _count_kinds(v, q.avoidable, q.feedback)
        marked = marked or q.seen_before
        key = (q.service_id, q.topic_id or 0, channel)
        t = slot.queries.get(key)
        if t is None:
            t = slot.queries[key] = QueryTally()
        t.queries += 1
        t.resolved += q.resolved
        t.fcr += q.first_contact
        t.seen_before += q.seen_before
        if q.avoidable is not None or q.feedback is not None:
            _count_kinds(t, q.avoidable, q.feedback)
        if q.handling_share_us is not None:
            t.handled += 1
            t.handling_us += q.handling_share_us
            b = bucket(q.handling_share_us)
            t.handling_hist[b] = t.handling_hist.get(b, 0) + 1
        a = advisers.get(q.staff or "")
        if a is None:
            a = advisers[q.staff or ""] = AdviserTally()
        a.queries += 1
        a.resolved += q.resolved
        a.fcr += q.first_contact
    v.marked_repeat += marked


def _count_kinds(t: VisitTally | QueryTally, avoidable: str | None, feedback: str | None) -> None:
    if avoidable is not None:
        t.avoidable += 1
    if avoidable in AVOIDABLE_CATEGORIES:
        name = "avoidable_" + avoidable.replace("-", "_")
        setattr(t, name, getattr(t, name) + 1)
    if feedback == "complaint":
        t.complaints += 1
    elif feedback == "compliment":
        t.compliments += 1
    elif feedback == "comment":
        t.comments += 1
