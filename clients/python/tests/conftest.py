"""Fixtures: a real `flygate serve` process (built-in simulator), and clients of it."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

import flygate
from daemons import Daemon


@pytest.fixture(scope="session")
def daemon() -> Iterator[Daemon]:
    started = Daemon()
    yield started
    started.stop()


@pytest.fixture
def client(daemon: Daemon) -> Iterator[flygate.Client]:
    with flygate.Client(daemon.socket, timeout=30) as opened:
        yield opened


@pytest.fixture
def machine(client: flygate.Client, request: pytest.FixtureRequest) -> str:
    """A started machine in the app "py-<test name>"; returns its id (the `app` fixture names the app)."""
    app = app_name(request)
    created = client.create(app_name=app, body={"config": {"image": "nginx:1.27", "guest": {"cpus": 1, "memory_mb": 256}}})
    client.wait(app_name=app, machine_id=created.body.id, state=["started"], timeout_=10)
    return created.body.id


def app_name(request: pytest.FixtureRequest) -> str:
    return "py-" + re.sub(r"[^a-z0-9]+", "-", request.node.name.lower()).strip("-")[:40]


@pytest.fixture
def app(request: pytest.FixtureRequest) -> str:
    return app_name(request)
