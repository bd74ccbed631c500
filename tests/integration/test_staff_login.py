"""PIN log-in under attack: the lock-out counts atomically across processes, an unknown
code is refused with the same work as a known one, and PINs are ASCII digits."""

from __future__ import annotations

import multiprocessing as mp
import queue
from typing import Any

import login_workers
import pytest
from argon2 import PasswordHasher
from sqlalchemy import text

from frontdesk.clock import VirtualClock
from frontdesk.errors import InvalidInput
from frontdesk.services.staff import MAX_FAILURES, LoginRefused
from frontdesk.services.wiring import Services

PROCESSES = 6
GUESSES_EACH = 3
JOIN_SECONDS = 120


def _checked(services: Services, code: str) -> int:
    """How many guesses against `code` had their PIN checked (each is audited once)."""
    with services.engine.connect() as conn:
        return int(
            conn.execute(
                text(
                    "SELECT count(*) FROM audit_log WHERE staff = :code "
                    "AND action IN ('login.failed', 'login')"
                ),
                {"code": code},
            ).scalar_one()
        )


def test_no_more_than_five_guesses_are_checked_however_many_processes_try(
    services: Services, backend: Any
) -> None:
    services.staff.add("AB", "Ann Brown", "adviser", "1234")
    ctx = mp.get_context("spawn")
    go, results = ctx.Barrier(PROCESSES + 1), ctx.Queue()
    wrong = [f"{9000 + n}" for n in range(GUESSES_EACH)]
    procs = [
        ctx.Process(
            target=login_workers.guesser,
            args=(backend.url, "AB", wrong, go, results),
            daemon=True,
        )
        for _ in range(PROCESSES)
    ]
    try:
        for p in procs:
            p.start()
        go.wait(JOIN_SECONDS)
        reports = []
        for _ in procs:
            try:
                reports.append(results.get(timeout=JOIN_SECONDS))
            except queue.Empty:
                break
        for p in procs:
            p.join(JOIN_SECONDS)
    finally:
        for p in procs:
            if p.is_alive():
                p.kill()
                p.join()
    errors = [payload for kind, payload in reports if kind == "error"]
    assert not errors, "\n".join(errors)
    assert [r for _, r in reports] == [GUESSES_EACH] * PROCESSES
    assert _checked(services, "AB") == MAX_FAILURES
    # Locked now: even the right PIN is refused, and not checked.
    with pytest.raises(LoginRefused, match="too many wrong PINs"):
        services.staff.login("AB", "1234")
    assert _checked(services, "AB") == MAX_FAILURES


def test_threads_guessing_at_once_also_stop_at_five(services: Services) -> None:
    from concurrent.futures import ThreadPoolExecutor

    services.staff.add("CD", "Cat Dee", "adviser", "4321")

    def guess(n: int) -> bool:
        try:
            services.staff.login("CD", f"{5000 + n}")
        except LoginRefused:
            return False
        return True

    with ThreadPoolExecutor(8) as pool:
        assert not any(pool.map(guess, range(16)))
    assert _checked(services, "CD") == MAX_FAILURES


def test_the_lock_lifts_after_fifteen_minutes_and_success_resets_the_count(
    services: Services, clock: VirtualClock
) -> None:
    services.staff.add("EF", "Eve Fox", "adviser", "2468")
    for _ in range(4):
        with pytest.raises(LoginRefused, match="not recognised"):
            services.staff.login("EF", "0000")
    assert services.staff.login("EF", "2468").code == "EF"
    for _ in range(MAX_FAILURES):
        with pytest.raises(LoginRefused, match="not recognised"):
            services.staff.login("EF", "0000")
    with pytest.raises(LoginRefused, match=r"too many wrong PINs: try again in 1[56] minutes"):
        services.staff.login("EF", "2468")
    clock.advance(15 * 60)
    assert services.staff.login("EF", "2468").code == "EF"


def test_an_unknown_code_is_checked_against_a_hash_like_a_known_one(
    services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    services.staff.add("GH", "Gus Hill", "adviser", "1357")
    checked: list[str] = []
    real = PasswordHasher.verify

    def spy(self: PasswordHasher, digest: str, pin: str) -> bool:
        checked.append(digest)
        return real(self, digest, pin)

    monkeypatch.setattr(PasswordHasher, "verify", spy)
    for code in ("GH", "NOSUCH"):
        with pytest.raises(LoginRefused, match="staff code or PIN not recognised"):
            services.staff.login(code, "0000")
    assert len(checked) == 2
    assert all(d.startswith("$argon2id$") for d in checked)


@pytest.mark.parametrize("pin", ["١٢٣٤", "¹²³⁴", "12 34", "12a4", "123", "123456789"])
def test_a_pin_is_four_to_eight_ascii_digits(services: Services, pin: str) -> None:
    with pytest.raises(InvalidInput, match="a PIN is 4 to 8 digits"):
        services.staff.add("IJ", "Ivy Jones", "adviser", pin)


def test_one_adviser_cannot_be_logged_in_at_two_desks_at_once(
    services: Services, clock: VirtualClock
) -> None:
    from frontdesk.services.desks import STALE_AFTER, DeskTaken

    services.staff.add("KL", "Kim Lee", "adviser", "1357")
    member = services.staff.login("KL", "1357")
    services.desks.open("CIVIC", "1", member, "console-a")
    with pytest.raises(DeskTaken, match="KL is already logged in at another desk"):
        services.desks.open("CIVIC", "2", member, "console-b")
    services.desks.open("CIVIC", "1", member, "console-a")  # the same desk again is fine
    clock.advance(STALE_AFTER.total_seconds() + 1)  # console A crashed long ago
    assert services.desks.open("CIVIC", "2", member, "console-b").desk == "2"
