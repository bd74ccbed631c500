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
from typing import IO, NamedTuple
from zoneinfo import ZoneInfo

from frontdesk.errors import InvalidInput
from frontdesk.queue.measures import AVOIDABLE_CATEGORIES
from frontdesk.queue.states import INTERCHANGE_STEPS, Step
from frontdesk.store.catalogue import Catalogue

COLUMNS = ("visit", "centre", "service", "event", "at", "desk", "resolved", "avoidable")
MAX_FIELD = 1000  # characters in any one field
MAX_LINE = 64 * 1024  # bytes in one line of the file
YEARS = (2000, 2100)
MAX_PROBLEMS = 20
# Named on called/started/completed rows; may be named on no_show and transferred rows
# (both happen at a desk); never on the others.
DESK_NEEDED = frozenset({Step.CALLED, Step.STARTED, Step.COMPLETED})
DESK_ALLOWED = DESK_NEEDED | {Step.NO_SHOW, Step.TRANSFERRED}
_STEPS = {s.value: s for s in INTERCHANGE_STEPS}
_ISSUED, _COMPLETED = Step.ISSUED, Step.COMPLETED  # (an enum member lookup is slow)
_CONTROL = re.compile("[\x00-\x1f\x7f]")
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


class _Centre(NamedTuple):
    id: int
    code: str
    zone: ZoneInfo
    services: dict[str, int]  # code → id, the services offered there
    desks: dict[str, int]  # name → id


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
        self._line = 0
        self.problems: list[str] = []
        self.problem_count = 0
        self.rows_read = 0
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

    def _lines(self) -> Iterator[str]:
        """Decoded lines, each checked for length and encoding before the CSV parser."""
        readline = self._file.readline
        while True:
            raw = readline(MAX_LINE + 1)
            if not raw:
                return
            self._line += 1
            if self._line == 1:
                raw = self._first(raw)
            if len(raw) > MAX_LINE:
                raise self.fail(
                    f"row {self._line} is longer than {MAX_LINE:,} bytes "
                    f"(fields are at most {MAX_FIELD:,} characters)"
                )
            try:
                yield raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                bad = raw[exc.start : exc.start + 1].hex()
                raise self.fail(
                    f"row {self._line} is not UTF-8 (byte 0x{bad} at position {exc.start + 1}); "
                    "save the file as UTF-8 (Latin-1 and UTF-16 are not accepted)"
                ) from None

    def _first(self, raw: bytes) -> bytes:
        if raw.startswith((b"\xff\xfe", b"\xfe\xff")) or raw.count(b"\x00") > 2:
            raise self.fail("the file is UTF-16; save it as UTF-8 (with or without a BOM)")
        return raw.removeprefix(b"\xef\xbb\xbf")

    def rows(self) -> Iterator[CheckedRow]:
        """The file's rows that pass every check, in file order."""
        reader = csv.reader(self._lines(), strict=True)
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
            try:
                rec = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise self.fail(f"row {self._line} is not valid CSV ({exc})") from None
            if not rec:
                continue  # a blank line
            self.rows_read += 1
            if len(rec) < width:
                rec = rec + [""] * (width - len(rec))
            try:
                yield check(rec if in_order else [rec[i] for i in index], self._line)
            except _Bad as exc:
                self.problem(self._line, str(exc))

    # -- one row -------------------------------------------------------------------------

    def _check(self, f: list[str], line: int) -> CheckedRow:
        joined = "".join(f[:8])
        if len(joined) > MAX_FIELD:
            for name, value in zip(COLUMNS, f, strict=False):
                if len(value) > MAX_FIELD:
                    raise _Bad(
                        f"'{name}' is {len(value):,} characters long (at most {MAX_FIELD:,})"
                    )
        found = _CONTROL.search(joined)
        if found is not None:
            char = found.group()
            what = _CONTROL_NAMES.get(char, f"control character U+{ord(char):04X}")
            name = next(n for n, v in zip(COLUMNS, f, strict=False) if char in v)
            raise _Bad(f"'{name}' contains {what}")
        # Hot: one attribute call per field rather than a generator.
        visit = f[0].strip()
        centre_code = f[1].strip()
        service = f[2].strip()
        event = f[3].strip()
        desk = f[5].strip()
        resolved_text = f[6].strip()
        avoidable = f[7].strip()
        if not visit:
            raise _Bad("'visit' is empty")
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
        at, day = _instant(f[4].strip(), centre.zone if step is _ISSUED else None)
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
        return CheckedRow(
            line, visit, centre.id, service_id, step, at, desk_id, resolved, avoidable or None, day
        )


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
