"""A scripting command stays light: `frontdesk ticket issue --json` loads neither the
Textual UI nor the ESC/POS printer driver.

It runs in a fresh interpreter (this test process has imported both long ago) through
`frontdesk.cli.main`, which then reports what `sys.modules` holds.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from typing import Any

HEAVY = ("textual", "escpos")
PROBE = """
import json, sys
from frontdesk.cli import main

status = main(sys.argv[1:])
roots = {name.split(".")[0] for name in sys.modules}
print(json.dumps({"status": status, "loaded": sorted(roots & {"textual", "escpos", "sqlalchemy"})}))
"""


def test_ticket_issue_imports_neither_textual_nor_escpos(new_store: Any) -> None:
    store = new_store("light-imports")
    argv = ["ticket", "issue", "--centre", "CIVIC", "--service", "CTAX", "--db", store.url]
    done = subprocess.run(
        [sys.executable, "-c", PROBE, *argv, "--json"],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 0, done.stderr
    ticket, probe = (json.loads(line) for line in done.stdout.splitlines())
    assert ticket["ticket"] == "C001"
    assert probe["status"] == 0
    # The probe sees the command's own imports (the store's driver is one of them) ...
    assert "sqlalchemy" in probe["loaded"]
    # ... and none of the heavy ones.
    assert [name for name in probe["loaded"] if name in HEAVY] == []
