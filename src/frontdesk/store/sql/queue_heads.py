"""The queue heads a call ranks: the first few of each queue (service × priority class)
plus what was sent to the desk by name — one small ordered read each, so a call costs the
same at 5 or 500 waiting. Written once for both backends; each runs it on its driver.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple


class Head(NamedTuple):
    id: int
    label: str
    service_id: int
    queued_at: datetime
    priority: str | None
    target_desk_id: int | None
    needs: str
    transfers: int
    note: str | None
    due_at: datetime | None


_COLUMNS = ", ".join(Head._fields)
# `status = 'waiting'` is a literal so the planner can use the partial indexes of waiting
# tickets; SQLite is told which (its planner otherwise may pick the live-queue index).
_PART = (
    "SELECT * FROM (SELECT {columns} FROM ticket{hint_waiting}"
    " WHERE centre_id = {m} AND service_id = {m} AND status = 'waiting'"
    " AND target_desk_id IS NULL AND priority IS {which}"
    " ORDER BY queued_at, id LIMIT {m}) AS q{n}"
)
_DIRECTED = (
    "SELECT * FROM (SELECT {columns} FROM ticket{hint_directed}"
    " WHERE centre_id = {m} AND status = 'waiting' AND target_desk_id = {m}"
    " AND target_desk_id IS NOT NULL"
    " ORDER BY queued_at, id LIMIT {m}) AS d"
)
_CACHE: dict[tuple[int, bool], str] = {}


def heads_sql(services: int, sqlite: bool) -> str:
    sql = _CACHE.get((services, sqlite))
    if sql is None:
        fill = {
            "columns": _COLUMNS,
            "m": "?" if sqlite else "%s",
            "hint_waiting": " INDEXED BY ix_ticket_waiting" if sqlite else "",
            "hint_directed": " INDEXED BY ix_ticket_directed" if sqlite else "",
        }
        parts = [
            _PART.format(which=w, n=2 * i + j, **fill)
            for i in range(services)
            for j, w in enumerate(("NULL", "NOT NULL"))
        ]
        sql = " UNION ALL ".join([*parts, _DIRECTED.format(**fill)])
        _CACHE[(services, sqlite)] = sql
    return sql


def heads_params(
    centre_id: int, service_ids: Sequence[int], desk_id: int, per_group: int
) -> list[Any]:
    params: list[Any] = []
    for sid in service_ids:
        params += [centre_id, sid, per_group, centre_id, sid, per_group]
    params += [centre_id, desk_id, per_group]
    return params
