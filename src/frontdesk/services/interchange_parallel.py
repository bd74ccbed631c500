"""Reading a large history in a second process while this one writes it.

An import costs about as much to read and check (Python: the CSV, the codes, the times,
each visit replayed) as to write (SQLite's C code, or the PostgreSQL server). With two or
more cores, a file of more than `PARALLEL_BYTES` is read, checked and replayed by a
forked child —
`VisitPlan` unchanged, with a loader that ships each batch of visits down a pipe — while
the import's own process writes the batches in its one transaction. The pipe holds a
batch or two, so memory stays flat; the writer still decides everything that needs the
store (numbers, visits imported before) and commits only when the child said the whole
file was good: all or nothing, with the same messages as when one process does both.

Ticket ids are known in advance on SQLite (the import holds the write lock, and ids
follow the highest), so the child gives them out itself. On PostgreSQL they come from the
sequence, which desks use meanwhile: the writer hands the child blocks of them down a
second pipe, two to start with and one more each time the child starts on a new block and
asks (so it always holds the next), and ids the child did not use are simply skipped.
"""

from __future__ import annotations

import contextlib
import io
import multiprocessing
import os
from multiprocessing.connection import Connection as Pipe
from types import TracebackType
from typing import IO, Any

from frontdesk.errors import FrontdeskError
from frontdesk.services.interchange_plan import (
    Regroup,
    VisitPlan,
    contiguous_visits,
    spooled_visits,
)
from frontdesk.services.interchange_rows import EventFile, ImportRejected
from frontdesk.store.catalogue import Catalogue
from frontdesk.store.history_copy import PendingTicket, TicketCopy
from frontdesk.store.history_load import BATCH_VISITS, HistoryLoader

# Smaller files are read in the writing process: starting a child costs more than it
# saves below a few thousand visits (a visit is ~300 bytes).
PARALLEL_BYTES = 4 * 1024 * 1024
_PIPE_BYTES = 1024 * 1024
# How long a child that was told to stop may take before it is killed.
_STOP_SECONDS = 5.0

# The child ships a quarter of a writer's batch at a time, so that the pipe holds a few
# and the child reads on while the writer waits for the store.
SHIP_VISITS = BATCH_VISITS // 4


def worth_reading_apart(binary: IO[bytes], *, dry_run: bool) -> bool:
    """Whether to read this file in a second process: a large seekable file (on disk, or
    bytes in memory), to be written (not a dry run), on a machine with a core to spare,
    where a child can be forked."""
    if dry_run or (os.cpu_count() or 1) < 2:
        return False
    if "fork" not in multiprocessing.get_all_start_methods() or not binary.seekable():
        return False
    if _descriptor(binary) is None and not isinstance(binary, io.BytesIO):
        return False
    start = binary.tell()
    size = binary.seek(0, os.SEEK_END) - start
    binary.seek(start)
    return size >= PARALLEL_BYTES


def _descriptor(binary: IO[bytes]) -> int | None:
    try:
        return binary.fileno()
    except (OSError, ValueError, AttributeError):
        return None


class _Source:
    """What the child reads, handed over so that it survives the child's start-up (which
    closes standard input, and with it a file object read from there): its own handle on
    the open file at the same place, or a copy of bytes held in memory."""

    def __init__(self, binary: IO[bytes]) -> None:
        self._start = binary.tell()
        fd = _descriptor(binary)
        self._fd = None if fd is None else os.dup(fd)
        self._data = binary.getvalue()[self._start :] if self._fd is None else None  # type: ignore[attr-defined]

    def open(self) -> IO[bytes]:
        if self._fd is None:
            return io.BytesIO(self._data or b"")
        reader = os.fdopen(self._fd, "rb", closefd=True)
        reader.seek(self._start)
        return reader

    def close(self) -> None:
        """The parent's copy of the handle (the child has its own after the fork)."""
        if self._fd is not None:
            os.close(self._fd)
            self._fd = None


