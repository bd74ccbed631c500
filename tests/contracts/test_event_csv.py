"""The event interchange CSV (DESIGN §4): its header, its column order and meaning, and
a round trip from `frontdesk export events` through `frontdesk import events`.

One scripted morning at the Civic Centre produces every kind of event the format names;
every visit is finished, so the whole export can be imported into a fresh store.
"""

from __future__ import annotations

import csv
import io
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

HEADER = "visit,centre,service,event,at,desk,resolved,avoidable"
EVENTS = {"issued", "called", "no_show", "started", "transferred", "completed", "cancelled", "left"}
AVOIDABLE = {"chasing", "council-error", "could-self-serve", "wrong-place"}
# Issue 12: a no-show and a transfer happen at a desk, so their rows name it too.
DESK_EVENTS = {"called", "started", "completed", "no_show", "transferred"}


def parse(text: str) -> tuple[str, list[dict[str, str]]]:
    """The header line and the rows of an exported CSV."""
    header, _, _ = text.partition("\n")
    return header.rstrip("\r"), list(csv.DictReader(io.StringIO(text)))


def by_visit(rows: list[dict[str, str]]) -> dict[str, list[tuple[str, ...]]]:
    """Each visit's rows without the visit column, in time order (rows may come in any
    order, and a visit's identifier need only be unique within its file)."""
    visits: dict[str, list[tuple[str, ...]]] = {}
    for r in rows:
        visits.setdefault(r["visit"], []).append(
            (
                r["centre"],
                r["service"],
                r["event"],
                r["at"],
                r["desk"],
                r["resolved"],
                r["avoidable"],
            )
        )
    return {
        v: sorted(events, key=lambda e: (datetime.fromisoformat(e[3]), e[2]))
        for v, events in visits.items()
    }


@pytest.fixture(scope="module")
def day(new_store: Any, frozen_time: Any) -> Any:
    """A store after a morning with every kind of event, and its `export events` text."""
    store = new_store("events")
    t = frozen_time
    civic = ("--centre", "CIVIC")
    for service in ("CTAX", "CTAX", "CTAX", "CTAX", "HBEN"):  # C001-C004, H001
        store.json("ticket", "issue", *civic, "--service", service)
        t.shift(60)
    store.json("call", *civic, "--desk", "1", "C001")
    t.shift(30)
    store.json("start", *civic, "--desk", "1")
    t.shift(300)
    store.json("complete", *civic, "--desk", "1", "--not-resolved", "--handoff", "back office")
    store.json("call", *civic, "--desk", "1", "C002")
    t.shift(120)
    store.json("no-show", *civic, "--desk", "1")
    store.json("call", *civic, "--desk", "1", "C003")
    t.shift(30)
    store.json("start", *civic, "--desk", "1")
    t.shift(120)
    store.json("transfer", *civic, "--desk", "1", "--service", "HBEN")
    t.shift(60)
    store.json("call", *civic, "--desk", "2", "C003")
    t.shift(30)
    store.json("start", *civic, "--desk", "2")
    t.shift(240)
    store.json("complete", *civic, "--desk", "2", "--resolved", "--avoidable", "wrong-place")
    store.json("ticket", "cancel", *civic, "C004")
    t.shift(60)
    store.json("ticket", "left", *civic, "H001")
    exported = store.run("export", "events")
    assert exported.status == 0, exported.err
    return store, exported.out


def test_the_header_and_column_order(day: Any) -> None:
    _, text = day
    header, rows = parse(text)
    assert header == HEADER
    assert rows and all(list(r) == HEADER.split(",") for r in rows)
    assert all(None not in r and None not in r.values() for r in rows)  # 8 fields each


def test_every_event_kind_in_the_interchange_vocabulary(day: Any) -> None:
    _, text = day
    _, rows = parse(text)
    assert {r["event"] for r in rows} == EVENTS
    assert {r["centre"] for r in rows} == {"CIVIC"}
    assert len(by_visit(rows)) == 5


