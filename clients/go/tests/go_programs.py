"""Running the Go programs: each in a process group of its own, killed on every path. (A module
of its own name, not conftest: with several client suites in one pytest run, `conftest` in
sys.modules is whichever suite's was loaded last.)"""

from __future__ import annotations

import os
import signal
import subprocess
from pathlib import Path

import pytest

GO_DIR = Path(__file__).resolve().parents[1]


def run(args: list[str], timeout: float, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Runs a program in a process group of its own (with `env` as its environment when given);
    on a timeout, or any other way out, the whole group is killed (go build's compilers
    included), so nothing outlives the test."""
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
