"""An import's rows as COPY text (the reading process's side), and their numbering."""

from __future__ import annotations

from frontdesk.store.history_copy import (
    PendingTicket,
    TicketCopy,
    numbers_wanted,
    refs_of,
    renumbered,
)


def ticket(tid: int, ref: str, day: str = "2026-03-02") -> PendingTicket:
    at = f"{day} 09:00:00.000000"
    return PendingTicket(tid, 1, 2, "C", day, "done", at, at, None, 0, ref)


def test_rows_are_counted_from_the_import_and_moved_on_where_a_day_had_tickets() -> None:
    copy = TicketCopy()
    first = copy.batch([ticket(10, "A"), ticket(11, "B", "2026-03-03")], [])
    second = copy.batch([ticket(12, "C"), ticket(13, "D")], [])
    assert first.tickets[0].split("\t")[3:5] == ["C001", "1"]
    assert second.tickets[1].split("\t")[3:5] == ["C003", "3"]  # numbers go on across batches
    wanted, counted_from = numbers_wanted([first, second])
    assert wanted == {(1, "C", "2026-03-02"): 3, (1, "C", "2026-03-03"): 1}
    # The store had given C001 and C002 on 2 March already; 3 March had none.
    given = {(1, "C", "2026-03-02"): 3, (1, "C", "2026-03-03"): 1}
    rows = [line.split("\t") for line in renumbered([first, second], counted_from, given)]
    assert [(r[0], r[3], r[4], r[12]) for r in rows] == [
        ("10", "C003", "3", "imp-1-20260302-C3"),
        ("11", "C001", "1", "imp-1-20260303-C1"),
        ("12", "C004", "4", "imp-1-20260302-C4"),
        ("13", "C005", "5", "imp-1-20260302-C5"),
    ]
    assert all(len(r) == 15 and r[-1] == "\n" for r in rows)
    # Nothing given before: the reader's rows pass as they are.
    untouched = renumbered([first, second], counted_from, dict(counted_from))
    assert untouched == first.tickets + second.tickets


def test_a_visit_id_with_a_backslash_is_escaped_and_read_back() -> None:
    batch = TicketCopy().batch([ticket(1, "A\\1")], [])
    assert batch.refs == "A\\\\1\t1\n"
    assert "\tA\\\\1\t" in batch.tickets[0]
    assert refs_of([batch]) == ["A\\1"]