class ReadApart:
    """A child process reading `binary` into batches of checked visits, which `load()`
    hands to the loader, then its totals (`totals`). Leaving the block stops the child
    if it still runs."""

    def __init__(
        self,
        binary: IO[bytes],
        file: EventFile,
        cat: Catalogue,
        grouped: bool,
        loader: HistoryLoader,
    ) -> None:
        self._file = file
        self._loader = loader
        receiving, sending = multiprocessing.Pipe(duplex=False)
        _widen(sending)
        self._pipe = receiving
        # PostgreSQL: ticket ids go to the child in blocks (see the module's docstring).
        self._ids: Pipe | None = None
        ids_in: Pipe | None = None
        first_id = 0
        if loader.postgres:
            ids_in, self._ids = multiprocessing.Pipe(duplex=False)
        else:
            first_id = loader.next_sqlite_id()
        # Forked: the child has the catalogue and the open file without pickling, and
        # starts in milliseconds. It touches no store connection and leaves by os._exit.
        context = multiprocessing.get_context("fork")
        data = _Source(binary)
        self._child = context.Process(
            target=_read,
            args=(data, file.source, cat, grouped, _Ids(first_id, ids_in), sending),
            name="frontdesk-import-reader",
            daemon=True,
        )
        try:
            self._child.start()
        finally:
            data.close()
            sending.close()  # the child holds the only sending end: its exit ends the pipe
            if ids_in is not None:
                ids_in.close()
        self.totals: tuple[int, int, dict[int, tuple[str, str]]] | None = None
        if self._ids is not None:
            for _ in range(2):
                self._send_ids()

    def __enter__(self) -> ReadApart:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._pipe.close()  # a child still sending gets a broken pipe and stops
        if self._ids is not None:
            self._ids.close()  # and one waiting for ids, the end of its pipe
        self._child.join(_STOP_SECONDS)
        if self._child.is_alive():
            self._child.kill()
            self._child.join()
        self._child.close()

    def load(self) -> None:
        """Hand each batch to the loader as it comes; Regroup or ImportRejected as the
        child found."""
        loader = self._loader
        source = self._file.source
        while True:
            try:
                message = self._pipe.recv()
            except EOFError:
                raise ImportRejected(
                    f"{source}: the process reading the file stopped; nothing was loaded"
                ) from None
            kind = message[0]
            if kind == "copy":
                loader.add_copy(message[1])
            elif kind == "batch":
                # Plain tuples cross the pipe (a NamedTuple pickles ten times slower).
                loader.add_batch([_ticket(t) for t in message[1]], message[2])
            elif kind == "ids":
                self._send_ids()
            elif kind == "done":
                self.totals = (message[1], message[2], message[3])
                return
            elif kind == "regroup":
                raise Regroup
            elif kind == "rejected":
                raise ImportRejected(message[1])
            else:
                raise ImportRejected(
                    f"{source}: could not be read ({message[1]}); nothing was loaded"
                )

    def _send_ids(self) -> None:
        assert self._ids is not None
        # A child that is gone (OSError) is told of by the batches' pipe.
        with contextlib.suppress(OSError):
            self._ids.send(self._loader.id_block())


def _ticket(fields: tuple[Any, ...]) -> PendingTicket:
    return tuple.__new__(PendingTicket, fields)  # (a NamedTuple's __new__ is Python)


def _widen(pipe: Pipe) -> None:
    """Let the pipe hold a whole batch (Linux: up to 1 MiB, the usual ceiling), so the
    child goes on to the next batch while the writer is still busy with the last."""
    try:
        import fcntl  # (not on Windows, where there is no fork either)
    except ImportError:
        return
    setting = getattr(fcntl, "F_SETPIPE_SZ", None)
    if setting is not None:
        with contextlib.suppress(OSError):
            fcntl.fcntl(pipe.fileno(), setting, _PIPE_BYTES)


class _Ids:
    """The child's ticket ids: counted on from the first (SQLite), or taken from the
    blocks the writer sends (PostgreSQL), asking for the next block on starting one."""

    def __init__(self, first: int, blocks: Pipe | None) -> None:
        self._next = first
        self._blocks = blocks
        self.postgres = blocks is not None
        self._block: list[int] = []

    def take(self, shipping: Pipe) -> int:
        if self._blocks is None:
            tid = self._next
            self._next += 1
            return tid
        if not self._block:
            self._block = self._blocks.recv()[::-1]  # EOFError: the writer stopped
            shipping.send(("ids",))
        return self._block.pop()


class _Shipper:
    """The child's loader: gives out ticket ids and sends full batches to the writer."""

    write = True

    def __init__(self, pipe: Pipe, ids: _Ids) -> None:
        self._pipe = pipe
        self._ids = ids
        # PostgreSQL: the batches go as COPY text, made here rather than by the writer.
        self._copy = TicketCopy() if ids.postgres else None
        self._tickets: list[PendingTicket] = []
        self._events: list[tuple[Any, ...]] = []

    def ticket_id(self) -> int:
        return self._ids.take(self._pipe)

    def add(self, ticket: PendingTicket, events: list[tuple[Any, ...]]) -> None:
        self._tickets.append(ticket)
        self._events.extend(events)
        if len(self._tickets) >= SHIP_VISITS:
            self.ship()

    def ship(self) -> None:
        if self._tickets:
            if self._copy is not None:
                self._pipe.send(("copy", self._copy.batch(self._tickets, self._events)))
            else:
                self._pipe.send(("batch", [tuple(t) for t in self._tickets], self._events))
            self._tickets, self._events = [], []


def _read(data: _Source, source: str, cat: Catalogue, grouped: bool, ids: _Ids, pipe: Pipe) -> None:
    """The child: read, check and replay every visit, shipping them in batches; then say
    how it ended. Nothing escapes as a traceback: the writer tells the user."""
    ending: tuple[Any, ...] | None
    try:
        file = EventFile(data.open(), source, cat)
        shipper = _Shipper(pipe, ids)
        plan = VisitPlan(cat, shipper, file, authoritative=not grouped)
        totals = plan.read(contiguous_visits(file) if grouped else spooled_visits(file))
        shipper.ship()
        ending = ("done", *totals)
    except Regroup:
        ending = ("regroup",)
    except FrontdeskError as exc:
        ending = ("rejected", str(exc))
    except (OSError, EOFError, KeyboardInterrupt):
        ending = None  # the writer stopped (an error of its own, or Ctrl-C)
    except Exception as exc:  # a fault of ours: told in one line, nothing loaded
        ending = ("failed", f"{type(exc).__name__}: {exc}")
    try:
        if ending is not None:
            pipe.send(ending)
    except OSError:
        pass  # the writer is gone
    finally:
        pipe.close()
