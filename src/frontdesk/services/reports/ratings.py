"""Visitors' answers to "how was your visit?" (1-5, asked on their phone when the visit
ends), reported beside the standard: how many visits were rated, their average, and the
share rated 4 or 5 ("satisfied", as `report satisfaction` counts it).

A visit belongs to the local date its ticket was issued, as in every report. The answers
are read from the visitors' own table (one grouped, indexed read per report), not the
rollups: they are few, and a visitor may answer up to a day after the visit ended.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from frontdesk.services.reports.common import Column
from frontdesk.store import web_store as ws
from frontdesk.store.engine import UnitOfWork

COLUMNS = (
    Column("visits_rated", "rated", "int", brief=False),
    Column("average_rating", "rating (1-5)", "number", brief=False),
    Column("satisfied_share", "satisfied", "share"),
)
DENOMINATOR = {"rating (1-5), satisfied (4 or 5)": "visits rated by the visitor"}


@dataclass(frozen=True, slots=True)
class Ratings:
    answers: int = 0
    rating_sum: int = 0
    satisfied: int = 0

    def __add__(self, other: Ratings) -> Ratings:
        return Ratings(
            self.answers + other.answers,
            self.rating_sum + other.rating_sum,
            self.satisfied + other.satisfied,
        )

    def figures(self) -> dict[str, Any]:
        """The report's three figures (`None` while nobody has answered)."""
        n = self.answers
        return {
            "visits_rated": n,
            "average_rating": self.rating_sum / n if n else None,
            "satisfied_share": self.satisfied / n if n else None,
        }


def total(parts: Iterable[Ratings]) -> Ratings:
    out = Ratings()
    for r in parts:
        out = out + r
    return out


def by_day(
    uow: UnitOfWork, centre_ids: Sequence[int], day_from: date, day_to: date
) -> dict[tuple[int, date], Ratings]:
    """(centre id, business day) → the answers for the visits issued that day."""
    with uow.read_core() as s:
        rows = ws.ratings_by_day(s, centre_ids, day_from, day_to)
    return {
        (r.centre_id, r.business_day): Ratings(
            int(r.answers), int(r.rating_sum or 0), int(r.satisfied or 0)
        )
        for r in rows
    }


def per_centre(
    uow: UnitOfWork, centre_ids: Sequence[int], day_from: date, day_to: date
) -> dict[int, Ratings]:
    """centre id → the answers for the period (every centre asked has an entry)."""
    out = {cid: Ratings() for cid in centre_ids}
    for (cid, _day), r in by_day(uow, centre_ids, day_from, day_to).items():
        out[cid] = out[cid] + r
    return out
