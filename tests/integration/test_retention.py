"""Personal data really goes after the retention period (issue 17): `purge contacts`
clears booking contacts, the outbox's recipients and text, and cuts phone numbers and
e-mail addresses out of ticket notes, transfer notes and feedback comments — checked at
+31, +40 and +400 days with the whole store searched for what the visitors gave.
"""

from __future__ import annotations

import io
import json
from contextlib import redirect_stderr, redirect_stdout
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from sqlalchemy import create_engine, inspect, text

from frontdesk.cli import main
from frontdesk.services.retention import scrub
from frontdesk.services.wiring import open_services

ROOT = Path(__file__).resolve().parents[2]
COUNCIL = ROOT / "tests" / "contracts" / "council.toml"
MONDAY_0900 = datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Europe/London"))
CIVIC = ("--centre", "CIVIC")
# What visitors gave on day 0, and on day 5.
DAY0 = ("07700 900123", "ann@example.org", "07700 900456", "bo@example.org", "0161 496 0000")
DAY0 += ("carl@example.net", "07700 900789")
DAY5 = "+44 7700 900999"


def run(url: str, *argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        status = main([*argv, "--db", url])
    return status, out.getvalue(), err.getvalue()


def js(url: str, *argv: str) -> Any:
    status, out, err = run(url, *argv, "--json")
    assert status == 0, err
    return json.loads(out)


def everything(url: str) -> str:
    """Every value in every table, as one text to search."""
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return "\n".join(
                repr(row)
                for t in inspect(engine).get_table_names()
                for row in conn.execute(text(f'SELECT * FROM "{t}"')).all()
            )
    finally:
        engine.dispose()


def one(url: str, sql: str) -> Any:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text(sql)).scalar_one()
    finally:
        engine.dispose()


def test_personal_data_goes_after_the_retention_period(backend: Any) -> None:
    url = backend.url
    with time_machine.travel(MONDAY_0900, tick=False) as clock:
        js(url, "init", "--config", str(COUNCIL))
        slot = js(url, "slots", "--type", "HB-INTERVIEW", *CIVIC, "--limit", "1")["slots"][0]
        js(url, "book", "--type", "HB-INTERVIEW", *CIVIC, "--at", slot["starts_at"],
           "--name", "Ann Visitor", "--phone", DAY0[0], "--email", DAY0[1])  # fmt: skip
        assert js(url, "notify", "remind", "--hours", "168")["reminders_queued"] >= 1
        js(url, "ticket", "issue", *CIVIC, "--service", "CTAX",
           "--note", f"call back on {DAY0[2]} or {DAY0[3]}", "--notify", DAY0[6])  # fmt: skip
        js(url, "call-next", *CIVIC, "--desk", "1")
        js(url, "start", *CIVIC, "--desk", "1")
        js(url, "transfer", *CIVIC, "--desk", "1", "--service", "HBEN",
           "--note", f"mail {DAY0[5]} about the letter of 2026-03-02")  # fmt: skip
        js(url, "call-next", *CIVIC, "--desk", "2")
        js(url, "start", *CIVIC, "--desk", "2")
        js(url, "complete", *CIVIC, "--desk", "2", "--resolved")
        svc = open_services(url)
        try:
            token = one(url, "SELECT token FROM ticket WHERE label = 'C001'")
            svc.visitors.give_feedback(token, 4, f"great, ring me on {DAY0[4]}")
        finally:
            svc.close()
        found = everything(url)
        assert all(given in found for given in DAY0)

        clock.move_to(MONDAY_0900 + timedelta(days=5))
        js(url, "ticket", "issue", *CIVIC, "--service", "CTAX", "--note", f"phone {DAY5}")

        # +31 days: day 0 is past the 30 days, day 5 not yet.
        clock.move_to(MONDAY_0900 + timedelta(days=31))
        status, out, err = run(url, "purge", "contacts")
        assert status == 0, err
        assert "outbox messages" in out and "notes and comments" in out
        found = everything(url)
        assert [given for given in DAY0 if given in found] == []
        assert DAY5 in found
        note = one(url, "SELECT note FROM ticket WHERE id = (SELECT min(id) FROM ticket)")
        assert note.startswith("call back on [phone removed] or [e-mail removed]")
        # The rest of the text stays, dates included.
        assert "mail [e-mail removed] about the letter of 2026-03-02" in found
        assert "great, ring me on [phone removed]" in found
        assert one(url, "SELECT count(*) FROM outbox WHERE recipient <> ''") == 0
        audit = js(url, "audit", "--from", "2026-04-02", "--to", "2026-04-02")["entries"]
        assert [e["action"] for e in audit] == ["purge.contacts"]

        # +40 days: day 5's note too.
        clock.move_to(MONDAY_0900 + timedelta(days=40))
        assert js(url, "purge", "contacts")["free_text"] >= 1
        assert DAY5 not in everything(url)

        # +400 days: nothing is left to remove; housekeeping says so too.
        clock.move_to(MONDAY_0900 + timedelta(days=400))
        assert js(url, "purge", "contacts") == {
            "cleared": 0,
            "ticket_contacts": 0,
            "outbox": 0,
            "free_text": 0,
            "retention_days": 30,
        }
        done = js(url, "housekeeping")
        assert (done["outbox_purged"], done["free_text_scrubbed"]) == (0, 0)
        found = everything(url)
        assert [given for given in (*DAY0, DAY5) if given in found] == []
        assert "Ann Visitor" not in found


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ("ring 07700 900123 today", "ring [phone removed] today"),
        ("(0161) 496-0000", "[phone removed]"),
        ("+44 20 7946 0958.", "[phone removed]."),
        ("a.b+c@mail.example.co.uk wrote", "[e-mail removed] wrote"),
        ("ticket C001 at 10:30 on 2026-03-02", "ticket C001 at 10:30 on 2026-03-02"),
        ("reference 12345678", "reference 12345678"),
    ],
)
def test_scrub_cuts_phone_numbers_and_e_mail_addresses_only(before: str, after: str) -> None:
    assert scrub(before) == after
