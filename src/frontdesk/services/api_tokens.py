"""HTTP API tokens for council systems: made with `frontdesk api-token add`, kept only as
a SHA-256 hash, revocable, and every use written to the audit log.

A token is `fdk_` and 43 URL-safe characters (32 random bytes, 256 bits): hashing it once
is enough, it cannot be guessed, so no slow password hash is needed.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from frontdesk.clock import Clock
from frontdesk.errors import FrontdeskError, InvalidInput, NotFound
from frontdesk.store import audit as audit_log
from frontdesk.store import web_store as ws
from frontdesk.store.engine import UnitOfWork

# issue: issue tickets; desk: call, start, complete, transfer; read: the queue, reports.
SCOPES = ("issue", "desk", "read")
PREFIX = "fdk_"
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,47}$")


class NotAllowed(FrontdeskError):
    """An API call without a valid token, or with one that lacks the scope it needs."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status  # 401: no or unknown token; 403: revoked or out of scope


@dataclass(frozen=True, slots=True)
class ApiTokenInfo:
    name: str
    scopes: tuple[str, ...]
    created_at: datetime
    created_by: str | None
    revoked_at: datetime | None
    last_used_at: datetime | None

    def as_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "scopes": list(self.scopes),
            "created_at": self.created_at,
            "created_by": self.created_by,
            "revoked_at": self.revoked_at,
            "last_used_at": self.last_used_at,
        }


@dataclass(frozen=True, slots=True)
class NewApiToken:
    info: ApiTokenInfo
    token: str  # shown once; only its hash is stored


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def parse_scopes(values: list[str] | tuple[str, ...]) -> tuple[str, ...]:
    """`["issue,desk", "read"]` → ("desk", "issue", "read"); unknown scopes are refused."""
    scopes = {part.strip().lower() for v in values for part in v.split(",") if part.strip()}
    if not scopes:
        raise InvalidInput(f"--scope: give at least one of {', '.join(SCOPES)}")
    unknown = sorted(scopes - set(SCOPES))
    if unknown:
        raise InvalidInput(
            f"--scope: '{unknown[0]}' is not a scope (accepted: {', '.join(SCOPES)})"
        )
    return tuple(sorted(scopes))


def _info(row: Any) -> ApiTokenInfo:
    return ApiTokenInfo(
        name=row.name,
        scopes=tuple(s for s in row.scopes.split(",") if s),
        created_at=row.created_at,
        created_by=row.created_by,
        revoked_at=row.revoked_at,
        last_used_at=row.last_used_at,
    )


class ApiTokenService:
    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    def add(self, name: str, scopes: tuple[str, ...], *, by: str | None = None) -> NewApiToken:
        """Make a token; the returned `token` is the only time it is seen."""
        name = name.strip()
        if not _NAME.match(name):
            raise InvalidInput(
                f"--name: 1-48 letters, digits, dots, dashes or underscores (got '{name}')"
            )
        scopes = parse_scopes(scopes)
        token = PREFIX + secrets.token_urlsafe(32)
        with self.uow.write() as s:
            now = self.clock.now()
            if ws.api_token_by_name(s, name) is not None:
                raise InvalidInput(f"--name: a token named '{name}' exists already")
            ws.insert_api_token(
                s,
                name=name,
                token_hash=token_hash(token),
                scopes=",".join(scopes),
                created_at=now,
                created_by=by,
            )
            audit_log.audit(s, now, by, "api_token.add", f"{name} ({','.join(scopes)})")
            row = ws.api_token_by_name(s, name)
        return NewApiToken(info=_info(row), token=token)

    def list(self) -> list[ApiTokenInfo]:
        with self.uow.read() as s:
            return [_info(r) for r in ws.api_tokens(s)]

    def revoke(self, name: str, *, by: str | None = None) -> ApiTokenInfo:
        with self.uow.write() as s:
            now = self.clock.now()
            row = ws.api_token_by_name(s, name.strip())
            if row is None:
                raise NotFound(f"no API token named '{name}'")
            if row.revoked_at is None:
                ws.set_api_token(s, row.id, revoked_at=now)
                audit_log.audit(s, now, by, "api_token.revoke", row.name)
            row = ws.api_token_by_name(s, row.name)
        return _info(row)

    def authorise(
        self, token: str | None, scope: str, action: str, detail: str = ""
    ) -> ApiTokenInfo:
        """The token's holder if it may do `scope`; the use (or a refused known token) is
        written to the audit log as `api.<action>` by `api:<name>` in the same unit of work.
        Unknown tokens are refused without a log entry (they name nobody)."""
        if not token or not token.startswith(PREFIX) or len(token) > 128:
            raise NotAllowed("an API token is needed: Authorization: Bearer fdk_…", status=401)
        with self.uow.write() as s:
            now = self.clock.now()
            row = ws.api_token_by_hash(s, token_hash(token))
            if row is None:
                raise NotAllowed("the API token is not known", status=401)
            who = f"api:{row.name}"
            scopes = row.scopes.split(",")
            if row.revoked_at is not None:
                audit_log.audit(
                    s, now, who, "api.refused", f"{action}: token revoked {detail}".strip()
                )
                problem = NotAllowed(f"the API token '{row.name}' has been revoked", status=403)
            elif scope not in scopes:
                audit_log.audit(
                    s, now, who, "api.refused", f"{action}: needs scope {scope} {detail}".strip()
                )
                problem = NotAllowed(
                    f"the API token '{row.name}' lacks the '{scope}' scope", status=403
                )
            else:
                ws.set_api_token(s, row.id, last_used_at=now)
                audit_log.audit(s, now, who, f"api.{action}", detail)
                return _info(row)
        raise problem
