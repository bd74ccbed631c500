"""Backing up and restoring an SQLite store with SQLite's online backup API: a consistent
copy taken page by page while other processes go on writing (they are never blocked for
long), and a restore that writes through SQLite's locks, so processes that have the store
open see the restored content rather than a file swapped under them.

PostgreSQL has its own tools (pg_dump / pg_restore); `backup_advice` says how.
"""

from __future__ import annotations

import os
import secrets
import sqlite3
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.engine import make_url

from frontdesk.errors import InvalidInput

PAGES_PER_STEP = 256  # others may write between steps
BUSY_MS = 10_000


@dataclass(frozen=True, slots=True)
class StoreFile:
    """What a backup file (or a store) holds: its schema revision and whether it has data."""

    path: Path
    revision: str | None  # None: no frontdesk schema in it
    tables: int
    bytes: int


def sqlite_path(url: str) -> Path | None:
    """The file of an SQLite store URL; None for any other backend."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return None
    if not parsed.database or parsed.database == ":memory:":
        raise InvalidInput("--db: an in-memory SQLite store cannot be backed up or restored")
    return Path(parsed.database)


def backup_advice(url: str) -> str:
    parsed = make_url(url)
    name = parsed.database or "frontdesk"
    return (
        f"backup and restore are for SQLite stores; for PostgreSQL use its own tools: "
        f"`pg_dump -Fc {name} > frontdesk.dump` (consistent while the site runs) and "
        f"`pg_restore --clean --if-exists -d {name} frontdesk.dump`, then `frontdesk init`"
    )


def _connect(path: Path, *, readonly: bool = False) -> sqlite3.Connection:
    uri = f"file:{path}?mode=ro" if readonly else f"file:{path}"
    conn = sqlite3.connect(uri, uri=True, timeout=BUSY_MS / 1000)
    conn.execute(f"PRAGMA busy_timeout = {BUSY_MS}")
    return conn


def inspect_file(path: Path, field: str) -> StoreFile:
    """What `path` holds, refusing anything that is not a sound SQLite database."""
    if not path.is_file():
        raise InvalidInput(f"{field} {path}: no such file")
    try:
        conn = _connect(path, readonly=True)
        try:
            check = conn.execute("PRAGMA quick_check").fetchone()
            names = {
                r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")
            }
            revision = None
            if "alembic_version" in names:
                row = conn.execute("SELECT version_num FROM alembic_version").fetchone()
                revision = row[0] if row else None
        finally:
            conn.close()
    except sqlite3.DatabaseError as exc:
        raise InvalidInput(f"{field} {path}: not a frontdesk SQLite store ({exc})") from None
    if not check or check[0] != "ok":
        raise InvalidInput(f"{field} {path}: the file is damaged ({check[0] if check else '?'})")
    tables = len(names - {"alembic_version"})
    return StoreFile(path, revision, tables, path.stat().st_size)


def backup(source: Path, target: Path) -> StoreFile:
    """Copy the store at `source` into `target` (written aside, then renamed into place)."""
    if target.is_dir():
        raise InvalidInput(
            f"FILE {target} is a folder: give a file name, e.g. {target / 'frontdesk.db'}"
        )
    if not target.parent.is_dir():
        raise InvalidInput(f"FILE {target}: the folder {target.parent} does not exist")
    if not source.is_file():
        raise InvalidInput(f"--db {source}: no such store")
    aside = target.parent / f".{target.name}.{secrets.token_hex(4)}.part"
    try:
        src = _connect(source, readonly=True)
        try:
            dst = sqlite3.connect(aside)
            try:
                src.backup(dst, pages=PAGES_PER_STEP)
                # One file, whatever the store's journal mode: nothing left in a -wal.
                dst.execute("PRAGMA journal_mode = DELETE")
            finally:
                dst.close()
        finally:
            src.close()
        copied = inspect_file(aside, "FILE")
        os.replace(aside, target)
    except sqlite3.Error as exc:
        raise InvalidInput(
            f"FILE {target}: the backup failed ({exc}); nothing was written"
        ) from None
    except OSError as exc:
        raise InvalidInput(f"FILE {target}: cannot write ({exc.strerror or exc})") from None
    finally:
        aside.unlink(missing_ok=True)
    return StoreFile(target, copied.revision, copied.tables, copied.bytes)


def restore(backup_file: Path, target: Path) -> None:
    """Write the backup's pages over the store at `target`, through SQLite's locks."""
    try:
        src = _connect(backup_file, readonly=True)
        try:
            dst = _connect(target)
            try:
                src.backup(dst)  # all at once: one lock on the store, held briefly
            finally:
                dst.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise InvalidInput(f"FILE {backup_file}: the restore failed ({exc})") from None
