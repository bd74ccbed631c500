"""The board speaks the centre's languages (issue 18, item 13): `languages = ["cy", "en"]`
in the centres file gives the labels side by side, Welsh first, and the sentences in each
language in turn; a centre that says nothing stays English."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console
from textual.widgets import Label, Static

from frontdesk import sample
from frontdesk.board import app as board_app
from frontdesk.board.app import BoardApp
from frontdesk.board.widgets.calls import LatestCall, RecentCalls
from frontdesk.clock import VirtualClock
from frontdesk.services.wiring import Services, initialise, open_services
from tests.support.board import FakeAnnouncer
from tests.ui.test_board_app import START, until


@pytest.fixture
def clock() -> VirtualClock:
    return VirtualClock(START)


@pytest.fixture
def welsh(tmp_path: Path, clock: VirtualClock) -> Iterator[Services]:
    """The sample council with the Civic Centre's board in Welsh and English."""
    council = sample.council_text().replace(
        'code = "CIVIC"\n', 'code = "CIVIC"\nlanguages = ["cy", "en"]\n', 1
    )
    (tmp_path / "council.toml").write_text(council, encoding="utf-8")
    svc = open_services(f"sqlite:///{tmp_path}/w.db", clock)
    initialise(svc, tmp_path / "council.toml")
    yield svc
    svc.close()


def table_text(recent: RecentCalls) -> str:
    console = Console(width=40, record=True, file=io.StringIO())
    console.print(recent.render())
    return console.export_text()


def shown(app: BoardApp, selector: str) -> str:
    return str(app.query_one(selector, Label | Static).render())  # type: ignore[arg-type]


async def test_labels_side_by_side_and_sentences_in_turn(
    welsh: Services, clock: VirtualClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(board_app, "ALTERNATE_SECONDS", 0.3)
    welsh.queue.issue("CIVIC", "CTAX")
    welsh.queue.issue("CIVIC", "HBEN")
    welsh.queue.call_next("CIVIC", "1")
    clock.advance(30)
    welsh.queue.recall("CIVIC", "1")
    clock.advance(30)
    welsh.queue.call_next("CIVIC", "Interview 1")
    announcer = FakeAnnouncer()
    app = BoardApp(welsh, "CIVIC", announcer=announcer)
    async with app.run_test(size=(100, 30)) as pilot:
        await until(pilot, lambda: app.languages == ("cy", "en"))
        assert announcer.languages == ("cy", "en")  # the call-outs are said in both
        await until(pilot, lambda: app.query_one(LatestCall).call is not None)
        assert shown(app, "#centre") == "Canolfan Ddinesig · Civic Centre"
        assert shown(app, "#latest-title") == "Nawr yn gwasanaethu · Now serving"
        assert shown(app, "#latest-go") == "ewch i ddesg · please go to desk"
        assert shown(app, "#recent-title") == "Galwadau diweddar · Recent calls"
        # The standard line speaks each language in turn, Welsh first, on its own.
        line = app.query_one("#standard", Static)
        await until(pilot, lambda: "Heddiw: neb wedi'i weld eto" in str(line.render()))
        assert str(line.render()) == (
            "Heddiw: neb wedi'i weld eto · ein safon: 95% o fewn 10 munud"
        )
        recent = app.query_one(RecentCalls)
        await until(pilot, lambda: str(line.render()).startswith("Today: nobody seen yet"))
        assert recent.language == "en"
        await until(pilot, lambda: str(line.render()).startswith("Heddiw:"))
        assert recent.language == "cy"
        assert "C001 ↻ eto" in table_text(recent)  # the recall, marked in Welsh too


async def test_a_centre_without_languages_stays_english(welsh: Services) -> None:
    app = BoardApp(welsh, "GATEFIELD", announcer=FakeAnnouncer())
    async with app.run_test(size=(100, 30)) as pilot:
        line = app.query_one("#standard", Static)
        await until(pilot, lambda: "Today:" in str(line.render()))
        assert app.languages == ("en",)
        assert shown(app, "#latest-title") == "Now serving"
        assert shown(app, "#latest-go") == "Please wait to be called"
        app.next_language()  # nothing to alternate with
        assert str(line.render()).startswith("Today:")


async def test_a_rerun_init_gives_a_running_board_its_languages(
    tmp_path: Path, clock: VirtualClock
) -> None:
    svc = open_services(f"sqlite:///{tmp_path}/r.db", clock)
    try:
        initialise(svc, sample.council())
        app = BoardApp(svc, "CIVIC", announcer=FakeAnnouncer())
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: shown(app, "#centre") == "Civic Centre")
            council = sample.council_text().replace(
                'code = "CIVIC"\n', 'code = "CIVIC"\nlanguages = ["cy", "en"]\n', 1
            )
            (tmp_path / "council.toml").write_text(council, encoding="utf-8")
            initialise(svc, tmp_path / "council.toml")  # as `frontdesk init` run again
            await until(pilot, lambda: app.languages == ("cy", "en"), timeout=10)
            assert shown(app, "#centre") == "Canolfan Ddinesig · Civic Centre"
    finally:
        svc.close()