def test_the_columns_mean_what_the_format_says(day: Any) -> None:
    _, text = day
    _, rows = parse(text)
    for r in rows:
        at = datetime.fromisoformat(r["at"])
        assert at.utcoffset() is not None, r
        assert bool(r["desk"]) == (r["event"] in DESK_EVENTS), r
        if r["event"] == "completed":
            assert r["resolved"] in {"true", "false"}, r
            assert r["avoidable"] in AVOIDABLE | {""}, r
        else:
            assert r["resolved"] == r["avoidable"] == "", r


def test_a_transferred_visit_row_by_row(day: Any) -> None:
    """The transferred row names the service moved to; times are the instants they
    happened (2 March 2026 is in GMT, so local and UTC agree)."""
    _, text = day
    _, rows = parse(text)
    visits = by_visit(rows)
    (transferred,) = [v for v in visits.values() if any(e[2] == "transferred" for e in v)]
    got = [
        (c, s, e, datetime.fromisoformat(at), d, res, av) for c, s, e, at, d, res, av in transferred
    ]

    def at(hhmmss: str) -> datetime:
        return datetime.fromisoformat(f"2026-03-02T{hhmmss}+00:00")

    assert got == [
        ("CIVIC", "CTAX", "issued", at("09:02:00"), "", "", ""),
        ("CIVIC", "CTAX", "called", at("09:12:30"), "1", "", ""),
        ("CIVIC", "CTAX", "started", at("09:13:00"), "1", "", ""),
        ("CIVIC", "HBEN", "transferred", at("09:15:00"), "", "", ""),
        ("CIVIC", "HBEN", "called", at("09:16:00"), "2", "", ""),
        ("CIVIC", "HBEN", "started", at("09:16:30"), "2", "", ""),
        ("CIVIC", "HBEN", "completed", at("09:20:30"), "2", "true", "wrong-place"),
    ]


def test_export_import_export_round_trip(
    day: Any, new_store: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    store, text = day
    path = Path(tmp_path_factory.mktemp("round-trip")) / "events.csv"
    path.write_text(text, encoding="utf-8")
    fresh = new_store("events-imported")
    assert fresh.json("import", "events", str(path)) == {"visits": 5}

    again = fresh.run("export", "events")
    assert again.status == 0, again.err
    header, rows = parse(again.out)
    assert header == HEADER
    assert sorted(by_visit(rows).values()) == sorted(by_visit(parse(text)[1]).values())

    report = (
        "report",
        "standard",
        "--centre",
        "CIVIC",
        "--from",
        "2026-03-02",
        "--to",
        "2026-03-02",
    )
    assert fresh.json(*report) == store.json(*report)


def test_an_unknown_code_names_the_row_and_loads_nothing(
    new_store: Any, tmp_path_factory: pytest.TempPathFactory
) -> None:
    path = Path(tmp_path_factory.mktemp("bad-import")) / "events.csv"
    path.write_text(
        HEADER + "\n"
        "V1,CIVIC,CTAX,issued,2026-02-27T10:00:00+00:00,,,\n"
        "V1,CIVIC,CTAX,cancelled,2026-02-27T10:05:00+00:00,,,\n"
        "V2,NOWHERE,CTAX,issued,2026-02-27T10:00:00+00:00,,,\n"
        "V2,NOWHERE,CTAX,cancelled,2026-02-27T10:05:00+00:00,,,\n",
        encoding="utf-8",
    )
    store = new_store("events-rejected")
    refused = store.run("import", "events", str(path), "--json")
    assert refused.status == 1 and refused.out == ""
    lines = refused.err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("frontdesk: error: ")
    assert "NOWHERE" in lines[0] and "row 4" in lines[0]
    exported = store.run("export", "events")
    assert exported.status == 0 and exported.out == HEADER + "\n"
