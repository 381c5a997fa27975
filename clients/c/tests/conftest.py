"""Fixtures of the C client's tests: the library built with `make`, and a real daemon (the Python
client's test helpers start it: clients/python/tests/daemons.py)."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

C_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(C_DIR.parent / "python" / "tests"))

from daemons import Daemon  # noqa: E402

VALGRIND = ["valgrind", "-q", "--leak-check=full", "--error-exitcode=99"]


@pytest.fixture(scope="session")
def build() -> Path:
    """Builds the library, flygate-c and the test programs (warnings are errors); returns build/."""
    made = subprocess.run(["make", "-C", str(C_DIR), "tests"], capture_output=True, text=True)
    assert made.returncode == 0, made.stdout + made.stderr
    return C_DIR / "build"


@pytest.fixture(scope="session")
def daemon() -> Iterator[Daemon]:
    started = Daemon()
    yield started
    started.stop()


def run(args: list[str], timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """Runs a program under valgrind; fails the test on any memory error or leak (exit 99)."""
    done = subprocess.run(VALGRIND + args, capture_output=True, text=True, timeout=timeout)
    assert done.returncode != 99, f"valgrind found errors:\n{done.stderr}"
    assert done.returncode >= 0, f"killed by signal {-done.returncode}:\n{done.stderr}"
    assert "==" not in done.stderr, f"valgrind said something:\n{done.stderr}"
    return done
