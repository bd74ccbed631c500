"""Staff: PINs (Argon2 hashes only), log-in with lock-out, roles, the audit log."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from frontdesk.clock import Clock
from frontdesk.errors import FrontdeskError, InvalidInput, NotFound
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


@dataclass(frozen=True, slots=True)
class StaffRecord:
    """A member of staff as `staff list` shows them (never their PIN or its hash)."""

    code: str
    name: str
    role: str
    specialist: str | None
    status: str  # active | disabled | removed
    locked_until: datetime | None  # set while locked out after wrong PINs
    removed_at: datetime | None


@dataclass(frozen=True, slots=True)
class AuditRecord:
    at: datetime
    staff: str | None
    action: str
    detail: str
    via: str


REMOVED_NAME = "(removed)"


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
            old = ss.any_staff(s, code)
            if old is not None and old.removed_at is not None:
                raise InvalidInput(
                    f"staff code '{code}' belonged to a member of staff who was removed; "
                    "codes are not reused (the history still names them): choose another"
                )
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

    # -- management (`frontdesk staff ...`) ----------------------------------------------

    def members(self) -> list[StaffRecord]:
        now = self.clock.now()
        with self.uow.read() as s:
            rows = ss.all_staff(s)
        return [
            StaffRecord(
                code=r.code,
                name=r.name,
                role=r.role,
                specialist=r.specialist_code,
                status="removed" if r.removed_at else "active" if r.active else "disabled",
                locked_until=r.locked_until if r.locked_until and r.locked_until > now else None,
                removed_at=r.removed_at,
            )
            for r in rows
        ]

    def anyone(self) -> bool:
        """Whether any member of staff exists yet (a new store has nobody)."""
        with self.uow.read() as s:
            return ss.has_staff(s)

    def active(self, code: str) -> StaffMember:
        """The active member of staff with `code`, or NotFound."""
        code = code.strip().upper()
        with self.uow.read() as s:
            row = ss.staff(s, code)
        if row is None:
            raise NotFound(
                f"'{code}' is not an active member of staff (see `frontdesk staff list`)"
            )
        return StaffMember(row.code, row.name, row.role, row.specialist_code)

    def disable(self, code: str, *, by: str | None = None) -> int:
        """Stop `code` logging in and log them out of every desk; returns desks left."""
        code = self._existing(code)
        with self.uow.write() as s:
            ss.change_staff(s, code, active=False)
            ended = ss.end_sessions_of(s, code)
            audit_log.audit(s, self.clock.now(), by, "staff.disable", f"{code}; {ended} desks")
        return ended

    def enable(self, code: str, *, by: str | None = None) -> None:
        """Let a disabled member log in again (their PIN is unchanged; lock-out cleared)."""
        code = self._existing(code)
        with self.uow.write() as s:
            ss.change_staff(s, code, active=True, failed_attempts=0, locked_until=None)
            audit_log.audit(s, self.clock.now(), by, "staff.enable", code)

    def reset_pin(self, code: str, pin: str, *, by: str | None = None) -> None:
        """A new PIN (hashed), clearing any lock-out; the PIN is never written anywhere else."""
        code = self._existing(code)
        digest = _HASHER.hash(check_pin(pin))
        with self.uow.write() as s:
            ss.change_staff(s, code, pin_hash=digest, failed_attempts=0, locked_until=None)
            audit_log.audit(s, self.clock.now(), by, "staff.reset-pin", code)

    def remove(self, code: str, *, by: str | None = None) -> None:
        """Remove a member of staff without losing history: their name and PIN hash are
        erased and they can never log in, but the code stays (marked removed) so the event
        and audit logs still name who did what, and it is never given to anyone else."""
        code = self._existing(code)
        now = self.clock.now()
        with self.uow.write() as s:
            ss.change_staff(
                s,
                code,
                name=REMOVED_NAME,
                pin_hash="",
                specialist_code=None,
                active=False,
                failed_attempts=0,
                locked_until=None,
                removed_at=now,
            )
            ss.end_sessions_of(s, code)
            audit_log.audit(s, now, by, "staff.remove", code)

    def _existing(self, code: str) -> str:
        code = code.strip().upper()
        with self.uow.read() as s:
            row = ss.any_staff(s, code)
        if row is None:
            raise NotFound(f"no member of staff has the code '{code}' (see `frontdesk staff list`)")
        if row.removed_at is not None:
            raise InvalidInput(f"'{code}' was removed on {row.removed_at:%Y-%m-%d}; add a new code")
        return code

    def audit_trail(
        self, start: datetime, end: datetime, staff: str | None = None
    ) -> list[AuditRecord]:
        """The audit log from `start` up to (not including) `end`, oldest first."""
        with self.uow.read() as s:
            rows = audit_log.audit_between(s, start, end, staff.strip().upper() if staff else None)
        return [AuditRecord(r.at, r.staff, r.action, r.detail, r.via) for r in rows]

    def _audit(self, staff: str | None, action: str, detail: str) -> None:
        with self.uow.write() as s:
            audit_log.audit(s, self.clock.now(), staff, action, detail)

    def audit(self, staff: str | None, action: str, detail: str = "") -> None:
        """Record a staff action that is not a ticket step (those are in the event log)."""
        self._audit(staff, action, detail)
