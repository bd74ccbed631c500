"""Every benchmark still imports after the code it measures moves.

The benchmarks are not part of the test run (they take minutes), so a renamed module
would otherwise go unnoticed until someone re-measures the README's figures.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench"


def test_every_benchmark_module_imports() -> None:
    modules = sorted(p.stem for p in BENCH.glob("*.py"))
    assert "reports" in modules and "fdbench_history" in modules
    script = "import importlib, sys\nfor m in sys.argv[1:]:\n    importlib.import_module(m)\n"
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(BENCH), *sys.path])}
    done = subprocess.run(
        [sys.executable, "-c", script, *modules],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr.strip().splitlines()[-1:]
