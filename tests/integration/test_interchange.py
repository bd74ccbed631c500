"""Event interchange on a real store (SQLite and PostgreSQL): `import events` as a
migration tool and `export events`, through the service and the command line."""

from __future__ import annotations

import csv
import io
import os
import random
import signal
import subprocess
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import text

from frontdesk import sample
from frontdesk.cli import main
from frontdesk.errors import StoreUnavailable
from frontdesk.services import interchange, interchange_parallel
from frontdesk.services.interchange import (
    ImportRejected,
    ImportSummary,
    export_events,
    import_events,
)
from frontdesk.services.results import Query
from frontdesk.services.wiring import Services, initialise, open_services
from frontdesk.store import history_export
from frontdesk.store.changes import ChangeWatcher
from frontdesk.store.history_load import HistoryLoader

HEADER = ["visit", "centre", "service", "event", "at", "desk", "resolved", "avoidable"]
DAY = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday in winter: local time is UTC


# -- one process or two -----------------------------------------------------------------


@pytest.fixture(autouse=True, params=["read by the writer", "read in a second process"])
def reading(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Every test here on a store runs with the file read by the process that writes, and
    again with it read by a second process (as a large file is; here, any file)."""
    if request.param == "read in a second process":
        if "backend" not in request.fixturenames:
            pytest.skip("no store: nothing is imported")
        monkeypatch.setattr(interchange_parallel, "PARALLEL_BYTES", 0)
        monkeypatch.setattr(interchange_parallel.os, "cpu_count", lambda: 2)
    return str(request.param)


# -- building files ---------------------------------------------------------------------


def at(seconds: int) -> str:
    return (DAY + timedelta(seconds=seconds)).isoformat()


def history(visits: int, seed: int = 7) -> list[list[list[str]]]:
    """Finished visits at CIVIC, at seconds resolution: issued and called in the same
    second when a desk is free; no-shows and transfers named with their desk."""
    rng = random.Random(seed)
    out = []
    for n in range(visits):
        ref, t = f"V{n:04d}", 60 * n
        rows = [[ref, "CIVIC", "CTAX", "issued", at(t), "", "", ""]]
        desk = rng.choice(["1", "2", "3"])
        call = t + rng.choice([0, 0, 5, 300])
        kind = n % 5
        if kind == 4:
            rows.append([ref, "CIVIC", "CTAX", "left", at(t + 400), "", "", ""])
        else:
            rows.append([ref, "CIVIC", "CTAX", "called", at(call), desk, "", ""])
            if kind == 3:
                rows.append([ref, "CIVIC", "CTAX", "no_show", at(call + 120), desk, "", ""])
            else:
                rows.append([ref, "CIVIC", "CTAX", "started", at(call), desk, "", ""])
                rows.append([ref, "CIVIC", "CTAX", "completed", at(call + 200), desk, "true", ""])
                if kind == 2:
                    end = call + 200
                    rows.append([ref, "CIVIC", "HBEN", "transferred", at(end), desk, "", ""])
                    rows.append([ref, "CIVIC", "HBEN", "called", at(end), "4", "", ""])
                    rows.append([ref, "CIVIC", "HBEN", "started", at(end + 1), "4", "", ""])
                    rows.append(
                        [ref, "CIVIC", "HBEN", "completed", at(end + 90), "4", "false", "chasing"]
                    )
        out.append(rows)
    return out


def csv_bytes(rows: list[list[str]], *, newline: str = "\n", bom: bool = False) -> bytes:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator=newline)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return (b"\xef\xbb\xbf" if bom else b"") + buf.getvalue().encode("utf-8")


def shuffled_within_visits(visits: list[list[list[str]]], seed: int = 1) -> list[list[str]]:
    rng = random.Random(seed)
    out = []
    for rows in visits:
        rows = list(rows)
        rng.shuffle(rows)
        out.extend(rows)
    return out


def counts(svc: Services) -> tuple[int, int, int]:
    with svc.engine.connect() as conn:
        return tuple(  # type: ignore[return-value]
            conn.execute(text(f"SELECT count(*) FROM {t}")).scalar_one()
            for t in ("ticket", "ticket_event", "number_counter")
        )


def exported(svc: Services, **kw: Any) -> list[list[str]]:
    out = io.StringIO()
    export_events(svc.queue, out, **kw)
    return list(csv.reader(io.StringIO(out.getvalue())))


def by_visit(rows: list[list[str]]) -> dict[str, list[list[str]]]:
    out: dict[str, list[list[str]]] = {}
    for r in rows:
        out.setdefault(r[0], []).append(r)
    return out


# -- loading ----------------------------------------------------------------------------


@pytest.mark.parametrize("order", ["shuffled within each visit", "shuffled across the file"])
def test_a_seconds_resolution_history_in_any_row_order_imports(
    services: Services, order: str
) -> None:
    visits = history(40)
    rows = shuffled_within_visits(visits)
    if order == "shuffled across the file":
        random.Random(3).shuffle(rows)
    summary = import_events(services.queue, csv_bytes(rows), "history.csv")
    assert (summary.visits, summary.events) == (40, len(rows))
    assert summary.grouped is (order == "shuffled within each visit")
    assert summary.centres == ("CIVIC",)
    assert (summary.date_from, summary.date_to) == (date(2026, 3, 2), date(2026, 3, 2))
    out = exported(services)
    assert out[0] == HEADER
    got = by_visit(out[1:])
    for original in visits:
        ref = original[0][0]
        # The state machine's order, which here is the order the visit was built in.
        assert got[ref] == original, ref
    report = services.reports.standard("CIVIC", date(2026, 3, 2), date(2026, 3, 2))
    assert report.figures.seen == sum(1 for v in visits if any(r[3] == "started" for r in v))
    assert report.figures.queries_completed == sum(r[3] == "completed" for v in visits for r in v)


def test_a_bom_and_crlf_line_ends_are_accepted(services: Services) -> None:
    rows = shuffled_within_visits(history(5))
    summary = import_events(services.queue, csv_bytes(rows, newline="\r\n", bom=True), "w.csv")
    assert summary.visits == 5
    assert [r[0] for r in exported(services)][1] == "V0000"


def test_desks_on_no_show_and_transfer_rows_are_kept_and_exported(services: Services) -> None:
    import_events(services.queue, csv_bytes([r for v in history(4) for r in v]), "h.csv")
    out = by_visit(exported(services)[1:])
    no_show = next(r for r in out["V0003"] if r[3] == "no_show")
    transfer = next(r for r in out["V0002"] if r[3] == "transferred")
    assert no_show[5] != "" and transfer[5] != ""
    assert transfer[2] == "HBEN"


def test_a_live_no_show_and_transfer_export_their_desk(services: Services) -> None:
    q = services.queue
    q.issue("CIVIC", "CTAX")
    q.call_next("CIVIC", "1")
    services.clock.advance(90)  # a no-show is marked a minute after the call at the earliest
    q.no_show("CIVIC", "1")
    q.issue("CIVIC", "CTAX")
    q.call_next("CIVIC", "1")
    q.start("CIVIC", "1")
    q.transfer("CIVIC", "1", service="HBEN", queries=[Query(resolved=False)])
    rows = exported(services)[1:]
    assert [(r[3], r[5]) for r in rows if r[3] in ("no_show", "transferred")] == [
        ("no_show", "1"),
        ("transferred", "1"),
    ]
    # …and the export imports again (under other visit names).
    again = [[f"R-{r[0]}", *r[1:]] for r in rows if r[0].endswith("C001")]
    assert import_events(q, csv_bytes(again), "again.csv").visits == 1


def test_imported_numbers_come_from_the_counter_and_live_tickets_follow(
    services: Services,
) -> None:
    import_events(services.queue, csv_bytes([r for v in history(5) for r in v]), "h.csv")
    labels = sorted(r[0] for r in exported(services)[1:])
    assert len(set(labels)) == 5
    issued = services.queue.issue("CIVIC", "CTAX")  # the clock is on 2 March 2026 too
    assert issued.ticket == "C006"


def test_an_import_into_a_day_with_tickets_numbers_on_from_them(services: Services) -> None:
    # Tickets already given on the imported day (live, or by an earlier import) keep
    # their numbers; the import's follow on, in two batches and across two days.
    q = services.queue
    assert [q.issue("CIVIC", "CTAX").ticket for _ in range(2)] == ["C001", "C002"]
    visits = history(3000)  # 09:00 on 2 March, one a minute: into 4 March
    import_events(q, csv_bytes([r for v in visits for r in v]), "h.csv")
    with services.engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT business_day, label, number, token FROM ticket"
                " WHERE channel = 'import' ORDER BY id"
            )
        ).all()
    by_day: dict[str, list[tuple[str, int, str]]] = {}
    for day, label, number, token in rows:
        by_day.setdefault(str(day), []).append((label, number, token))
    first = by_day.pop("2026-03-02")
    assert [n for _, n, _ in first] == list(range(3, 3 + len(first)))
    assert all(label == f"C{n:03d}" and token.endswith(f"-C{n}") for label, n, token in first)
    for later in by_day.values():
        assert [n for _, n, _ in later] == list(range(1, len(later) + 1))
    assert len(rows) == 3000
    assert q.issue("CIVIC", "CTAX").ticket == f"C{3 + len(first):03d}"


def test_round_trip_import_export_import_is_equal(services: Services) -> None:
    rows = shuffled_within_visits(history(30))
    random.Random(5).shuffle(rows)
    import_events(services.queue, csv_bytes(rows), "a.csv")
    first = exported(services)
    # The same history again under other visit names, from the export itself.
    renamed = [[f"R-{r[0]}", *r[1:]] for r in first[1:]]
    import_events(services.queue, csv_bytes(renamed), "b.csv")
    second = [r for r in exported(services)[1:] if r[0].startswith("R-")]
    assert second == renamed
    assert sorted(map(tuple, first[1:])) == sorted(map(tuple, rows))


def test_an_export_can_be_limited_to_a_centre_and_dates(services: Services) -> None:
    import_events(services.queue, csv_bytes([r for v in history(3) for r in v]), "h.csv")
    assert len(exported(services, centres=["GATEFIELD"])) == 1
    assert len(exported(services, day_from=date(2026, 3, 3))) == 1
    assert len(exported(services, day_to=date(2026, 3, 2))) > 1


# -- all or nothing ---------------------------------------------------------------------


def test_visits_imported_before_are_refused(services: Services) -> None:
    data = csv_bytes([r for v in history(3) for r in v])
    import_events(services.queue, data, "h.csv")
    before = counts(services)
    with pytest.raises(ImportRejected, match=r"visit\(s\) V0000, V0001, V0002 were imported"):
        import_events(services.queue, data, "h.csv")
    assert counts(services) == before


def test_a_bad_last_row_loads_nothing(services: Services) -> None:
    rows = [r for v in history(60) for r in v]
    rows.append(["V9999", "CIVIC", "CTAX", "issued", at(1), "", "", ""])
    rows.append(["V9999", "CIVIC", "CTAX", "left", at(2), "No Such Desk", "", ""])
    with pytest.raises(ImportRejected, match=f"row {len(rows) + 1}: 'desk' must be empty"):
        import_events(services.queue, csv_bytes(rows), "h.csv")
    assert counts(services) == (0, 0, 0)


def test_a_bad_last_visit_loads_nothing(services: Services) -> None:
    rows = [r for v in history(60) for r in v]
    rows.append(["V9999", "CIVIC", "CTAX", "issued", at(1), "", "", ""])
    rows.append(["V9999", "CIVIC", "CTAX", "started", at(2), "1", "", ""])
    with pytest.raises(ImportRejected) as caught:
        import_events(services.queue, csv_bytes(rows), "h.csv")
    n = len(rows) + 1
    assert f"visit V9999 (rows {n - 1}, {n}): row {n}:" in str(caught.value)
    assert "cannot 'started'" in str(caught.value)
    assert counts(services) == (0, 0, 0)


def test_a_dry_run_says_what_would_be_loaded_and_writes_nothing(services: Services) -> None:
    rows = shuffled_within_visits(history(12))
    summary = import_events(services.queue, csv_bytes(rows), "h.csv", dry_run=True)
    assert summary == ImportSummary(
        visits=12,
        events=len(rows),
        centres=("CIVIC",),
        date_from=date(2026, 3, 2),
        date_to=date(2026, 3, 2),
        days=(("CIVIC", date(2026, 3, 2), date(2026, 3, 2)),),
        dry_run=True,
        grouped=True,
    )
    assert counts(services) == (0, 0, 0)
    # It finds what a real import would refuse, too.
    import_events(services.queue, csv_bytes(rows), "h.csv")
    with pytest.raises(ImportRejected, match="were imported before"):
        import_events(services.queue, csv_bytes(rows), "h.csv", dry_run=True)


def test_the_after_import_hook_gets_the_range_once_per_committed_import(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    seen: list[ImportSummary] = []
    monkeypatch.setattr(interchange, "AFTER_IMPORT", [lambda q, s: seen.append(s)])
    data = csv_bytes([r for v in history(3) for r in v])
    import_events(services.queue, data, "h.csv", dry_run=True)
    assert seen == []
    import_events(services.queue, data, "h.csv")
    with pytest.raises(ImportRejected):
        import_events(services.queue, data, "h.csv")
    assert [(s.centres, s.date_from, s.date_to, s.visits) for s in seen] == [
        (("CIVIC",), date(2026, 3, 2), date(2026, 3, 2), 3)
    ]


# -- bad files: one line naming the row, nothing loaded ---------------------------------

GOOD = ["V1", "CIVIC", "CTAX", "issued", "2026-03-02T09:00:00+00:00", "", "", ""]
LEFT = ["V1", "CIVIC", "CTAX", "left", "2026-03-02T09:05:00+00:00", "", "", ""]


def with_field(row: list[str], column: str, value: str) -> list[str]:
    out = list(row)
    out[HEADER.index(column)] = value
    return out


BAD_FILES: dict[str, tuple[bytes, str]] = {
    "Latin-1": (
        csv_bytes([GOOD, LEFT]).replace(b"left", "l\u00e9ft".encode("latin-1")),
        "row 3 is not UTF-8 (byte 0xe9",
    ),
    "UTF-16 with a BOM": (csv_bytes([GOOD, LEFT]).decode().encode("utf-16"), "is UTF-16"),
    "UTF-16 without a BOM": (csv_bytes([GOOD, LEFT]).decode().encode("utf-16-le"), "is UTF-16"),
    "a field over 1,000 characters": (
        csv_bytes([with_field(GOOD, "visit", "V" * 1001), LEFT]),
        "row 2: 'visit' is 1,001 characters long (at most 1,000)",
    ),
    "a field over 131,072 characters": (
        csv_bytes([with_field(GOOD, "desk", "x" * 131_073), LEFT]),
        "row 2 is longer than 65,536 bytes",
    ),
    "a quoted field over 131,072 characters across lines": (
        csv_bytes([GOOD])
        + b'V2,CIVIC,CTAX,left,2026-03-02T09:00:00+00:00,"'
        + (b"x" * 60_000 + b"\n") * 3
        + b'",,\n',
        "is not valid CSV (field larger than field limit",
    ),
    "a NUL byte": (
        csv_bytes([with_field(GOOD, "desk", "1\x00"), LEFT]),
        "row 2: 'desk' contains a NUL byte",
    ),
    "a control character": (
        csv_bytes([GOOD, with_field(LEFT, "visit", "V1\x1b[2J")]),
        "row 3: 'visit' contains control character U+001B",
    ),
    "year 0001": (
        csv_bytes([with_field(GOOD, "at", "0001-01-01T00:00:00+01:00"), LEFT]),
        "row 2: 'at' '0001-01-01T00:00:00+01:00' is outside the years 2000–2100",
    ),
    "year 9999": (
        csv_bytes([GOOD, with_field(LEFT, "at", "9999-12-31T23:59:59-01:00")]),
        "row 3: 'at' '9999-12-31T23:59:59-01:00' is outside the years 2000–2100",
    ),
    "no UTC offset": (
        csv_bytes([with_field(GOOD, "at", "2026-03-02T09:00:00"), LEFT]),
        "row 2: 'at' '2026-03-02T09:00:00' has no UTC offset",
    ),
    "not a time": (csv_bytes([with_field(GOOD, "at", "yesterday"), LEFT]), "row 2: 'at'"),
    "an unknown centre": (
        csv_bytes([GOOD, with_field(LEFT, "centre", "NOWHERE")]),
        "row 3: unknown centre 'NOWHERE'",
    ),
    "a service not offered there": (
        csv_bytes(
            [GOOD, with_field(with_field(LEFT, "centre", "EASTMOOR-LIB"), "service", "HBEN")]
        ),
        "row 3: service 'HBEN' is not offered at EASTMOOR-LIB",
    ),
    "an unknown event": (
        csv_bytes([GOOD, with_field(LEFT, "event", "finished")]),
        "row 3: unknown event 'finished'",
    ),
    "a desk on an issued row": (
        csv_bytes([with_field(GOOD, "desk", "1"), LEFT]),
        "row 2: 'desk' must be empty on 'issued' rows",
    ),
    "a missing column": (b"visit,centre,service,event,at\nV1,CIVIC,CTAX,issued,x\n", "lacks"),
    "an empty file": (b"", "the file is empty"),
    "an unfinished visit": (csv_bytes([GOOD]), "visit V1 (rows 2) is not finished (waiting)"),
    "a visit in two centres": (
        csv_bytes([GOOD, with_field(LEFT, "centre", "GATEFIELD")]),
        "visit V1 (rows 2, 3) is in several centres",
    ),
}


@pytest.mark.parametrize("case", list(BAD_FILES))
def test_a_bad_file_is_refused_in_one_line_naming_the_row(services: Services, case: str) -> None:
    data, expected = BAD_FILES[case]
    with pytest.raises(ImportRejected) as caught:
        import_events(services.queue, data, "bad.csv")
    message = str(caught.value)
    assert expected in message
    assert message.startswith("bad.csv: ") and "\n" not in message
    assert counts(services) == (0, 0, 0)


# -- the command line -------------------------------------------------------------------


@pytest.fixture
def cli(backend: Any, services: Services, capsys: pytest.CaptureFixture[str]) -> Any:
    """Run `frontdesk ARGS --db URL`; returns (exit status, stdout, stderr)."""

    def run(*args: str) -> tuple[int, str, str]:
        capsys.readouterr()
        status = main([*args, "--db", backend.url])
        out, err = capsys.readouterr()
        return status, out, err

    return run


@pytest.mark.parametrize(
    "case", ["Latin-1", "a NUL byte", "year 9999", "a field over 131,072 characters"]
)
def test_the_command_refuses_a_bad_file_in_one_line(
    cli: Any, services: Services, tmp_path: Path, case: str
) -> None:
    path = tmp_path / "bad.csv"
    path.write_bytes(BAD_FILES[case][0])
    status, out, err = cli("import", "events", str(path))
    assert status == 1 and out == ""
    assert err.startswith("frontdesk: error: ") and err.count("\n") == 1
    assert "row " in err
    assert counts(services) == (0, 0, 0)


def test_the_command_dry_run_and_import(cli: Any, services: Services, tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    rows = shuffled_within_visits(history(6))
    path.write_bytes(csv_bytes(rows, newline="\r\n", bom=True))
    status, out, _ = cli("import", "events", str(path), "--dry-run")
    assert status == 0
    assert out.startswith(f"would import 6 visits ({len(rows)} events) at CIVIC, 2026-03-02 to ")
    assert "nothing was written" in out
    assert counts(services) == (0, 0, 0)
    status, out, _ = cli("import", "events", str(path), "--json")
    assert status == 0
    assert out.strip() == (
        f'{{"visits": 6, "events": {len(rows)}, "centres": ["CIVIC"], "from": "2026-03-02", '
        '"to": "2026-03-02", "dry_run": false}'
    )


def test_export_to_a_folder_or_a_missing_folder_is_one_line(
    cli: Any, services: Services, tmp_path: Path
) -> None:
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    status, _, err = cli("export", "events", "-o", str(tmp_path))
    assert status == 1 and err.count("\n") == 1
    assert err.startswith(f"frontdesk: error: {tmp_path} is a folder")
    missing = tmp_path / "nowhere" / "events.csv"
    status, _, err = cli("export", "events", "-o", str(missing))
    assert status == 1 and err.count("\n") == 1
    assert f"the folder {missing.parent} does not exist" in err
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_leaves_an_existing_file_untouched(
    cli: Any, services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import_events(services.queue, csv_bytes([r for v in history(3) for r in v]), "h.csv")
    tmp_path = tmp_path / "out"
    tmp_path.mkdir()
    target = tmp_path / "events.csv"
    target.write_text("precious\n")
    status, _, err = cli("export", "events", "-o", str(target), "--centre", "NOWHERE")
    assert status == 1 and err.startswith("frontdesk: error:")
    assert target.read_text() == "precious\n"

    def failing(*args: Any) -> Any:
        yield from original(*args)
        raise StoreUnavailable("the store cannot be reached; nothing was saved (test)")

    original = history_export.event_rows
    monkeypatch.setattr(history_export, "event_rows", failing)
    status, _, err = cli("export", "events", "-o", str(target))
    assert status == 1 and "cannot be reached" in err
    assert target.read_text() == "precious\n"
    assert [p.name for p in tmp_path.iterdir()] == ["events.csv"]  # no leftovers

    monkeypatch.setattr(history_export, "event_rows", original)
    status, _, err = cli("export", "events", "-o", str(target))
    assert status == 0 and err.startswith("wrote ")
    assert target.read_text().splitlines()[0] == ",".join(HEADER)


# -- times, limits and streams ----------------------------------------------------------


def test_times_keep_their_fraction_and_offsets_become_utc(services: Services) -> None:
    rows = [
        ["T1", "CIVIC", "CTAX", "issued", "2026-06-01T10:00:00.250000+01:00", "", "", ""],
        ["T1", "CIVIC", "CTAX", "called", "2026-06-01T09:00:00.250Z", "1", "", ""],
        ["T1", "CIVIC", "CTAX", "no_show", "2026-06-01T09:02:00+00:00", "1", "", ""],
    ]
    summary = import_events(services.queue, csv_bytes(rows), "t.csv")
    assert (summary.date_from, summary.date_to) == (date(2026, 6, 1), date(2026, 6, 1))
    assert [r[4] for r in exported(services)[1:]] == [
        "2026-06-01T09:00:00.250000+00:00",
        "2026-06-01T09:00:00.250000+00:00",
        "2026-06-01T09:02:00+00:00",
    ]


def test_a_visit_issued_before_local_midnight_belongs_to_that_local_day(
    services: Services,
) -> None:
    # 23:30 UTC on 30 June is 00:30 on 1 July in London (summer time).
    rows = [
        ["M1", "CIVIC", "CTAX", "issued", "2026-06-30T23:30:00+00:00", "", "", ""],
        ["M1", "CIVIC", "CTAX", "left", "2026-06-30T23:40:00+00:00", "", "", ""],
    ]
    summary = import_events(services.queue, csv_bytes(rows), "m.csv")
    assert summary.date_from == date(2026, 7, 1)
    assert len(exported(services, day_from=date(2026, 7, 1), day_to=date(2026, 7, 1))) == 3


class _Stream:
    """A pipe: read once, no seeking (the import groups through its spool at once)."""

    def __init__(self, data: bytes) -> None:
        self._buf = io.BytesIO(data)

    def read(self, n: int = -1) -> bytes:
        return self._buf.read(n)

    def seekable(self) -> bool:
        return False


def test_a_stream_that_cannot_be_read_twice_is_grouped_through_the_spool(
    services: Services,
) -> None:
    rows = shuffled_within_visits(history(10))
    summary = import_events(services.queue, _Stream(csv_bytes(rows)), "pipe")  # type: ignore[arg-type]
    assert (summary.visits, summary.grouped) == (10, False)
    assert by_visit(exported(services)[1:])["V0002"] == history(10)[2]


def test_problems_are_named_up_to_twenty_then_counted(services: Services) -> None:
    rows = [with_field(GOOD, "centre", f"X{n}") for n in range(25)]
    with pytest.raises(ImportRejected) as caught:
        import_events(services.queue, csv_bytes(rows), "many.csv")
    message = str(caught.value)
    assert message.count("unknown centre") == 20
    assert message.endswith("; … and 5 more")
    assert "row 21: unknown centre 'X19'" in message


def test_a_visit_of_too_many_rows_is_refused(services: Services) -> None:
    rows = [GOOD] + [with_field(GOOD, "event", "cancelled")] * 300
    with pytest.raises(ImportRejected, match="visit V1 has more than 200 rows"):
        import_events(services.queue, csv_bytes(rows), "big.csv")
    assert counts(services) == (0, 0, 0)


def test_the_command_reads_standard_input(
    cli: Any, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = csv_bytes(shuffled_within_visits(history(4)))
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(data)))
    status, out, _ = cli("import", "events", "-")
    assert status == 0 and out.startswith("imported 4 visits"), _
    assert counts(services)[0] == 4


# -- the bulk write ---------------------------------------------------------------------


def test_a_fault_past_the_first_block_is_still_found(services: Services) -> None:
    # Blocks of clean text skip the per-field checks: a fault in a later block must
    # still be caught, on the row it is in.
    rows = [r for v in history(4600) for r in v]
    assert len(csv_bytes(rows)) > 1024 * 1024  # past the first block read
    rows.append(with_field(GOOD, "visit", "V" * 1001))
    rows.append(with_field(LEFT, "at", "2026-03-02T09:05:00+00:00\x00"))
    rows.append(with_field(LEFT, "visit", "V1\nV2"))  # a line break inside quotes
    with pytest.raises(ImportRejected) as caught:
        import_events(services.queue, csv_bytes(rows), "late.csv")
    message = str(caught.value)
    n = len(rows) - 1  # the first bad row's number (the header is row 1)
    assert f"row {n}: 'visit' is 1,001 characters long" in message
    assert f"row {n + 1}: 'at' contains a NUL byte" in message
    assert f"row {n + 2}: 'visit' contains a line break" in message
    assert counts(services) == (0, 0, 0)


def test_foreign_keys_are_checked_again_after_an_import(services: Services, backend: Any) -> None:
    # The import turns the per-row checks off for itself only: every connection it
    # leaves in the pool checks again, after an import that loaded and one refused.
    import_events(services.queue, csv_bytes([r for v in history(3) for r in v]), "h.csv")
    with pytest.raises(ImportRejected):
        import_events(services.queue, csv_bytes([GOOD]), "unfinished.csv")
    pool: Any = services.engine.pool
    held = [services.engine.connect() for _ in range(max(1, pool.checkedin()))]
    try:
        for conn in held:
            if backend.is_postgres:
                role = conn.exec_driver_sql("SHOW session_replication_role").scalar_one()
                assert role == "origin"
            else:
                assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar_one() == 1
    finally:
        for conn in held:
            conn.close()


def loaders(monkeypatch: pytest.MonkeyPatch) -> list[HistoryLoader]:
    """Every HistoryLoader the test makes (in the writing process)."""
    made: list[HistoryLoader] = []
    start = HistoryLoader.__init__

    def spy(self: HistoryLoader, *args: Any, **kw: Any) -> None:
        start(self, *args, **kw)
        made.append(self)

    monkeypatch.setattr(HistoryLoader, "__init__", spy)
    return made


def test_an_import_is_seen_by_a_watching_screen(services: Services, backend: Any) -> None:
    # Live screens re-read on the change feed; on PostgreSQL an import without the
    # server's row checks fires no trigger, so it must send the notification itself.
    watcher = ChangeWatcher(services.engine)
    try:
        watcher.wait(0.05)  # start from now
        import_events(services.queue, csv_bytes([r for v in history(3) for r in v]), "h.csv")
        assert watcher.wait(2.0)
    finally:
        watcher.close()


@pytest.mark.postgres
def test_postgresql_catalogue_rows_stay_locked_while_an_import_loads_without_checks(
    services: Services, backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Without the per-row checks nothing would stop a desk being deleted (by hand: the
    # product never deletes one) under an import that refers to it, leaving events that
    # point nowhere. The import holds the locks the checks would have taken.
    if not backend.is_postgres:
        pytest.skip("SQLite: the import holds the store's one write lock")
    made = loaders(monkeypatch)
    tried: list[str] = []
    finish = HistoryLoader.imported_before

    def delete_a_desk(self: HistoryLoader, *args: Any, **kw: Any) -> list[str]:
        with services.engine.connect() as other:
            other.exec_driver_sql("SET lock_timeout = '200ms'")
            try:
                other.exec_driver_sql("DELETE FROM desk WHERE id = (SELECT min(id) FROM desk)")
                tried.append("deleted")
            except Exception as exc:
                tried.append(type(getattr(exc, "orig", exc)).__name__)
            finally:
                other.rollback()
        return finish(self, *args, **kw)

    monkeypatch.setattr(HistoryLoader, "imported_before", delete_a_desk)
    import_events(services.queue, csv_bytes([r for v in history(5) for r in v]), "h.csv")
    assert [loader.server_checks for loader in made] == [False]  # the test role may
    assert tried == ["LockNotAvailable"]
    assert counts(services)[0] == 5


@pytest.mark.postgres
def test_postgresql_a_role_that_may_not_skip_the_checks_imports_with_them(
    services: Services, backend: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not backend.is_postgres:
        pytest.skip("only PostgreSQL has roles")
    with services.engine.begin() as conn:
        conn.exec_driver_sql(
            "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'fd_plain')"
            " THEN CREATE ROLE fd_plain LOGIN NOSUPERUSER; END IF; END $$"
        )
        conn.exec_driver_sql("GRANT ALL ON ALL TABLES IN SCHEMA public TO fd_plain")
        conn.exec_driver_sql("GRANT ALL ON ALL SEQUENCES IN SCHEMA public TO fd_plain")
        granting = int(conn.exec_driver_sql("SHOW server_version_num").scalar_one()) >= 150000
        if granting:  # (a grant on a parameter outlives the test: start without it)
            conn.exec_driver_sql("REVOKE SET ON PARAMETER session_replication_role FROM fd_plain")
    url = services.engine.url.set(username="fd_plain").render_as_string(hide_password=False)
    made = loaders(monkeypatch)
    plain = open_services(url)
    try:
        visits = history(40)
        summary = import_events(plain.queue, csv_bytes([r for v in visits for r in v]), "h.csv")
        assert [loader.server_checks for loader in made] == [True]
        assert summary.visits == 40
        assert by_visit(exported(services)[1:]) == {v[0][0]: v for v in visits}
        if granting:
            # What the README's deployment section tells an administrator to grant.
            with services.engine.begin() as conn:
                conn.exec_driver_sql("GRANT SET ON PARAMETER session_replication_role TO fd_plain")
            more = [[f"M-{r[0]}", *r[1:]] for v in history(5, seed=3) for r in v]
            assert import_events(plain.queue, csv_bytes(more), "more.csv").visits == 5
            assert [loader.server_checks for loader in made] == [True, False]
    finally:
        plain.close()
        if granting:
            with services.engine.begin() as conn:
                conn.exec_driver_sql(
                    "REVOKE SET ON PARAMETER session_replication_role FROM fd_plain"
                )


def test_an_init_between_reading_the_centres_and_the_lock_loads_nothing(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The import trusts the catalogue it read; one loaded again by `init` before the
    # import's lock was taken must not be trusted.
    stale = services.queue.catalogue(refresh=True)
    initialise(services, sample.council())  # a new catalogue version
    monkeypatch.setattr(services.queue, "catalogue", lambda refresh=False: stale)
    data = csv_bytes([r for v in history(3) for r in v])
    with pytest.raises(ImportRejected, match=r"loaded again .* run the import again"):
        import_events(services.queue, data, "h.csv")
    assert counts(services) == (0, 0, 0)


def test_a_large_file_is_read_in_a_second_process_and_loads_the_same(
    services: Services, backend: Any, reading: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    if reading != "read in a second process":
        pytest.skip("about the second process")
    started: list[int] = []
    real = interchange_parallel.ReadApart.__init__

    def spy(self: Any, *args: Any) -> None:
        real(self, *args)
        started.append(self._child.pid)

    monkeypatch.setattr(interchange_parallel.ReadApart, "__init__", spy)
    visits = history(40)
    summary = import_events(services.queue, csv_bytes(shuffled_within_visits(visits)), "h.csv")
    assert started and summary.visits == 40
    assert by_visit(exported(services)[1:])["V0007"] == visits[7]


@pytest.mark.parametrize("fault", ["the reader dies", "the reader fails"])
def test_a_second_process_that_fails_loads_nothing_and_says_so(
    services: Services, backend: Any, reading: str, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    if reading != "read in a second process":
        pytest.skip("about the second process")
    if fault == "the reader dies":
        monkeypatch.setattr(interchange_parallel, "_read", lambda *a: os._exit(3))
        expected = "h.csv: the process reading the file stopped; nothing was loaded"
    else:

        def boom(self: Any, rows: Any) -> None:
            raise RuntimeError("boom")

        monkeypatch.setattr(interchange_parallel.VisitPlan, "visit", boom)
        expected = "h.csv: could not be read (RuntimeError: boom); nothing was loaded"
    with pytest.raises(ImportRejected) as caught:
        import_events(services.queue, csv_bytes([r for v in history(5) for r in v]), "h.csv")
    assert str(caught.value) == expected
    assert counts(services) == (0, 0, 0)


def _children(pid: int) -> list[int]:
    found: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*/children"):
        found.extend(int(p) for p in task.read_text().split())
    return found


def _gone(pid: int, within: float = 5.0) -> bool:
    """The process has ended (reaped, or a zombie nobody waits for)."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except (FileNotFoundError, ProcessLookupError):
            return True
        if state == "Z":
            return True
        time.sleep(0.05)
    return False


@pytest.mark.slow
def test_ctrl_c_during_a_large_import_stops_both_processes_and_loads_nothing(
    services: Services, backend: Any, reading: str, tmp_path: Path
) -> None:
    # An operator stops a long import from the terminal: Ctrl-C reaches the whole
    # foreground group, the writer and the process reading the file beside it. Nothing
    # may be loaded, nothing printed but the shell's prompt, and no reader left behind.
    if reading != "read by the writer":
        pytest.skip("a real command: it reads a file this large in a second process anyway")
    if not Path("/proc/self/task").exists():
        pytest.skip("finds the reading process through /proc")
    path = tmp_path / "large.csv"
    path.write_bytes(csv_bytes([r for v in history(60_000) for r in v]))
    assert path.stat().st_size > interchange_parallel.PARALLEL_BYTES
    env = {k: v for k, v in os.environ.items() if k != "FRONTDESK_DB"}
    command = [sys.executable, "-m", "frontdesk", "import", "events", str(path)]
    run = subprocess.Popen(
        [*command, "--db", backend.url],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own group, as a terminal's foreground job
        # (A test run from a background shell would hand down SIGINT ignored.)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 60
        readers: list[int] = []
        while not readers and run.poll() is None and time.monotonic() < deadline:
            readers = _children(run.pid)
            time.sleep(0.01)
        assert readers, "the import ended before its reading process was seen"
        time.sleep(0.3)  # well into the file
        os.killpg(run.pid, signal.SIGINT)
        out, err = run.communicate(timeout=30)
    finally:
        if run.poll() is None:
            os.killpg(run.pid, signal.SIGKILL)
            run.wait()
    assert run.returncode == 130, (run.returncode, out, err)
    assert out == "" and "Traceback" not in err and err.count("\n") <= 1, err
    assert all(_gone(pid) for pid in readers)
    assert counts(services) == (0, 0, 0)
