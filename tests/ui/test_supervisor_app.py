"""The supervisor's dashboard with Textual's Pilot: log-in, the council and centre views
live, each action from the dashboard, reports; and what desks and kiosks make of it."""

from __future__ import annotations

from typing import Any

from textual.widgets import DataTable, Label

from frontdesk.kiosk.screens.estimate import BOOK, CALLBACK, TAKE
from frontdesk.services.wiring import Services
from frontdesk.supervisor.app import SupervisorApp
from frontdesk.supervisor.screens.centre import CentreScreen
from frontdesk.supervisor.screens.council import CouncilScreen
from frontdesk.supervisor.screens.login import LoginScreen
from frontdesk.supervisor.screens.move_desk import MoveDeskScreen
from frontdesk.supervisor.screens.reports import ReportsScreen
from frontdesk.supervisor.widgets.advice import AdviceList
from frontdesk.supervisor.widgets.centre_tables import ServiceTable
from tests.support.desk import open_console
from tests.support.kiosk import kiosk_app, wait_for, walk_to_estimate
from tests.support.supervisor import add_staff, log_in, open_desk, until

SIZE = (160, 50)


def _audit(services: Services, action: str) -> list[str]:
    from sqlalchemy import text

    with services.engine.connect() as conn:
        rows = conn.execute(text("SELECT detail FROM audit_log WHERE action = :a"), {"a": action})
        return [r[0] for r in rows]


async def _council(pilot: Any) -> CouncilScreen:
    await log_in(pilot)
    await until(
        pilot, lambda: isinstance(pilot.app.screen, CouncilScreen) and pilot.app.screen.view
    )
    return pilot.app.screen  # type: ignore[no-any-return]


async def _centre(pilot: Any) -> CentreScreen:
    await until(pilot, lambda: isinstance(pilot.app.screen, CentreScreen) and pilot.app.screen.view)
    return pilot.app.screen  # type: ignore[no-any-return]


async def test_an_adviser_is_refused_in_words(council: Services) -> None:
    add_staff(council)
    app = SupervisorApp(council)
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "AB", "1234")
        problem = app.screen.query_one("#problem", Label)
        await until(pilot, lambda: "adviser" in str(problem.render()))
        assert "only supervisors and administrators" in str(problem.render())
        assert isinstance(app.screen, LoginScreen)
        await pilot.press(*"9999", "enter")  # wrong PIN for the same code
        await until(pilot, lambda: "not recognised" in str(problem.render()))


async def test_the_council_view_is_live_and_opens_a_centre(council: Services) -> None:
    add_staff(council)
    open_desk(council, "1")
    app = SupervisorApp(council)
    async with app.run_test(size=SIZE) as pilot:
        screen = await _council(pilot)
        table = screen.query_one(DataTable)
        assert table.row_count == 4
        codes = [r.code for r in screen.view.centres]
        assert codes[-2:] == sorted(codes[-2:]) or "CIVIC" in codes[:2]  # closed ones last
        civic = table.get_row("CIVIC")
        assert civic[4] == "0"
        council.queue.issue("CIVIC", "CTAX")  # a kiosk elsewhere
        await until(pilot, lambda: table.get_row("CIVIC")[4] == "1", timeout=5)
        table.move_cursor(row=table.get_row_index("CIVIC"))
        await pilot.press("enter")
        centre = await _centre(pilot)
        assert centre.view.code == "CIVIC"
        await pilot.press("escape")
        await until(pilot, lambda: isinstance(app.screen, CouncilScreen))


async def test_an_advised_move_is_applied_from_the_dashboard(council: Services) -> None:
    add_staff(council)
    open_desk(council, "1", "AB")
    open_desk(council, "6", "BO")  # planning, bins, general: no Council Tax
    for _ in range(14):
        council.queue.issue("CIVIC", "CTAX")
    app = SupervisorApp(council, "CIVIC")
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot, "AD", "5555")  # an administrator may too
        screen = await _centre(pilot)
        advice = screen.query_one(AdviceList)
        await until(pilot, lambda: any(a.kind == "move-desk" for a in advice.actions))
        index = next(n for n, a in enumerate(advice.actions) if a.kind == "move-desk")
        chosen = advice.actions[index]
        advice.focus()
        advice.highlighted = index
        await pilot.press("enter")
        await until(pilot, lambda: bool(_audit(council, "supervisor.move-desk")))
    notice = council.oversight.desk_notice("CIVIC", chosen.desk or "")
    assert notice.services == chosen.desk_services
    assert notice.services is not None and notice.services[0] == chosen.service


