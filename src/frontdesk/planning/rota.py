"""Which desks open, and rotas written by hand.

**Which desks open when fewer than all are needed** (the rule, applied the same way by
the planner, the what-if and the replay):

1. First the smallest set of desks whose skills together cover every service with
   forecast demand in the week; among such sets, the one that spreads the week's
   workload (visitors × handling time) most evenly, each service's workload shared by
   the chosen desks that serve it; ties go to the centres file's order.
2. Then, one at a time, the desk that relieves the most loaded services: the one with
   the largest Σ workload ÷ (1 + desks already open for that service) over its
   services; ties again to the file's order.

With n desks open in an hour, the first n of that *opening order* are open. An hour
never has fewer desks than it takes to cover the services with demand in that hour.

A hand-written rota (`--desks "09-11=4,11-13=6,13-17=5"`) gives desks per range of
local hours; ranges are `HH-HH` or `HH:MM-HH:MM`, must not overlap, must start and end
on the planner's slot edges, and must cover every opening hour of each day planned.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

from frontdesk.errors import InvalidInput
from frontdesk.planning.model import DeskSkills, Slot

MAX_COVER_SIZE = 6


def opening_order(desks: Sequence[DeskSkills], workload: Mapping[str, float]) -> tuple[int, ...]:
    """The opening order of `desks` (indices into it) for a week with `workload` per
    service (see the module's rule)."""
    needed = {s for s, w in workload.items() if w > 0}
    chosen = list(_balanced_cover(desks, workload, needed))
    rest = [d for d in range(len(desks)) if d not in chosen]
    while rest:
        counts = _serving(desks, chosen)
        best = max(
            rest,
            key=lambda d: (
                sum(workload.get(s, 0.0) / (1 + counts.get(s, 0)) for s in desks[d].services),
                -d,
            ),
        )
        chosen.append(best)
        rest.remove(best)
    return tuple(chosen)


def _serving(desks: Sequence[DeskSkills], chosen: Iterable[int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for d in chosen:
        for s in desks[d].services:
            counts[s] = counts.get(s, 0) + 1
    return counts


def _balanced_cover(
    desks: Sequence[DeskSkills], workload: Mapping[str, float], needed: set[str]
) -> tuple[int, ...]:
    coverable = needed & {s for d in desks for s in d.services}
    if not coverable:
        return ()
    for size in range(1, min(len(desks), MAX_COVER_SIZE) + 1):
        best: tuple[float, tuple[int, ...]] | None = None
        for combo in combinations(range(len(desks)), size):
            served = {s for d in combo for s in desks[d].services}
            if not coverable <= served:
                continue
            counts = _serving(desks, combo)
            heaviest = max(
                sum(workload.get(s, 0.0) / counts[s] for s in desks[d].services) for d in combo
            )
            if best is None or heaviest < best[0]:
                best = (heaviest, combo)
        if best is not None:
            return best[1]
    # Too many desks needed to search every set: cover greedily, most workload first.
    chosen: list[int] = []
    missing = set(coverable)
    while missing:
        d = max(
            (d for d in range(len(desks)) if d not in chosen),
            key=lambda d: (
                sum(workload.get(s, 0.0) for s in desks[d].services if s in missing),
                -d,
            ),
        )
        chosen.append(d)
        missing -= set(desks[d].services)
    return tuple(chosen)


def covering(desks: Sequence[DeskSkills], order: Sequence[int], needed: Iterable[str]) -> int:
    """How many desks of the opening order it takes to serve every service in `needed`."""
    missing = set(needed)
    for n, d in enumerate(order):
        if not missing:
            return max(n, 1)
        missing -= set(desks[d].services)
    return len(order)


@dataclass(frozen=True, slots=True)
class RotaPart:
    start: int  # minutes after local midnight
    end: int
    desks: int

    @property
    def label(self) -> str:
        return f"{_hhmm(self.start)}-{_hhmm(self.end)}"


def _hhmm(minutes: int) -> str:
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


_PART = re.compile(r"^(\d{1,2})(?::(\d{2}))?-(\d{1,2})(?::(\d{2}))?=(\d+)$")


def parse_rota(text: str, most: int) -> tuple[RotaPart, ...]:
    """`09-11=4,11-13=6,13-17=5` → rota parts; errors name `--desks` and the part."""
    parts: list[RotaPart] = []
    for raw in text.split(","):
        item = raw.strip().replace(" ", "")
        m = _PART.match(item)
        if not m:
            raise InvalidInput(
                f"--desks: '{raw.strip()}' is not HH-HH=N (e.g. 09-11=4,11-13=6,13-17=5)"
            )
        h1, m1, h2, m2, n = m.groups()
        start = int(h1) * 60 + int(m1 or 0)
        end = int(h2) * 60 + int(m2 or 0)
        if int(h1) > 24 or int(h2) > 24 or int(m1 or 0) > 59 or int(m2 or 0) > 59 or end > 1440:
            raise InvalidInput(f"--desks: '{item}' is not a range of the day's hours")
        if end <= start:
            raise InvalidInput(f"--desks: '{item}' ends before it starts")
        desks = int(n)
        if not 1 <= desks <= most:
            raise InvalidInput(f"--desks: '{item}' asks for {desks} desks; 1 to {most} are open")
        parts.append(RotaPart(start, end, desks))
    parts.sort(key=lambda p: p.start)
    for a, b in pairwise(parts):
        if b.start < a.end:
            raise InvalidInput(f"--desks: {a.label} and {b.label} overlap")
    return tuple(parts)


def rota_desks(parts: Sequence[RotaPart], slots: Sequence[Slot], day: str) -> list[int]:
    """Desks per slot from a hand-written rota; every slot must lie inside one part."""
    out = []
    for slot in slots:
        part = next((p for p in parts if p.start <= slot.start < p.end), None)
        if part is None:
            raise InvalidInput(f"--desks: {slot.label} on {day} is open but not in the rota")
        if slot.end > part.end:
            raise InvalidInput(
                f"--desks: {part.label} ends inside the {slot.label} hour on {day}; "
                "rotas change on the hour (or at opening and closing)"
            )
        out.append(part.desks)
    return out


def unused_parts(parts: Sequence[RotaPart], days_slots: Iterable[Sequence[Slot]]) -> list[str]:
    """Rota parts that fall wholly outside the opening hours of every day planned."""
    used = set()
    for slots in days_slots:
        for p in parts:
            if any(p.start < s.end and s.start < p.end for s in slots):
                used.add(p)
    return [p.label for p in parts if p not in used]
