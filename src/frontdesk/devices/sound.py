"""Chime and spoken call-outs for the "now serving" board, one at a time, never overlapping.

Announcements carry only a ticket number and a desk name: nothing personal is ever spoken.
"""

from __future__ import annotations

import logging
import math
import os
import shutil
import struct
import subprocess
import sys
import tempfile
import threading
import wave
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

logger = logging.getLogger(__name__)

Runner = Callable[[Sequence[str]], None]
Which = Callable[[str], str | None]

_PHRASES = {
    "en": "Ticket {ticket}, please go to desk {desk}",
    "cy": "Tocyn {ticket}, ewch i ddesg {desk}",
}
# espeak-ng voice for each language we phrase; others fall back to English.
DEFAULT_VOICES = {"en": "en-gb", "cy": "cy"}
WAV_PLAYERS = ("aplay", "paplay", "play")


def spell_ticket(ticket: str) -> str:
    """Spell a ticket number out (C042 -> "C 0 4 2") so speech does not say "forty-two"."""
    return " ".join(character for character in ticket if not character.isspace())


def announcement_text(ticket: str, desk: str | int, lang: str = "en") -> str:
    """What is said: "Ticket C 0 4 2, please go to desk 3"."""
    phrase = _PHRASES.get(lang.split("-")[0].lower(), _PHRASES["en"])
    return phrase.format(ticket=spell_ticket(ticket), desk=desk)


def spoken_languages(languages: Sequence[str]) -> tuple[str, ...]:
    """The languages a call-out is said in, in the centre's order: each one we phrase,
    once; English for the rest (and when none is given)."""
    out: list[str] = []
    for code in languages:
        base = code.split("-")[0].lower()
        key = base if base in _PHRASES else "en"
        if key not in out:
            out.append(key)
    return tuple(out) or ("en",)


@dataclass(frozen=True)
class Announcement:
    ticket: str
    desk: str
    text: str  # in the first language
    said: tuple[tuple[str, str], ...] = ()  # (espeak-ng voice, text) in turn


def run_quietly(command: Sequence[str]) -> None:
    """Run a sound command, giving up after 20 seconds so a stuck player cannot stall the board."""
    subprocess.run(
        list(command),
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        timeout=20,
    )


def write_chime_wav(path: Path) -> Path:
    """A two-tone "ding-dong" (0.7 s, 16-bit mono)."""
    rate = 22050
    frames = bytearray()
    for frequency, seconds in ((880.0, 0.35), (660.0, 0.35)):
        count = int(rate * seconds)
        for index in range(count):
            fade = 1.0 - index / count  # decay so the tones do not click
            sample = 0.4 * fade * math.sin(2 * math.pi * frequency * index / rate)
            frames += struct.pack("<h", int(sample * 32767))
    with wave.open(str(path), "wb") as output:
        output.setnchannels(1)
        output.setsampwidth(2)
        output.setframerate(rate)
        output.writeframes(bytes(frames))
    return path


class Announcer:
    """Plays announcements in order on a background thread.

    The chime is a WAV through aplay/paplay/play when one is installed, else the terminal bell
    written to `bell_stream`. Speech uses espeak-ng when installed and `speech` is on.
    """

    def __init__(
        self,
        *,
        lang: str = "en",
        voice: str | None = None,
        speech: bool = True,
        chime: bool = True,
        bell_stream: TextIO | None = None,
        runner: Runner = run_quietly,
        which: Which = shutil.which,
    ) -> None:
        self._languages = spoken_languages([lang])
        self._voice = voice  # for the first language, if given; else its usual voice
        self._chime = chime
        self._bell_stream = bell_stream if bell_stream is not None else sys.stdout
        self._runner = runner
        self._speaker = which("espeak-ng") if speech else None
        self._player = next((found for name in WAV_PLAYERS if (found := which(name))), None)
        self._chime_file: Path | None = None
        self._pending: deque[Announcement] = deque()
        self._changed = threading.Condition()
        self._busy = False
        self._closed = False
        self._thread = threading.Thread(target=self._play_forever, name="announcer", daemon=True)
        self._thread.start()

    @property
    def speaks(self) -> bool:
        """True when espeak-ng was found and speech is on."""
        return self._speaker is not None

    def use_languages(self, languages: Sequence[str]) -> None:
        """Say each call-out in these languages in turn, each in its own voice (a
        bilingual centre's: "Tocyn C 0 4 2, ewch i ddesg 3" then "Ticket C 0 4 2, …")."""
        with self._changed:
            self._languages = spoken_languages(languages)

    def announce(self, ticket: str, desk: str | int) -> Announcement:
        """Queue "Ticket …, please go to desk …"; returns at once."""
        with self._changed:
            languages = self._languages
        said = tuple(
            (
                (i == 0 and self._voice) or DEFAULT_VOICES.get(code, "en-gb"),
                announcement_text(ticket, desk, code),
            )
            for i, code in enumerate(languages)
        )
        item = Announcement(ticket, str(desk), said[0][1], said)
        with self._changed:
            if self._closed:
                raise RuntimeError("the announcer has been closed")
            self._pending.append(item)
            self._changed.notify_all()
        return item

    def wait_until_idle(self, timeout: float | None = None) -> bool:
        """Block until every queued announcement has played; False on timeout."""
        with self._changed:
            return self._changed.wait_for(lambda: not self._pending and not self._busy, timeout)

    def close(self, timeout: float | None = 30.0) -> None:
        """Play what is queued, then stop the thread."""
        with self._changed:
            self._closed = True
            self._changed.notify_all()
        self._thread.join(timeout)
        if self._chime_file is not None:
            self._chime_file.unlink(missing_ok=True)

    def __enter__(self) -> Announcer:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _play_forever(self) -> None:
        while True:
            with self._changed:
                self._changed.wait_for(lambda: self._pending or self._closed)
                if not self._pending:
                    return
                item = self._pending.popleft()
                self._busy = True
            try:
                self._play(item)
            except Exception:
                # A broken speaker must not stop later call-outs; the board still shows them.
                logger.exception("announcement for ticket %s failed", item.ticket)
            finally:
                with self._changed:
                    self._busy = False
                    self._changed.notify_all()

    def _play(self, item: Announcement) -> None:
        if self._chime:
            self._play_chime()
        if self._speaker is not None:
            for voice, text in item.said:
                self._runner([self._speaker, "-v", voice, text])

    def _play_chime(self) -> None:
        if self._player is None:
            self._bell_stream.write("\a")
            self._bell_stream.flush()
            return
        if self._chime_file is None:
            handle, name = tempfile.mkstemp(prefix="frontdesk-chime-", suffix=".wav")
            os.close(handle)
            self._chime_file = write_chime_wav(Path(name))
        command = [self._player, str(self._chime_file)]
        if Path(self._player).name == "play":
            command.insert(1, "-q")
        self._runner(command)