async def test_move_dialog_quick_queries_and_kiosk_offer(council: Services) -> None:
    add_staff(council)
    open_desk(council, "2", "AB")
    council.queue.issue("CIVIC", "CTAX", topic="CTAX-PAY")
    app = SupervisorApp(council, "CIVIC")
    async with app.run_test(size=SIZE) as pilot:
        await log_in(pilot)
        screen = await _centre(pilot)
        services = screen.query_one(ServiceTable)
        services.focus()
        services.move_cursor(row=0)  # Council Tax
        await pilot.press("q")
        await until(pilot, lambda: bool(_audit(council, "supervisor.mark-quick")))
        await pilot.press("k")
        await until(pilot, lambda: council.oversight.offers_alternatives_first("CIVIC", "CTAX"))
        await until(pilot, lambda: services.get_row("CTAX")[-1] == "alternatives first")
        desks = screen.query_one("#desks", DataTable)
        desks.focus()
        desks.move_cursor(row=desks.get_row_index("2"))
        await pilot.press("m")
        await until(pilot, lambda: isinstance(app.screen, MoveDeskScreen))
        field = app.screen.query_one("#services")
        field.value = "GENQ, CTAX"  # type: ignore[attr-defined]
        await pilot.press("enter")
        await until(pilot, lambda: bool(_audit(council, "supervisor.move-desk")))
    assert _audit(council, "supervisor.mark-quick") == ["CIVIC CTAX: 1 marked"]
    assert _audit(council, "kiosk.offer-on") == ["CIVIC CTAX"]
    assert council.oversight.desk_notice("CIVIC", "2").services == ("GENQ", "CTAX")


def _serve_three(services: Services) -> None:
    """Three Council Tax visitors at the Civic Centre, each told a wait and seen."""
    from frontdesk.services.results import Query

    open_desk(services, "1")
    for _ in range(3):
        services.queue.issue("CIVIC", "CTAX")
    for _ in range(3):
        services.clock.advance(6 * 60)  # type: ignore[attr-defined]
        services.queue.call_next("CIVIC", "1")
        services.queue.start("CIVIC", "1")
        services.queue.complete("CIVIC", "1", [Query(resolved=True)])


async def test_reports_are_shown_and_exported(council: Services) -> None:
    add_staff(council)
    _serve_three(council)
    app = SupervisorApp(council)
    delivered: list[tuple[str, Any]] = []

    def deliver(data: Any, save_filename: str | None = None, **_: Any) -> None:
        delivered.append((save_filename or "", data.getvalue()))

    app.deliver_text = deliver  # type: ignore[method-assign,assignment]
    app.deliver_binary = deliver  # type: ignore[method-assign,assignment]
    async with app.run_test(size=SIZE) as pilot:
        await _council(pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReportsScreen))
        await pilot.click("#show")
        table = app.screen.query_one("#report-table", DataTable)
        await until(pilot, lambda: table.row_count > 5)
        await pilot.click("#export")
        await until(pilot, lambda: bool(delivered))
        await pilot.click("#export-xlsx")
        await until(pilot, lambda: len(delivered) == 2)
    name, body = delivered[0]
    assert name == "frontdesk-standard-2026-03-02-2026-03-02.csv"
    lines = body.splitlines()
    assert lines[0].startswith("centre,service,seen,seen_within_threshold,")
    # The visitors' ratings from their phones stand beside the standard (issue 16).
    assert lines[0].endswith(",met,visits_rated,average_rating,satisfied_share")
    civic = next(line.split(",") for line in lines if line.startswith("CIVIC,,"))
    assert civic[2] == "3"  # seen
    assert lines[-1].startswith("ALL,")
    xlsx_name, book = delivered[1]
    assert xlsx_name == "frontdesk-standard-2026-03-02-2026-03-02.xlsx"
    assert book[:2] == b"PK"  # a zip: the workbook


async def test_every_report_can_be_picked_and_read(council: Services) -> None:
    from textual.widgets import Select, SelectionList

    from frontdesk.supervisor.screens.reports import REPORTS

    add_staff(council)
    _serve_three(council)
    app = SupervisorApp(council)
    async with app.run_test(size=SIZE) as pilot:
        await _council(pilot)
        await pilot.press("r")
        await until(pilot, lambda: isinstance(app.screen, ReportsScreen))
        screen = app.screen
        assert isinstance(screen, ReportsScreen)
        screen.query_one("#centres", SelectionList).deselect("GATEFIELD")
        seen: dict[str, list[str]] = {}
        table = screen.query_one("#report-table", DataTable)
        for key in REPORTS:
            screen.query_one("#report", Select).value = key
            # A button ignores a click while it still shows the last press (0.2 s): wait it out.
            show = screen.query_one("#show")
            await until(pilot, lambda b=show: not b.has_class("-active"))  # type: ignore[misc]
            await pilot.click("#show")
            # A generous wait: on a loaded two-core CI machine a report thread can take a while.
            await until(
                pilot,
                lambda k=key: screen.report is not None and screen.report.name == k,
                timeout=90,
            )  # type: ignore[misc]
            assert table.row_count > 0
            seen[key] = [str(c) for c in table.get_row_at(0)]
            assert "GATEFIELD" not in screen.report.centres  # type: ignore[union-attr]
    assert set(seen) == {
        "summary",
        "hours",
        "queries",
        "advisers",
        "repeats",
        "standard",
        "appointments",
        "estimates",
    }
    # The Civic Centre's three visitors, in the reports that count them.
    assert seen["summary"][3:5] == ["CIVIC", "3"]  # centre, walk-ins
    assert seen["estimates"][:3] == ["CIVIC", "all", "3"]
    assert seen["standard"][:3] == ["CIVIC", "", "3"]


