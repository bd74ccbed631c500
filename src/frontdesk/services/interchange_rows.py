"""Reading an event CSV safely, one row at a time (DESIGN §4 and §5).

The file must be UTF-8 (a byte-order mark and CRLF line ends are fine). A Latin-1 or
UTF-16 file, a NUL byte or other control character, a field over 1,000 characters and a
time outside 2000–2100 are refused naming the row. Every row is checked against the
catalogue (centre, service, desk) and becomes a `CheckedRow` of plain values; rows with
problems are counted and described (the first twenty), never loaded.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from datetime import UTC, datetime
from itertools import chain
from typing import IO, Any, NamedTuple
from zoneinfo import ZoneInfo

from frontdesk.errors import InvalidInput
from frontdesk.queue.measures import AVOIDABLE_CATEGORIES
from frontdesk.queue.states import INTERCHANGE_STEPS, Step
from frontdesk.store.catalogue import Catalogue

COLUMNS = ("visit", "centre", "service", "event", "at", "desk", "resolved", "avoidable")
MAX_FIELD = 1000  # characters in any one field
MAX_LINE = 64 * 1024  # bytes in one line of the file
_BLOCK = 1024 * 1024  # bytes read at a time
_KNOWN_LIMIT = 10_000  # distinct code combinations remembered
YEARS = (2000, 2100)
MAX_PROBLEMS = 20
# Named on called/started/completed rows; may be named on no_show and transferred rows
# (both happen at a desk); never on the others.
DESK_NEEDED = frozenset({Step.CALLED, Step.STARTED, Step.COMPLETED})
DESK_ALLOWED = DESK_NEEDED | {Step.NO_SHOW, Step.TRANSFERRED}
_STEPS = {s.value: s for s in INTERCHANGE_STEPS}
_ISSUED, _COMPLETED = Step.ISSUED, Step.COMPLETED  # (an enum member lookup is slow)
_CONTROL = re.compile("[\x00-\x1f\x7f]")
# A block without these bytes (control characters other than line ends, and quotes,
# which could hide a line break inside a field) and without a line over MAX_FIELD bytes
# holds no field that needs the per-field checks.
_SUSPECT = re.compile(b'[\x00-\x09\x0b\x0c\x0e-\x1f\x7f"]')
_CONTROL_NAMES = {"\x00": "a NUL byte", "\t": "a tab", "\n": "a line break", "\r": "a line break"}


class ImportRejected(InvalidInput):
    """A file with errors; nothing from it was loaded."""


class CheckedRow(NamedTuple):
    """One row that passed every check, in the store's terms."""

    line: int
    visit: str
    centre_id: int
    service_id: int
    step: Step
    at: str  # UTC, "YYYY-MM-DD HH:MM:SS.ffffff": sorts as time, as SQLite stores it
    desk_id: int | None
    resolved: bool | None
    avoidable: str | None
    day: str | None  # the centre's local date (ISO) on `issued` rows, else None


_new_row = tuple.__new__


class _Centre(NamedTuple):
    id: int
    code: str
    zone: ZoneInfo
    services: dict[str, int]  # code → id, the services offered there
    desks: dict[str, int]  # name → id


# A row's checked centre, service, event, desk id, resolved and avoidable.
_Codes = tuple[_Centre, int, Step, int | None, bool | None, str | None]


class _Bad(Exception):
    """One row's problem (becomes `FILE: row N: …`)."""


