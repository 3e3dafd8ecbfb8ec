"""Shared fixtures: the bundled example corpus, the optional ../shared folder, a CLI runner."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "examples" / "diplomacy-fr"
SHARED = ROOT.parent / "shared"


@pytest.fixture
def examples() -> Path:
    return EXAMPLES


@pytest.fixture
def shared() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not present")
    return SHARED


def run_cli(*args: str, db: Path | None = None, stdin: bytes | None = None, env: dict | None = None,
            check: bool = True) -> subprocess.CompletedProcess:
    """Run the real `storyline` command in a subprocess (as a user would)."""
    cmd = [sys.executable, "-m", "storyline.cli", *args]
    if db is not None:
        cmd += ["--db", str(db)]
    proc = subprocess.run(cmd, input=stdin, capture_output=True, env={**os.environ, **(env or {})}, check=False)
    if check and proc.returncode != 0:
        raise AssertionError(f"{cmd} exited {proc.returncode}:\n{proc.stderr.decode()}")
    return proc


def cli_json(*args: str, db: Path | None = None, **kw):
    proc = run_cli(*args, "--json", db=db, **kw)
    return json.loads(proc.stdout)