async def test_the_desk_console_raises_and_shows_the_alert_and_takes_a_move(
    services: Services,
) -> None:
    from frontdesk.desk.app import DeskApp

    for _ in range(15):
        services.queue.issue("CIVIC", "CTAX")
    # No dashboard is open anywhere: the console's own check raises the alert.
    app = DeskApp(services, "CIVIC", "2", console="t-1")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_console(pilot)
        line = screen.query_one("#supervisor-line")
        # The console's worker runs the centre forward: generous on a loaded machine.
        await until(pilot, lambda: "Breach ahead: Council Tax" in str(line.render()), timeout=60)
        services.oversight.move_desk("CIVIC", "2", ("GENQ", "CTAX"), staff="SU")
        await until(pilot, lambda: screen.ctx.services == ("GENQ", "CTAX"), timeout=5)
        assert "GENQ › CTAX" in str(screen.query_one("#desk-status").render())


async def test_the_kiosk_offers_alternatives_first_when_asked(store: Services) -> None:
    app = kiosk_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await walk_to_estimate(pilot)
        await wait_for(pilot, lambda: screen.estimate is not None)
        assert [b.value for b in screen.body_choices()] == [TAKE]
    store.oversight.offer_alternatives("CIVIC", "CTAX", True, staff="SU")
    app = kiosk_app(store)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await walk_to_estimate(pilot)
        await wait_for(pilot, lambda: screen.estimate is not None)
        assert not screen.estimate.over_standard
        offered = [b.value for b in screen.body_choices()]
        assert offered[-1] == TAKE and ({BOOK, CALLBACK} & set(offered))
        assert "very busy" in str(screen.query_one("#over").render())


async def test_the_staffing_plan_is_shown_for_a_centre_and_week(council: Services) -> None:
    from textual.widgets import Input, Static

    from frontdesk.supervisor.screens.staffing import StaffingScreen

    add_staff(council)
    app = SupervisorApp(council)
    async with app.run_test(size=SIZE) as pilot:
        await _council(pilot)
        await pilot.press("s")
        await until(pilot, lambda: isinstance(app.screen, StaffingScreen))
        screen = app.screen
        assert isinstance(screen, StaffingScreen)
        screen.query_one("#week", Input).value = "2026-W11"
        await pilot.click("#plan-show")
        await until(pilot, lambda: screen.plan is not None, timeout=60)
        table = screen.query_one("#plan-table", DataTable)
        first = [str(c) for c in table.get_row_at(0)]
        notes = str(screen.query_one("#plan-notes", Static).render())
    plan = screen.plan
    assert plan is not None and plan.centre == "CIVIC" and plan.week == "2026-W11"
    h = plan.days[0].hours[0]
    assert first[:4] == ["Mon 09 Mar", h.slot.label, str(h.desks), str(h.erlang_desks)]
    assert table.row_count == sum(len(d.hours) for d in plan.days)
    assert "CIVIC 2026-W11" in notes and "Erlang C" in notes


async def test_both_views_show_the_staffing_key_in_their_footers(council: Services) -> None:
    from frontdesk.supervisor.screens.centre import CentreScreen

    add_staff(council)
    app = SupervisorApp(council)

    def footer_keys() -> dict[str, str]:
        """What the footer shows: the screen's active bindings marked to be shown."""
        shown = app.screen.active_bindings.values()
        return {b.binding.key: b.binding.description for b in shown if b.binding.show}

    async with app.run_test(size=SIZE) as pilot:
        await _council(pilot)
        await until(pilot, lambda: "s" in footer_keys())
        assert footer_keys()["s"] == "Staffing" and footer_keys()["r"] == "Reports"
        await pilot.press("o")
        await until(pilot, lambda: isinstance(app.screen, CentreScreen) and app.screen.view)
        await until(pilot, lambda: "s" in footer_keys())
        assert footer_keys()["s"] == "Staffing" and "m" in footer_keys()
