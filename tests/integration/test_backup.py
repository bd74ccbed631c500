"""`frontdesk backup` / `frontdesk restore` (issue 17): a consistent copy of an SQLite
store taken while others write, put back with checks (a sound file, a known schema, never
over a store with data in it without --force), and PostgreSQL pointed at pg_dump."""

from __future__ import annotations

import io
import json
import sqlite3
import threading
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from frontdesk.cli import main
from frontdesk.services.wiring import open_services
from frontdesk.store import migrate
from frontdesk.store.engine import make_engine

ROOT = Path(__file__).resolve().parents[2]
COUNCIL = ROOT / "tests" / "contracts" / "council.toml"
MONDAY_0900 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))
ISSUE = ("ticket", "issue", "--centre", "CIVIC", "--service", "CTAX")


def run(url: str, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        try:
            status = main([*argv, "--db", url])
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else 1
    return status, out.getvalue(), err.getvalue()


def js(url: str, *argv: str) -> Any:
    status, out, err = run(url, *argv, "--json")
    assert status == 0, err
    return json.loads(out)


def refused(url: str, *argv: str) -> str:
    status, out, err = run(url, *argv)
    assert status == 1 and out == "", (status, out, err)
    lines = err.splitlines()
    assert len(lines) == 1 and lines[0].startswith("frontdesk: error: "), err
    return lines[0]


def tickets(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM ticket").fetchone()[0])
    finally:
        conn.close()


@pytest.fixture
def store(tmp_path: Path) -> Any:
    path = tmp_path / "frontdesk.db"
    with time_machine.travel(MONDAY_0900, tick=False):
        js(f"sqlite:///{path}", "init", "--config", str(COUNCIL))
        js(f"sqlite:///{path}", *ISSUE)
        yield path


def test_backup_and_restore_round_trip(store: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{store}"
    copy = tmp_path / "backups" / "monday.db"
    copy.parent.mkdir()
    with time_machine.travel(MONDAY_0900, tick=False):
        made = js(url, "backup", str(copy))
        assert made["file"] == str(copy) and made["bytes"] == copy.stat().st_size
        assert made["schema"] == migrate_head()
        assert "exists" in refused(url, "backup", str(copy))
        js(url, *ISSUE)
        assert tickets(store) == 2

        # A store with data in it is not overwritten without --force, and is left as it was.
        assert "--force" in refused(url, "restore", str(copy))
        assert tickets(store) == 2
        restored = js(url, "restore", str(copy), "--force")
        assert restored["restored_schema"] == migrate_head()
        assert tickets(store) == 1
        # The restored store works, and its audit log says it was restored.
        assert js(url, *ISSUE)["ticket"] == "C002"
        actions = [e["action"] for e in js(url, "audit", "--from", "2026-03-02", "--to",
                                           "2026-03-02")["entries"]]  # fmt: skip
        assert actions[-1] == "restore" and "backup" not in actions[-1:]

        # Into a new, empty store: no --force needed.
        fresh = tmp_path / "fresh.db"
        js(f"sqlite:///{fresh}", "restore", str(copy))
        assert tickets(fresh) == 1


def migrate_head() -> str:
    from alembic.script import ScriptDirectory

    return str(ScriptDirectory.from_config(migrate.alembic_config()).get_current_head())


def test_a_backup_taken_while_others_write_is_consistent(store: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{store}"
    svc = open_services(url)
    stop = threading.Event()
    issued: list[int] = []

    def keep_issuing() -> None:
        while not stop.is_set():
            svc.queue.issue("CIVIC", "CTAX")
            issued.append(1)

    writer = threading.Thread(target=keep_issuing, daemon=True)
    writer.start()
    try:
        copies = []
        for n in range(3):
            while len(issued) < 5 * (n + 1):  # the writer is going before each copy
                stop.wait(0.01)
            copy = tmp_path / f"copy{n}.db"
            js(url, "backup", str(copy))
            copies.append(copy)
    finally:
        stop.set()
        writer.join(timeout=60)
        svc.close()
    counts = []
    for copy in copies:
        conn = sqlite3.connect(copy)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            # Every ticket's issue event is there with it: no half-written action.
            count, events = conn.execute(
                "SELECT (SELECT count(*) FROM ticket), "
                "(SELECT count(*) FROM ticket_event WHERE step = 'issued')"
            ).fetchone()
        finally:
            conn.close()
        assert count == events
        counts.append(count)
    assert counts == sorted(counts) and counts[0] >= 6


def test_restore_checks_the_file(store: Path, tmp_path: Path) -> None:
    url = f"sqlite:///{store}"
    assert "no such file" in refused(url, "restore", str(tmp_path / "missing.db"))
    text = tmp_path / "notes.txt"
    text.write_text("not a database, just some words\n" * 200, encoding="utf-8")
    assert "not a frontdesk SQLite store" in refused(url, "restore", str(text), "--force")

    newer = tmp_path / "newer.db"
    js(url, "backup", str(newer))
    conn = sqlite3.connect(newer)
    conn.execute("UPDATE alembic_version SET version_num = '9999'")
    conn.commit()
    conn.close()
    assert "newer frontdesk" in refused(url, "restore", str(newer), "--force")
    assert tickets(store) == 1

    # An older schema is restored, then migrated to this version's.
    old = tmp_path / "old.db"
    engine = make_engine(f"sqlite:///{old}")
    migrate.upgrade(engine, "0012")
    engine.dispose()
    target = tmp_path / "target.db"
    done = js(f"sqlite:///{target}", "restore", str(old))
    assert (done["restored_schema"], done["schema"]) == ("0012", migrate_head())
    assert "folder" in refused(url, "backup", str(tmp_path))


def test_postgresql_is_pointed_at_pg_dump(backend: Any, tmp_path: Path) -> None:
    if not backend.is_postgres:
        pytest.skip("the SQLite path is tested above")
    line = refused(backend.url, "backup", str(tmp_path / "x.db"))
    assert "pg_dump" in line and "pg_restore" in line
    assert not (tmp_path / "x.db").exists()
