"""Fixtures: a real `flygate simulator` on loopback with a token, and a Python client generated
from Fly's OpenAPI document at test time by the pinned openapi-python-client.

The simulator is one for the session and logs at debug level: its log names the operation of
every answer, which test_operation_coverage.py reads after every other test (ordered last here).

The generator and the client it makes (httpx, attrs) live in a virtual environment of their own,
never in the test command's Python: $FLYGATE_OPENAPI_VENV, else <repository>/.build-openapi/venv
(scripts/test makes it from clients/openapi/requirements.txt). The generated package goes to a
temporary folder each run and its scenarios (fly_generated.py) run under that environment's
interpreter, one process per test.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(HERE.parents[1] / "python" / "tests"))

from daemons import Process, clean_environment, flygate_binary  # noqa: E402
from document import DOCUMENT, require_document  # noqa: E402

TOKEN = "openapi-suite-token"
VENV = Path(os.environ.get("FLYGATE_OPENAPI_VENV") or REPO / ".build-openapi" / "venv")
PACKAGE = "fly_machines_client"


# The files of the tests a run deselected (-k, --deselect): test_operation_coverage.py skips
# when the tests it measures are not all part of the run.
DESELECTED_FILES = pytest.StashKey[set[str]]()


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "after_every_other_test: runs after every other test of the session")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    items.sort(key=lambda item: item.get_closest_marker("after_every_other_test") is not None)  # stable: the rest keep their order


def pytest_deselected(items: list[pytest.Item]) -> None:
    for item in items:
        item.config.stash.setdefault(DESELECTED_FILES, set()).add(Path(item.path).name)


@dataclass
class Simulator:
    base: str  # http://127.0.0.1:PORT/v1
    token: str
    log: Path


@pytest.fixture(scope="session")
def simulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Simulator]:
    """`flygate simulator` on a free loopback port, with a token, without rate limits, logging each answer."""
    directory = tmp_path_factory.mktemp("simulator")
    args = [flygate_binary(), "simulator", "--listen", "127.0.0.1:0", "--token", TOKEN, "--no-rate-limits", "--log-level", "debug"]
    # scripts/watchdog finds a suite's processes by this variable (clean_environment drops FLY*).
    tag = {k: v for k, v in os.environ.items() if k == "FLYGATE_TEST_WATCHDOG_TAG"}
    process = Process(args, directory, "simulator", r"at (http://127\.0\.0\.1:\d+/v1)\n", clean_environment(**tag))
    try:
        yield Simulator(process.match.group(1), TOKEN, process.log)
    finally:
        process.stop()


def venv_python() -> Path:
    python = VENV / "bin" / "python"
    probe = subprocess.run(
        [str(python), "-c", "import importlib.metadata as m; print(m.version('openapi-python-client'))"],
        capture_output=True, text=True, timeout=60) if python.exists() else None
    if probe is None or probe.returncode != 0:
        pytest.fail(
            f"no openapi-python-client in {VENV}: scripts/test makes it, or by hand: "
            f"python3 -m venv {VENV} && {VENV}/bin/pip install -r clients/openapi/requirements.txt")
    pinned = (HERE.parent / "requirements.txt").read_text().split("==")[1].strip()
    assert probe.stdout.strip() == pinned, f"{VENV} has openapi-python-client {probe.stdout.strip()}, not {pinned}"
    return python


@pytest.fixture(scope="session")
def generated_client(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Generates the client from Fly's document; answers the folder that holds the package."""
    require_document()
    python = venv_python()
    parent = tmp_path_factory.mktemp("generated")
    generator = python.parent / "openapi-python-client"
    done = subprocess.run(
        [str(generator), "generate", "--path", str(DOCUMENT), "--meta", "none", "--output-path", str(parent / PACKAGE)],
        capture_output=True, text=True, timeout=120, env=venv_environment())
    assert done.returncode == 0, f"openapi-python-client failed:\n{done.stdout}\n{done.stderr}"
    assert (parent / PACKAGE / "client.py").is_file(), done.stdout
    return parent


def venv_environment(**extra: str) -> dict[str, str]:
    """The environment for the virtual environment's programs: none of the test command's Python paths."""
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV")}
    env.update(extra)
    return env


@pytest.fixture(scope="session")
def run_scenario(simulator: Simulator, generated_client: Path):
    """Runs one scenario of fly_generated.py under the virtual environment; answers its output."""
    python = venv_python()

    def run(name: str, app: str) -> str:
        env = venv_environment(
            FLY_BASE_URL=simulator.base, FLY_TOKEN=simulator.token, FLY_CLIENT_PARENT=str(generated_client),
            FLY_APP=app, PYTHONDONTWRITEBYTECODE="1")
        try:
            done = subprocess.run(
                [str(python), str(HERE / "fly_generated.py"), name], capture_output=True, text=True, timeout=90, env=env)
        except subprocess.TimeoutExpired as expired:  # subprocess.run has killed it
            pytest.fail(f"scenario {name} ran past 90 s:\n{expired.stdout}\n{expired.stderr}")
        output = done.stdout + done.stderr
        assert done.returncode == 0, f"scenario {name} failed (exit {done.returncode}):\n{output}"
        last = done.stdout.strip().splitlines()[-1] if done.stdout.strip() else ""
        assert last.startswith(f"scenario {name}: ") and last.endswith(" checks passed"), output
        return done.stdout

    return run
