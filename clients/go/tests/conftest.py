"""Fixtures of the Go gRPC client's tests: the programs built by clients/go/build.sh, and a real
daemon with the built-in simulator (the Python client's test helpers start it:
clients/python/tests/daemons.py)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

GO_DIR = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(GO_DIR.parent / "python" / "tests"))

from daemons import Daemon  # noqa: E402


def run(args: list[str], timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Runs a program in a process group of its own; on a timeout, or any other way out, the
    whole group is killed (go build's compilers included), so nothing outlives the test."""
    process = subprocess.Popen(
        args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True, env=env)
    try:
        stdout, stderr = process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        kill_group(process)
        stdout, stderr = process.communicate()
        pytest.fail(f"{args[0]} ran past {timeout} s and was killed:\n{stdout}\n{stderr}")
    finally:
        kill_group(process)
    return subprocess.CompletedProcess(args, process.returncode, stdout, stderr)


def kill_group(process: subprocess.Popen[str]) -> None:
    try:
        os.killpg(process.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        pass


@pytest.fixture(scope="session")
def programs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Builds flygate-grpc-example and flygate-grpc-load with build.sh; returns their folder."""
    out = tmp_path_factory.mktemp("go-bin")
    built = run([str(GO_DIR / "build.sh"), str(out)], timeout=300)
    assert built.returncode == 0, f"clients/go/build.sh failed:\n{built.stdout}\n{built.stderr}"
    return out


@pytest.fixture(scope="session")
def daemon() -> Iterator[Daemon]:
    started = Daemon()
    yield started
    started.stop()
