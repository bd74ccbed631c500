"""Staff: PINs (Argon2 hashes only), log-in with lock-out, roles, the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from frontdesk.clock import Clock
from frontdesk.errors import FrontdeskError, InvalidInput
from frontdesk.store import audit as audit_log
from frontdesk.store import staff_store as ss
from frontdesk.store.engine import UnitOfWork

ROLES = ("adviser", "specialist", "supervisor", "admin")
MAX_FAILURES = 5
LOCK_MINUTES = 15
# Modest Argon2id parameters: a log-in at a desk must feel instant on a small PC.
_HASHER = PasswordHasher(time_cost=2, memory_cost=19 * 1024, parallelism=1)


class LoginRefused(FrontdeskError):
    """Wrong code or PIN, or locked out; the message never says which of code or PIN."""


@dataclass(frozen=True, slots=True)
class StaffMember:
    code: str
    name: str
    role: str
    specialist: str | None = None

    def may(self, role: str) -> bool:
        """Supervisors may do what advisers do; admins may do everything."""
        rank = {"adviser": 0, "specialist": 0, "supervisor": 1, "admin": 2}
        return rank[self.role] >= rank[role]


@cache
def _dummy_hash() -> str:
    """An unknown code is checked against this, so refusing it takes as long as a wrong
    PIN (otherwise codes could be found by timing the refusal). Made on first use."""
    return _HASHER.hash("not-a-pin")


def _verify(digest: str, pin: str) -> bool:
    try:
        return _HASHER.verify(digest, pin)
    except (VerificationError, InvalidHashError):
        return False


def check_pin(pin: str) -> str:
    # str.isdigit() alone accepts other scripts' digits ("١٢٣٤") and superscripts.
    if not (pin.isascii() and pin.isdigit()) or not 4 <= len(pin) <= 8:
        raise InvalidInput("a PIN is 4 to 8 digits")
    return pin


class StaffService:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    def add(
        self,
        code: str,
        name: str,
        role: str,
        pin: str,
        *,
        specialist: str | None = None,
        by: str | None = None,
    ) -> StaffMember:
        """Add or update a member of staff; their PIN is stored only as an Argon2 hash."""
        code = code.strip().upper()
        if not code or len(code) > 16 or not code.replace("-", "").isalnum():
            raise InvalidInput("a staff code is 1 to 16 letters, digits or dashes")
        if role not in ROLES:
            raise InvalidInput(f"unknown role '{role}' (accepted: {', '.join(ROLES)})")
        if not name.strip():
            raise InvalidInput("a member of staff needs a name")
        if specialist is not None:
            specialist = specialist.strip().upper()
            with self.uow.read() as s:
                known = ss.specialist_exists(s, specialist)
            if not known:
                raise InvalidInput(
                    f"--specialist: no specialist '{specialist}' in the centres file "
                    "(`frontdesk init` loads them)"
                )
        digest = _HASHER.hash(check_pin(pin))
        with self.uow.write() as s:
            ss.upsert_staff(
                s,
                code=code,
                name=name.strip(),
                role=role,
                pin_hash=digest,
                specialist_code=specialist,
                failed_attempts=0,
                locked_until=None,
                active=True,
            )
            audit_log.audit(s, self.clock.now(), by, "staff.add", f"{code} as {role}")
        return StaffMember(code, name.strip(), role, specialist)

    def login(self, code: str, pin: str, *, where: str = "") -> StaffMember:
        """Check a code and PIN. After 5 failures in a row the code is locked for 15 min.

        The guess is counted before the PIN is checked (one conditional UPDATE), so no
        more than 5 guesses are ever checked however many processes try at once. An
        unknown code is checked against a dummy hash, so it takes as long to refuse.
        """
        code = code.strip().upper()
        now = self.clock.now()
        with self.uow.write() as s:
            row = ss.claim_guess(s, code, now, now + timedelta(minutes=LOCK_MINUTES), MAX_FAILURES)
        ok = _verify(row.pin_hash if row is not None else _dummy_hash(), pin)
        if row is None:
            with self.uow.read() as s:
                known = ss.staff(s, code)
            if known is not None and known.locked_until is not None and known.locked_until > now:
                self._audit(code, "login.locked", where)
                minutes = max(1, int((known.locked_until - now).total_seconds() // 60) + 1)
                raise LoginRefused(
                    f"too many wrong PINs: try again in {minutes} minutes or ask a supervisor"
                )
            self._audit(None, "login.failed", f"unknown code at {where}")
            raise LoginRefused("staff code or PIN not recognised")
        if not ok:
            self._audit(code, "login.failed", where)
            raise LoginRefused("staff code or PIN not recognised")
        with self.uow.write() as s:
            ss.set_login_state(s, code, 0, None)
            audit_log.audit(s, now, code, "login", where)
        return StaffMember(row.code, row.name, row.role, row.specialist_code)

    def _audit(self, staff: str | None, action: str, detail: str) -> None:
        with self.uow.write() as s:
            audit_log.audit(s, self.clock.now(), staff, action, detail)

    def audit(self, staff: str | None, action: str, detail: str = "") -> None:
        """Record a staff action that is not a ticket step (those are in the event log)."""
        self._audit(staff, action, detail)
