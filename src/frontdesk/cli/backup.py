"""`frontdesk backup FILE` and `frontdesk restore FILE`: a consistent copy of an SQLite
store taken while the site runs, and putting one back with checks — a sound SQLite file
holding a frontdesk schema this version knows (an older one is migrated after), and never
over a store that has data in it without `--force`. Both are written to the audit log.
PostgreSQL stores are backed up with pg_dump, which the error message spells out.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from frontdesk.cli.common import Commands, emit, services
from frontdesk.cli.identity import record
from frontdesk.errors import InvalidInput


def _known_revisions() -> list[str]:
    from alembic.script import ScriptDirectory

    from frontdesk.store.migrate import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    return [s.revision for s in reversed(list(scripts.walk_revisions()))]


def _store_file(args: argparse.Namespace) -> Path:
    from frontdesk.store import backup as bk

    svc = services(args)
    url = svc.engine.url.render_as_string(hide_password=False)
    path = bk.sqlite_path(url)
    if path is None:
        raise InvalidInput(bk.backup_advice(url))
    return path


def cmd_backup(args: argparse.Namespace) -> int:
    from frontdesk.store import backup as bk

    source = _store_file(args)
    target = Path(args.file)
    if target.is_file() and not args.force:
        raise InvalidInput(f"FILE {target} exists: give another name, or --force to replace it")
    if target.resolve() == source.resolve():
        raise InvalidInput(f"FILE {target} is the store itself: give another name")
    copied = bk.backup(source, target)
    record(args, services(args), "backup", f"to {target} ({copied.bytes} bytes)")
    emit(
        args,
        {"file": str(target), "bytes": copied.bytes, "schema": copied.revision},
        lambda: print(f"backed up to {target} ({copied.bytes:,} bytes, schema {copied.revision})"),
    )
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from frontdesk.store import backup as bk
    from frontdesk.store import migrate

    source = Path(args.file)
    found = bk.inspect_file(source, "FILE")
    known = _known_revisions()
    if found.revision is None:
        raise InvalidInput(f"FILE {source}: not a frontdesk store (no schema version in it)")
    if found.revision not in known:
        raise InvalidInput(
            f"FILE {source}: schema {found.revision} was made by a newer frontdesk "
            f"(this one knows up to {known[-1]}): restore it with that version"
        )
    target = _store_file(args)
    if target.exists() and source.resolve() == target.resolve():
        raise InvalidInput(f"FILE {source} is the store itself")
    if target.exists() and target.stat().st_size > 0:
        live = bk.inspect_file(target, "--db")
        if live.tables and not args.force:
            raise InvalidInput(
                f"--db {target} holds a store (schema {live.revision}): restoring replaces "
                "everything in it; stop the site's apps, then add --force"
            )
    svc = services(args)
    svc.engine.dispose()  # no pooled connection of ours holds the old pages
    bk.restore(source, target)
    if found.revision != known[-1]:
        migrate.upgrade(svc.engine)
    record(args, svc, "restore", f"from {source} (schema {found.revision})")
    emit(
        args,
        {"file": str(source), "schema": known[-1], "restored_schema": found.revision},
        lambda: print(
            f"restored {target} from {source} (schema {found.revision}"
            + (f", migrated to {known[-1]})" if found.revision != known[-1] else ")")
        ),
    )
    return 0


def register(commands: Commands) -> None:
    p = commands.add("backup", cmd_backup, "copy an SQLite store consistently while the site runs")
    p.add_argument("file", metavar="FILE", help="the backup file to write")
    p.add_argument("--force", action="store_true", help="replace FILE if it exists")
    p = commands.add("restore", cmd_restore, "put a backup back in place of the store")
    p.add_argument("file", metavar="FILE", help="a file made by `frontdesk backup`")
    p.add_argument("--force", action="store_true", help="replace a store that has data in it")
