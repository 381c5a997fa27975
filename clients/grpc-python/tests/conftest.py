"""Fixtures: grpcio-tools stubs generated into a folder of their own, and the daemon module."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "python" / "tests"))


@pytest.fixture(scope="session")
def grpc_stubs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("grpc-stubs")
    subprocess.run(["bash", str(HERE.parent / "generate.sh"), str(out)], check=True, timeout=120)
    return out
