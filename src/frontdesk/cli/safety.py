"""The `frontdesk` command's last line of defence: whatever goes wrong, one line on
standard error and a non-zero exit, never a traceback.

- arguments that are not UTF-8 (the shell hands them over as surrogate escapes) are
  refused before parsing, naming the option they were given to;
- what is echoed back is shown with control characters escaped, so typed escape
  sequences never reach the terminal;
- output piped into `head` that closes early ends the command quietly;
- any other unexpected exception becomes one `frontdesk: error:` line (the traceback is
  printed too with FRONTDESK_DEBUG=1).
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

from frontdesk.errors import InvalidInput

DEBUG_ENV = "FRONTDESK_DEBUG"


def escaped(text: str) -> str:
    """`text` with control characters and undecodable bytes shown as escapes."""
    out = []
    for ch in text:
        code = ord(ch)
        if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8 (surrogateescape)
            out.append(f"\\x{code - 0xDC00:02x}")
        elif ch.isprintable() or ch == " ":
            out.append(ch)
        else:
            out.append(ch.encode("unicode_escape").decode("ascii"))
    return "".join(out)


def check_arguments(argv: Sequence[str]) -> None:
    """Refuse an argument that is not valid UTF-8 text, naming the option it is for."""
    for i, arg in enumerate(argv):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            before = argv[i - 1] if i > 0 else ""
            field = before if before.startswith("--") else f"argument {i + 1}"
            raise InvalidInput(
                f"{field} '{escaped(arg)}' is not valid UTF-8 text "
                "(set the terminal to UTF-8 and type it again)"
            ) from None


def error_line(message: str) -> str:
    return f"frontdesk: error: {escaped(message)}"


def unexpected(exc: BaseException) -> int:
    """Report an exception nobody expected as one line; the traceback only on request."""
    if os.environ.get(DEBUG_ENV) == "1":
        traceback.print_exception(exc, file=sys.stderr)
    detail = str(exc).strip().splitlines()
    what = f"{type(exc).__name__}: {detail[0]}" if detail else type(exc).__name__
    print(
        error_line(
            f"unexpected failure ({what}); nothing more was done. Set {DEBUG_ENV}=1 for the details"
        ),
        file=sys.stderr,
    )
    return 1


def output_closed() -> int:
    """Standard output was closed by its reader (`| head`): stop quietly.

    Python would otherwise report the broken pipe again when it flushes standard
    output at exit; pointing it at /dev/null stops that.
    """
    devnull = os.open(os.devnull, os.O_WRONLY)
    try:
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError):  # stdout replaced by something without a descriptor
        pass
    finally:
        os.close(devnull)
    return 141  # as a shell reports a process ended by SIGPIPE
