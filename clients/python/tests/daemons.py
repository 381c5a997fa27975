"""Real flygate processes for tests: `flygate serve` (built-in simulator, or a separate upstream)
on a short socket path under /tmp, and `flygate simulator`. The C client's tests use them too.

The binary is $FLYGATE_BIN, else <repository root>/.build/debug/flygate.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Optional

import pytest


REPO = Path(__file__).resolve().parents[3]


def flygate_binary() -> str:
    binary = os.environ.get("FLYGATE_BIN") or str(REPO / ".build" / "debug" / "flygate")
    if not os.access(binary, os.X_OK):
        pytest.fail(f"no flygate binary at {binary}: build it (swift build) or set FLYGATE_BIN")
    return binary


def clean_environment(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("FLY") and k not in ("NOTIFY_SOCKET", "LISTEN_FDS")}
    env.update(extra)
    return env


class Process:
    """A child process whose stderr goes to a file; waits for a line matching `ready`."""

    def __init__(self, args: list[str], directory: Path, name: str, ready: str, env: dict[str, str]) -> None:
        self.log = directory / f"{name}.log"
        with open(self.log, "wb") as log:
            self.process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=log, stderr=log, env=env)
        self.match = self._wait_for(ready)

    def _wait_for(self, pattern: str, seconds: float = 30) -> re.Match[str]:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            match = re.search(pattern, self.log.read_text(errors="replace"))
            if match:
                return match
            if self.process.poll() is not None:
                break
            time.sleep(0.05)
        self.stop()
        pytest.fail(f"{self.process.args[:2]} did not get ready:\n{self.log.read_text(errors='replace')}")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


class Daemon:
    """`flygate serve` with its own folder; `upstream` points it at a separate simulator."""

    def __init__(self, upstream: Optional[str] = None, token: Optional[str] = None) -> None:
        self.directory = Path(tempfile.mkdtemp(prefix="fgpy-", dir="/tmp"))
        self.socket = str(self.directory / "flygate.sock")
        config = self.directory / "config.json"
        config.write_text('{"upstream": {"rate_limits": false}, "simulator": {"rate_limits": false}}')
        args = [flygate_binary(), "serve", "--socket", self.socket, "--state-directory", str(self.directory / "state")]
        args += ["--config", str(config)]
        if upstream:
            args += ["--upstream", upstream]
        env = clean_environment(HOME=str(self.directory), **({"FLY_API_TOKEN": token} if token else {}))
        self.process = Process(args, self.directory, "flygate", r"ready, serving on", env)

    def stop(self) -> None:
        self.process.stop()
        shutil.rmtree(self.directory, ignore_errors=True)