class EventFile:
    """An event CSV read from a binary file: `rows()` yields its checked rows in file order.

    A file-wide fault (not UTF-8, a line too long, no header) raises ImportRejected at
    once; row problems are gathered in `problems` while reading goes on, so one run names
    up to twenty of them.
    """

    def __init__(self, binary: IO[bytes], source: str, catalogue: Catalogue) -> None:
        self.source = source
        self._file = binary
        self.problems: list[str] = []
        self._known: dict[tuple[str, ...], Any] = {}
        self.problem_count = 0
        self._suspect = False  # a block read so far may hold a long field or a control
        self._centres = {
            code: _Centre(
                c.id,
                code,
                ZoneInfo(c.timezone),
                {s: catalogue.services[s].id for s in c.services if s in catalogue.services},
                {name: d.id for name, d in c.desks.items()},
            )
            for code, c in catalogue.centres.items()
        }
        self._services = set(catalogue.services)
        self.centre_codes = {c.id: code for code, c in self._centres.items()}

    def fail(self, message: str) -> ImportRejected:
        return ImportRejected(f"{self.source}: {message}")

    def problem(self, line: int, message: str) -> None:
        self.problem_count += 1
        if len(self.problems) < MAX_PROBLEMS:
            self.problems.append(f"{self.source}: row {line}: {message}")

    def rejected(self, extra: list[str] | None = None) -> ImportRejected:
        """The gathered problems (and any others) as one line."""
        problems = [*self.problems, *(extra or [])]
        more = self.problem_count + len(extra or []) - len(problems)
        tail = f"; … and {more} more" if more > 0 else ""
        return ImportRejected("; ".join(problems) + tail)

    # -- the file ------------------------------------------------------------------------

    def _chunks(self) -> Iterator[list[str]]:
        """The file's lines, decoded, a block at a time; each line's length and encoding
        is checked before the CSV parser sees it."""
        read = self._file.read
        rest = b""
        done = 0  # lines handed over so far
        first = True
        while True:
            block = read(_BLOCK)
            data = rest + block if rest else block
            if first and data:
                data, first = self._first(data), False
            if block:
                lines = data.splitlines(keepends=True)  # bytes: only \n, \r and \r\n
                # The last line may go on in the next block (a lone \r too: it may be
                # the first half of \r\n).
                rest = lines.pop() if lines and not lines[-1].endswith(b"\n") else b""
                if len(rest) > MAX_LINE:
                    raise self._too_long(done + len(lines) + 1)
            else:
                lines, rest = ([data] if data else []), b""
            if lines:
                longest = max(map(len, lines))
                if longest > MAX_LINE:
                    raise self._too_long(
                        done + next(i for i, x in enumerate(lines, 1) if len(x) > MAX_LINE)
                    )
                if not self._suspect and (longest > MAX_FIELD or _SUSPECT.search(data)):
                    self._suspect = True  # (its rows are read after this is set)
                try:
                    text = [line.decode("utf-8") for line in lines]
                except UnicodeDecodeError:
                    raise self._not_utf8(lines, done) from None
                done += len(lines)
                yield text
            if not block:
                return

    def _too_long(self, line: int) -> ImportRejected:
        return self.fail(
            f"row {line} is longer than {MAX_LINE:,} bytes "
            f"(fields are at most {MAX_FIELD:,} characters)"
        )

    def _not_utf8(self, lines: list[bytes], done: int) -> ImportRejected:
        for n, line in enumerate(lines, start=done + 1):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = line[exc.start : exc.start + 1].hex()
                return self.fail(
                    f"row {n} is not UTF-8 (byte 0x{bad} at position {exc.start + 1}); "
                    "save the file as UTF-8 (Latin-1 and UTF-16 are not accepted)"
                )
        raise AssertionError("a line that failed to decode decoded")  # pragma: no cover

    def _first(self, data: bytes) -> bytes:
        end = data.find(b"\n")
        head = data[: end if end >= 0 else MAX_LINE]
        if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head.count(b"\x00") > 2:
            raise self.fail("the file is UTF-16; save it as UTF-8 (with or without a BOM)")
        return data.removeprefix(b"\xef\xbb\xbf")

    def rows(self) -> Iterator[CheckedRow]:
        """The file's rows that pass every check, in file order."""
        reader = csv.reader(chain.from_iterable(self._chunks()), strict=True)
        try:
            header = [h.strip() for h in next(reader)]
        except StopIteration:
            raise self.fail("the file is empty (expected a header row)") from None
        except csv.Error as exc:
            raise self.fail(f"row 1 is not valid CSV ({exc})") from None
        missing = [c for c in COLUMNS if c not in header]
        if missing:
            raise self.fail(
                f"header lacks column(s) {', '.join(missing)} (expected: {','.join(COLUMNS)})"
            )
        index = [header.index(c) for c in COLUMNS]
        width = max(index) + 1
        in_order = index == list(range(len(COLUMNS)))
        check = self._check
        while True:
            line = reader.line_num + 1  # a row is named by its first line
            try:
                rec = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise self.fail(f"row {reader.line_num} is not valid CSV ({exc})") from None
            if not rec:
                continue  # a blank line
            if len(rec) < width:
                rec = rec + [""] * (width - len(rec))
            try:
                yield check(rec if in_order else [rec[i] for i in index], line)
            except _Bad as exc:
                self.problem(line, str(exc))

    # -- one row -------------------------------------------------------------------------

    def _check(self, f: list[str], line: int) -> CheckedRow:
        # Hot. A file repeats the same few centre/service/event/desk/outcome values on
        # row after row: they are checked once and remembered. The visit and the time
        # are checked field by field only when their block could hold a fault.
        codes = self._known.get((f[1], f[2], f[3], f[5], f[6], f[7]))
        if codes is None:
            codes = self._codes(f)
        visit, at_text = f[0], f[4]
        if self._suspect and (
            len(visit) > MAX_FIELD
            or len(at_text) > MAX_FIELD
            or _CONTROL.search(visit) is not None
            or _CONTROL.search(at_text) is not None
        ):
            _plain(f)
        visit = visit.strip()
        if not visit:
            raise _Bad("'visit' is empty")
        centre, service_id, step, desk_id, resolved, avoidable = codes
        at, day = _instant(at_text.strip(), centre.zone if step is _ISSUED else None)
        # tuple.__new__ skips the NamedTuple's Python-level constructor (hot).
        return _new_row(
            CheckedRow,
            (line, visit, centre.id, service_id, step, at, desk_id, resolved, avoidable, day),
        )

    def _codes(
        self, f: list[str]
    ) -> tuple[_Centre, int, Step, int | None, bool | None, str | None]:
        """Check a row's centre, service, event, desk and outcome (then remember them)."""
        _plain(f)
        centre_code = f[1].strip()
        service = f[2].strip()
        event = f[3].strip()
        desk = f[5].strip()
        resolved_text = f[6].strip()
        avoidable = f[7].strip()
        centre = self._centres.get(centre_code)
        if centre is None:
            raise _Bad(f"unknown centre '{centre_code}'")
        service_id = centre.services.get(service)
        if service_id is None:
            if service not in self._services:
                raise _Bad(f"unknown service '{service}'")
            raise _Bad(f"service '{service}' is not offered at {centre_code}")
        step = _STEPS.get(event)
        if step is None:
            raise _Bad(f"unknown event '{event}' (accepted: {', '.join(_STEPS)})")
        desk_id = None
        if desk:
            if step not in DESK_ALLOWED:
                raise _Bad(
                    f"'desk' must be empty on '{step.value}' rows "
                    "(a desk is named on called, no_show, started, transferred and completed rows)"
                )
            desk_id = centre.desks.get(desk)
            if desk_id is None:
                raise _Bad(f"unknown desk '{desk}' at {centre_code}")
        elif step in DESK_NEEDED:
            raise _Bad(f"'{step.value}' needs the desk name")
        resolved: bool | None = None
        if step is _COMPLETED:
            resolved_text = resolved_text.lower()
            if resolved_text not in ("true", "false"):
                raise _Bad("'resolved' must be true or false on completed rows")
            resolved = resolved_text == "true"
            if avoidable and avoidable not in AVOIDABLE_CATEGORIES:
                raise _Bad(
                    f"unknown avoidable '{avoidable}' (accepted: {', '.join(AVOIDABLE_CATEGORIES)})"
                )
        elif resolved_text or avoidable:
            raise _Bad("'resolved' and 'avoidable' belong on completed rows only")
        codes = (centre, service_id, step, desk_id, resolved, avoidable or None)
        if len(self._known) < _KNOWN_LIMIT:
            self._known[(f[1], f[2], f[3], f[5], f[6], f[7])] = codes
        return codes


