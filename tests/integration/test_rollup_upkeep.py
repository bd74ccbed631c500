"""How the rollups stay current: ids committed out of order (PostgreSQL), a rolled-back
insert, a changed standard, history changed behind the services' back, a rebuild."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from frontdesk.clock import VirtualClock
from frontdesk.config import load_centres
from frontdesk.services import rollups as ru
from frontdesk.services.results import Query
from frontdesk.services.wiring import Services, initialise
from frontdesk.store import rollup_store as rs

ROOT = Path(__file__).resolve().parents[2]
COUNCIL = ROOT / "examples" / "council.toml"
CIVIC = "CIVIC"
DAY = date(2026, 3, 2)


def serve_one(svc: Services, clock: VirtualClock, wait_minutes: float) -> None:
    svc.queue.issue(CIVIC, "CTAX")
    clock.advance(wait_minutes * 60)
    svc.queue.call_next(CIVIC, "1")
    svc.queue.start(CIVIC, "1")
    clock.advance(240)
    svc.queue.complete(CIVIC, "1", [Query(resolved=True)])


def same_as_events(svc: Services) -> None:
    fast = svc.reports.standard(CIVIC, DAY, DAY).as_json()
    slow = svc.reports.standard_from_events(CIVIC, DAY, DAY).as_json()
    assert fast == pytest.approx(slow)


def watermark(svc: Services) -> rs.State:
    with svc.uow.read() as s:
        return rs.state(s)


@pytest.mark.postgres
def test_an_event_committed_after_a_later_one_is_still_folded(
    services: Services, clock: VirtualClock, backend: object, monkeypatch: pytest.MonkeyPatch
) -> None:
    if not getattr(backend, "is_postgres", False):
        pytest.skip("ids are handed out in commit order on SQLite")
    svc = services
    serve_one(svc, clock, 2)
    late = svc.queue.issue(CIVIC, "GENQ")
    svc.reports.catch_up()
    engine = create_engine(svc.engine.url)
    try:
        held = engine.connect()
        # Another process's transaction takes an id and has not committed yet …
        tx = held.begin()
        held.execute(
            text(
                "INSERT INTO ticket_event (ticket_id, centre_id, step, at, service_id)"
                " SELECT id, centre_id, 'left', issued_at + interval '15 minutes', service_id"
                " FROM ticket WHERE id = :t"
            ),
            {"t": late.id},
        )
        # … while a later id commits and the rollups catch up.
        clock.advance(60)
        serve_one(svc, clock, 1)
        svc.reports.catch_up()
        gap = watermark(svc)
        assert gap.gap is not None and gap.watermark < gap.gap
        assert svc.reports.standard(CIVIC, DAY, DAY).figures.seen == 2  # what is committed shows
        tx.commit()
        held.close()
        svc.reports.catch_up()
        report = svc.reports.standard(CIVIC, DAY, DAY)
        assert (report.figures.ended_unseen, report.figures.breached_unseen) == (1, 1)
        same_as_events(svc)
        assert watermark(svc).gap is None

        # A rolled-back insert leaves a hole for good: passed over after the grace time.
        with engine.connect() as other:
            other.execute(
                text(
                    "INSERT INTO ticket_event (ticket_id, centre_id, step, at, service_id)"
                    " SELECT id, centre_id, 'left', issued_at, service_id FROM ticket"
                    " WHERE id = :t"
                ),
                {"t": late.id},
            )
            other.rollback()
        serve_one(svc, clock, 3)
        svc.reports.catch_up()
        assert watermark(svc).gap is not None
        monkeypatch.setattr(ru, "GAP_GRACE_SECONDS", 0.0)
        serve_one(svc, clock, 4)
        svc.reports.catch_up()
        state = watermark(svc)
        with svc.uow.read() as s:
            top = s.execute(text("SELECT max(id) FROM ticket_event")).scalar_one()
        assert state.gap is None and state.watermark == top and state.beyond == 0
        same_as_events(svc)
    finally:
        engine.dispose()


def test_a_changed_standard_refolds_the_centre(
    services: Services, clock: VirtualClock, tmp_path: Path
) -> None:
    serve_one(services, clock, 7)  # within 10 minutes, not within 5
    assert services.reports.standard(CIVIC, DAY, DAY).figures.seen_within_threshold == 1
    old = "standard = { threshold_minutes = 10, target_share = 0.95, average_wait_minutes = 10 }"
    council = COUNCIL.read_text(encoding="utf-8")
    assert council.count(old) == 1  # the Civic Centre's
    changed = tmp_path / "council.toml"
    changed.write_text(council.replace(old, old.replace("= 10,", "= 5,", 1)), encoding="utf-8")
    initialise(services, load_centres(changed))
    report = services.reports.standard(CIVIC, DAY, DAY)
    assert (report.threshold_minutes, report.figures.seen_within_threshold) == (5, 0)
    same_as_events(services)


def test_history_changed_behind_the_services_back_is_repaired_by_a_rebuild(
    services: Services, clock: VirtualClock
) -> None:
    serve_one(services, clock, 2)
    serve_one(services, clock, 3)
    assert services.reports.standard(CIVIC, DAY, DAY).figures.first_contact_resolution == 1.0
    with services.uow.write() as s:  # an old id changed: no catch-up can see it
        s.execute(text("UPDATE ticket_event SET resolved = false WHERE step = 'completed'"))
    assert services.reports.standard(CIVIC, DAY, DAY).figures.first_contact_resolution == 1.0
    done = services.reports.rebuild("CIVIC", DAY, DAY)
    assert (done.days, done.visits) == (1, 2)
    assert services.reports.standard(CIVIC, DAY, DAY).figures.first_contact_resolution == 0.0
    same_as_events(services)
    # The whole store, the way an importer would: the public function, by codes.
    with services.uow.write() as s:
        s.execute(text("UPDATE ticket_event SET resolved = true WHERE step = 'completed'"))
    ru.rebuild(services.uow)
    assert services.reports.standard(CIVIC, DAY, DAY).figures.first_contact_resolution == 1.0
    assert watermark(services).watermark > 0


def test_a_catch_up_with_nothing_new_reads_and_writes_nothing(
    services: Services, clock: VirtualClock
) -> None:
    serve_one(services, clock, 2)
    assert services.reports.catch_up() > 0
    assert services.reports.catch_up() == 0
    serve_one(services, clock, 2)
    assert services.reports.catch_up() == 5  # issued, called, started, completed, finished


def test_events_after_a_mark_are_read_whole_a_page_at_a_time(
    services: Services, clock: VirtualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rollups' catch-up and the supervisor's ledger read "the events after id N" in
    # pages (a limit PostgreSQL's generic plan can use): every event, in order, once.
    from frontdesk.store import fold_reads, oversight_store, paging

    for minutes in (1, 3, 12, 2):
        serve_one(services, clock, minutes)
    with services.uow.read() as s:
        whole = [r[0] for r in fold_reads.events_after(s, 0)]
    assert len(whole) >= 20 and whole == sorted(set(whole))
    monkeypatch.setattr(paging, "PAGE", 3)
    with services.uow.read() as s:
        assert [r[0] for r in fold_reads.events_after(s, 0)] == whole
        assert [r.id for r in oversight_store.events_after(s, 0)] == whole
        assert [r[0] for r in fold_reads.events_after(s, whole[4])] == whole[5:]
    same_as_events(services)  # and the catch-up folds them all, a page at a time
