from __future__ import annotations

import io
import threading
from collections.abc import Callable, Sequence

import pytest

from frontdesk.devices.sound import Announcer, announcement_text, spell_ticket


def test_ticket_is_spelled_out() -> None:
    assert spell_ticket("C042") == "C 0 4 2"
    assert announcement_text("C042", 3) == "Ticket C 0 4 2, please go to desk 3"


@pytest.mark.parametrize(
    ("lang", "text"),
    [
        ("en", "Ticket H 1 0 7, please go to desk 2"),
        ("en-GB", "Ticket H 1 0 7, please go to desk 2"),
        ("cy", "Tocyn H 1 0 7, ewch i ddesg 2"),
        ("xx", "Ticket H 1 0 7, please go to desk 2"),
    ],
)
def test_languages(lang: str, text: str) -> None:
    assert announcement_text("H107", "2", lang) == text


class RecordingRunner:
    """Records commands and notices if two ever run at once."""

    def __init__(self) -> None:
        self.commands: list[list[str]] = []
        self.running = 0
        self.overlapped = False
        self._lock = threading.Lock()

    def __call__(self, command: Sequence[str]) -> None:
        with self._lock:
            self.running += 1
            self.overlapped |= self.running > 1
            self.commands.append(list(command))
        threading.Event().wait(0.01)  # let another thread try to cut in
        with self._lock:
            self.running -= 1


def installed(*names: str) -> Callable[[str], str | None]:
    """A stand-in for shutil.which that finds only `names`."""
    return lambda name: f"/usr/bin/{name}" if name in names else None


def test_bell_only_when_nothing_is_installed() -> None:
    bell = io.StringIO()
    runner = RecordingRunner()

    with Announcer(bell_stream=bell, runner=runner, which=installed()) as announcer:
        announcer.announce("C042", 3)
        announcer.announce("C043", 1)
        assert announcer.wait_until_idle(timeout=10)
        assert not announcer.speaks

    assert bell.getvalue() == "\a\a"
    assert runner.commands == []


def test_speech_follows_the_chime_in_order_and_never_overlaps() -> None:
    runner = RecordingRunner()

    with Announcer(
        lang="cy", bell_stream=io.StringIO(), runner=runner, which=installed("espeak-ng", "aplay")
    ) as announcer:
        for number in range(5):
            announcer.announce(f"C04{number}", 3)
        assert announcer.wait_until_idle(timeout=10)

    spoken = [command for command in runner.commands if command[0].endswith("espeak-ng")]
    chimes = [command for command in runner.commands if command[0].endswith("aplay")]
    assert [command[-1] for command in spoken] == [
        f"Tocyn C 0 4 {number}, ewch i ddesg 3" for number in range(5)
    ]
    assert all(command[1:3] == ["-v", "cy"] for command in spoken)
    assert len(chimes) == 5 and chimes[0][-1].endswith(".wav")
    assert runner.commands[0][0].endswith("aplay")
    assert not runner.overlapped


def test_speech_can_be_switched_off() -> None:
    runner = RecordingRunner()
    bell = io.StringIO()

    with Announcer(
        speech=False, bell_stream=bell, runner=runner, which=installed("espeak-ng")
    ) as a:
        a.announce("C042", 3)
        assert a.wait_until_idle(timeout=10)

    assert runner.commands == [] and bell.getvalue() == "\a"


def test_a_failing_player_does_not_stop_later_announcements() -> None:
    calls: list[str] = []

    def flaky(command: Sequence[str]) -> None:
        calls.append(command[-1])
        if len(calls) == 1:
            raise OSError("no sound card")

    with Announcer(bell_stream=io.StringIO(), runner=flaky, which=installed("espeak-ng")) as a:
        a.announce("C042", 3)
        a.announce("C043", 4)
        assert a.wait_until_idle(timeout=10)

    assert calls == ["Ticket C 0 4 2, please go to desk 3", "Ticket C 0 4 3, please go to desk 4"]


def test_a_bilingual_centre_hears_each_call_in_its_languages_in_turn() -> None:
    # A Welsh centre's board calls in Welsh, then in English, each in its own voice; a
    # language with no phrase of ours is said once in English, not twice.
    runner = RecordingRunner()

    with Announcer(bell_stream=io.StringIO(), runner=runner, which=installed("espeak-ng")) as a:
        a.use_languages(["cy", "en-GB", "pl"])
        item = a.announce("C042", 3)
        assert a.wait_until_idle(timeout=10)

    assert [command[1:] for command in runner.commands] == [
        ["-v", "cy", "Tocyn C 0 4 2, ewch i ddesg 3"],
        ["-v", "en-gb", "Ticket C 0 4 2, please go to desk 3"],
    ]
    assert item.text == "Tocyn C 0 4 2, ewch i ddesg 3"
    assert not runner.overlapped
