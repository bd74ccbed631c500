"""The wheel carries what `frontdesk demo` needs (the sample council is package data) and
no test code: build it, install it in a fresh virtual environment outside the checkout,
and run the demo there from a directory that is not the checkout.

The fresh environment gets the wheel itself (`--no-deps`); its dependencies are lent by
the test's own environment through a `.pth` line. Python reads `.pth` files only in its
own site directories, so the checkout's editable install (itself a `.pth` file in the
lending directory) is not read: `frontdesk` can only come from the wheel, which the test
checks. That the wheel asks for the same dependencies the lending environment was
installed from is checked from its metadata.
"""

from __future__ import annotations

import os
import subprocess
import sys
import sysconfig
import tomllib
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def run(*args: str | Path, cwd: Path, env: dict[str, str] | None = None) -> str:
    done = subprocess.run(
        [str(a) for a in args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
    )
    assert done.returncode == 0, f"{args[:3]} failed:\n{done.stdout}\n{done.stderr}"
    return done.stdout


def build_wheel(out: Path) -> Path:
    run(sys.executable, "-m", "pip", "wheel", ROOT, "--no-deps", "-q", "-w", out, cwd=out)
    wheels = list(out.glob("frontdesk-*.whl"))
    assert len(wheels) == 1, wheels
    return wheels[0]


def test_the_demo_runs_from_an_installed_wheel(tmp_path: Path) -> None:
    dist = tmp_path / "dist"
    dist.mkdir()
    wheel = build_wheel(dist)

    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        metadata = next(n for n in names if n.endswith(".dist-info/METADATA"))
        requires = {
            line.removeprefix("Requires-Dist: ").strip()
            for line in archive.read(metadata).decode().splitlines()
            if line.startswith("Requires-Dist: ") and "extra ==" not in line
        }
    assert "frontdesk/sample/council.toml" in names
    assert "frontdesk/kiosk/kiosk.tcss" in names
    assert not [n for n in names if n.startswith("tests/") or "testing" in n], names
    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert requires == set(project["dependencies"])

    venv = tmp_path / "venv"
    run(sys.executable, "-m", "venv", "--without-pip", venv, cwd=tmp_path)
    python = venv / "bin" / "python"
    run(sys.executable, "-m", "pip", "--python", python, "install", "-q", "--no-deps",
        "--no-index", wheel, cwd=tmp_path)  # fmt: skip
    site = Path(run(python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))",
                    cwd=tmp_path).strip())  # fmt: skip
    lent = {sysconfig.get_path("purelib"), sysconfig.get_path("platlib")}
    (site / "lent_dependencies.pth").write_text("\n".join(sorted(lent)) + "\n")

    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    env = {
        k: v for k, v in os.environ.items() if k != "PYTHONPATH" and not k.startswith("FRONTDESK_")
    }
    where = run(python, "-c", "import frontdesk; print(frontdesk.__file__)", cwd=elsewhere, env=env)
    assert Path(where.strip()).is_relative_to(venv), where
    assert not Path(where.strip()).is_relative_to(ROOT)

    report = run(venv / "bin" / "frontdesk", "demo", cwd=elsewhere, env=env)
    assert "Simulated" in report and "at CIVIC" in report
    assert "CIVIC waiting standard" in report
    assert "seen within standard" in report