def _plain(f: list[str]) -> None:
    """Refuse a field over the length limit or holding a control character."""
    for name, value in zip(COLUMNS, f, strict=False):
        if len(value) > MAX_FIELD:
            raise _Bad(f"'{name}' is {len(value):,} characters long (at most {MAX_FIELD:,})")
        found = _CONTROL.search(value)
        if found is not None:
            char = found.group()
            what = _CONTROL_NAMES.get(char, f"control character U+{ord(char):04X}")
            raise _Bad(f"'{name}' contains {what}")


_fromisoformat = datetime.fromisoformat


def _instant(text: str, zone: ZoneInfo | None) -> tuple[str, str | None]:
    """The UTC instant as the store keeps it, and (given a zone) its local date."""
    try:
        at = _fromisoformat(text)
    except ValueError:
        raise _Bad(f"'at' {text!r} is not ISO 8601 (e.g. 2026-03-02T09:14:05+00:00)") from None
    if at.tzinfo is None:
        raise _Bad(f"'at' {text!r} has no UTC offset (e.g. +00:00)")
    if not YEARS[0] <= at.year <= YEARS[1]:
        raise _Bad(f"'at' {text!r} is outside the years {YEARS[0]}–{YEARS[1]}")
    if len(text) == 25 and text.endswith("+00:00") and text[10:17:3] == "T::":
        # The usual form, 2026-03-02T09:14:05+00:00: rewritten without a datetime method.
        stored = f"{text[:10]} {text[11:19]}.000000"
    else:
        at = at.astimezone(UTC)
        stored = at.replace(tzinfo=None).isoformat(" ", "microseconds")
    return stored, (at.astimezone(zone).date().isoformat() if zone is not None else None)
