"""Fixtures of the Go clients' tests: the programs built by clients/go/build.sh, and a real
daemon with the built-in simulator (the Python client's test helpers start it:
clients/python/tests/daemons.py)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from go_programs import GO_DIR, run

sys.path.insert(0, str(GO_DIR.parent / "python" / "tests"))

from daemons import Daemon  # noqa: E402


@pytest.fixture(scope="session")
def programs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Builds every Go program (flygate-grpc-example, flygate-grpc-load, flygate-ttrpc-load,
    flygate-ttrpc-echo) with build.sh; returns their folder."""
    out = tmp_path_factory.mktemp("go-bin")
    built = run([str(GO_DIR / "build.sh"), str(out)], timeout=300)
    assert built.returncode == 0, f"clients/go/build.sh failed:\n{built.stdout}\n{built.stderr}"
    return out


@pytest.fixture(scope="session")
def daemon() -> Iterator[Daemon]:
    started = Daemon()
    yield started
    started.stop()
