"""The rows of an import in the text format of PostgreSQL's `COPY`, made by the process
reading the file (`services.interchange_parallel`) so that the writing one mostly passes
text on (`store.history_load.HistoryLoader.add_copy`), and the tickets' numbering in them.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, NamedTuple

from frontdesk.queue.numbering import ticket_label

Key = tuple[int, str, str]  # centre id, prefix, local business day


class PendingTicket(NamedTuple):
    """A ticket to write; its number, label and token are given when its batch is.
    (A tuple: a batch of them crosses a pipe when another process reads the file.)"""

    id: int
    centre_id: int
    service_id: int
    prefix: str
    day: str  # local business day, ISO
    status: str
    issued_at: str  # UTC, as the store keeps it
    queued_at: str
    called_at: str | None
    transfers: int
    external_ref: str


def import_token(centre_id: int, day: str, prefix: str, number: int) -> str:
    return f"imp-{centre_id}-{day.replace('-', '')}-{prefix}{number}"


class CopyBatch(NamedTuple):
    """PostgreSQL: a batch of visits already in COPY's text format, made by the process
    reading the file, so that the writing one mostly passes text on. Ticket numbers are
    counted from the import's own start per centre, prefix and day (`numbering`: each
    key's first number in the batch and how many); the writer moves them on where the
    store's counters had numbers already (`HistoryLoader.add_copy`, `renumbered`)."""

    visits: int
    first_id: int  # the lowest ticket id in the batch
    refs: str  # import_refs rows
    tickets: list[str]  # ticket rows, one line each
    keys: list[int]  # per ticket row, its key's index in `numbering`
    numbering: list[tuple[int, str, str, int, int]]  # centre_id, prefix, day, first, count
    events: str  # ticket_event rows


class TicketCopy:
    """The reading process's side of `CopyBatch`: formats tickets, refs and events."""

    def __init__(self) -> None:
        self._counted: dict[tuple[int, str, str], int] = {}

    def batch(self, tickets: list[PendingTicket], events: list[tuple[Any, ...]]) -> CopyBatch:
        counted = self._counted
        index: dict[tuple[int, str, str], int] = {}
        numbering: list[tuple[int, str, str, int, int]] = []
        lines: list[str] = []
        keys: list[int] = []
        refs: list[str] = []
        null = "\\N"
        for t in tickets:
            key = (t.centre_id, t.prefix, t.day)
            number = counted.get(key, 0) + 1
            counted[key] = number
            k = index.get(key)
            if k is None:
                k = index[key] = len(numbering)
                numbering.append((t.centre_id, t.prefix, t.day, number, 0))
            centre_id, prefix, day, first, count = numbering[k]
            numbering[k] = (centre_id, prefix, day, first, count + 1)
            ref = _escaped(t.external_ref)
            lines.append(
                f"{t.id}\t{t.centre_id}\t{t.service_id}\t{ticket_label(t.prefix, number)}\t"
                f"{number}\t{t.day}\timport\t{t.status}\t{t.issued_at}\t{t.queued_at}\t"
                f"{null if t.called_at is None else t.called_at}\t{t.transfers}\t"
                f"{import_token(t.centre_id, t.day, t.prefix, number)}\t{ref}\t\n"
            )
            keys.append(k)
            refs.append(f"{ref}\t{t.centre_id}\n")
        return CopyBatch(
            visits=len(tickets),
            first_id=min(t.id for t in tickets),
            refs="".join(refs),
            tickets=lines,
            keys=keys,
            numbering=numbering,
            events=copy_text(events),
        )


def _escaped(text: str) -> str:
    """A value for COPY's text format (a visit id may hold a backslash; the import's
    checks refuse the control characters that would also need escaping)."""
    return text.replace("\\", "\\\\") if "\\" in text else text


def copy_text(events: list[tuple[Any, ...]]) -> str:
    """Event rows (in the order of `history_load`'s event columns) in COPY's text
    format. No value needs escaping: numbers, times, and step and category names checked
    against fixed lists."""
    null = "\\N"
    return "".join(
        [
            f"{t}\t{c}\t{s}\t{a}\t{v}\t{null if d is None else d}\t"
            f"{null if r is None else 't' if r else 'f'}\t{null if x is None else x}\n"
            for t, c, s, a, v, d, r, x in events
        ]
    )


def refs_of(copies: list[CopyBatch]) -> list[str]:
    """The visit ids of the batches, as read (for naming one written twice)."""
    refs = [line.split("\t", 1)[0] for c in copies for line in c.refs.splitlines()]
    return [ref.replace("\\\\", "\\") for ref in refs]


def numbers_wanted(copies: list[CopyBatch]) -> tuple[Counter[Key], dict[Key, int]]:
    """How many numbers the batches take per key, and the first the reader gave each."""
    wanted: Counter[Key] = Counter()
    counted_from: dict[Key, int] = {}
    for c in copies:
        for centre_id, prefix, day, number, count in c.numbering:
            key = (centre_id, prefix, day)
            wanted[key] += count
            counted_from.setdefault(key, number)  # batches come in order: the first is lowest
    return wanted, counted_from


def renumbered(
    copies: list[CopyBatch], counted_from: dict[Key, int], given_from: dict[Key, int]
) -> list[str]:
    """The batches' ticket rows with the numbers the store's counters gave (`given_from`:
    the first per key): the reader's where they agree (an import of days with no tickets
    yet), else moved on past the numbers given before."""
    shift = {key: given_from[key] - first for key, first in counted_from.items()}
    if not any(shift.values()):
        return [line for c in copies for line in c.tickets]
    out: list[str] = []
    for c in copies:
        moves = [shift[(k[0], k[1], k[2])] for k in c.numbering]
        for line, k in zip(c.tickets, c.keys, strict=True):
            move = moves[k]
            if move:
                centre_id, prefix, day = c.numbering[k][:3]
                fields = line.split("\t")
                number = int(fields[4]) + move
                fields[3] = ticket_label(prefix, number)
                fields[4] = str(number)
                fields[12] = import_token(centre_id, day, prefix, number)
                line = "\t".join(fields)
            out.append(line)
    return out
