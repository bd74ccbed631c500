"""Files that commands write (`export events -o FILE`, report exports): written aside, then
renamed into place, so a failed or interrupted write never truncates or half-writes a
file that was there before. A folder or a missing folder is a one-line error."""

from __future__ import annotations

import os
import secrets
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TextIO

from frontdesk.errors import InvalidInput


@contextmanager
def replaced_when_done(path: str, *, encoding: str = "utf-8") -> Iterator[TextIO]:
    """A text file beside `path` that replaces it when the block ends without error."""
    target = Path(path)
    if target.is_dir():
        raise InvalidInput(f"{path} is a folder: give a file name, e.g. {target / 'events.csv'}")
    folder = target.parent
    if not folder.is_dir():
        raise InvalidInput(f"cannot write {path}: the folder {folder} does not exist")
    aside = folder / f".{target.name}.{secrets.token_hex(4)}.part"
    try:
        # O_EXCL: never follow or reuse someone else's file; 0o666 less the umask, as
        # a plain open() would create it.
        fd = os.open(aside, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    except OSError as exc:
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from None
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline="") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        if target.exists():
            os.chmod(aside, target.stat().st_mode & 0o7777)
        os.replace(aside, target)
    except OSError as exc:
        aside.unlink(missing_ok=True)
        raise InvalidInput(f"cannot write {path}: {exc.strerror or exc}") from None
    except BaseException:
        aside.unlink(missing_ok=True)
        raise
