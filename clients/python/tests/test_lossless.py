"""show -> change config.image -> update keeps every JSON member the proto does not name."""

from __future__ import annotations

import json
import urllib.request
from collections.abc import Iterator
from typing import Any

import pytest

import flygate
from flygate import machines_pb2

from daemons import Daemon, Process, clean_environment, flygate_binary

TOKEN = "py-lossless-token"


def change_image(client: flygate.Client, app: str, machine_id: str, image: str) -> machines_pb2.Machine:
    shown = client.show(app_name=app, machine_id=machine_id).body
    request = machines_pb2.UpdateRequest(app_name=app, machine_id=machine_id)
    request.body.config.CopyFrom(shown.config)
    request.body.config.image = image
    updated = client.update(request).body
    assert updated.config.image == image
    return client.show(app_name=app, machine_id=machine_id).body


def test_members_unknown_to_the_proto_survive_through_unknown_json(client: flygate.Client, app: str) -> None:
    request = machines_pb2.CreateRequest(app_name=app)
    config = request.body.config
    config.image = "nginx:1.27"
    config.unknown_json = json.dumps({"future_member": {"x": 1}})
    service = config.services.add(internal_port=80, protocol="tcp")
    service.ports.add(port=80, unknown_json=json.dumps({"future_port_option": True}))
    machine_id = client.create(request).body.id

    after = change_image(client, app, machine_id, "nginx:1.28")
    assert after.config.image == "nginx:1.28"
    assert json.loads(after.config.unknown_json)["future_member"] == {"x": 1}
    assert json.loads(after.config.services[0].ports[0].unknown_json) == {"future_port_option": True}
    assert after.config.services[0].internal_port == 80


@pytest.fixture(scope="module")
def upstream_daemon(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Daemon]]:
    """A standalone simulator (REST) and a daemon whose upstream it is."""
    directory = tmp_path_factory.mktemp("simulator")
    args = [flygate_binary(), "simulator", "--listen", "127.0.0.1:0", "--token", TOKEN, "--no-rate-limits"]
    simulator = Process(args, directory, "simulator", r"at (http://127\.0\.0\.1:\d+/v1)", clean_environment())
    base = simulator.match.group(1)
    daemon = Daemon(upstream=base.removesuffix("/v1"), token=TOKEN)
    yield base, daemon
    daemon.stop()
    simulator.stop()


def rest(base: str, method: str, path: str, body: Any = None) -> Any:
    data = None if body is None else json.dumps(body).encode()
    request = urllib.request.Request(base + path, data=data, method=method)
    request.add_header("Authorization", f"Bearer {TOKEN}")
    request.add_header("Content-Type", "application/json")
    with urllib.request.urlopen(request, timeout=10) as answer:
        return json.loads(answer.read() or b"null")


def test_raw_json_members_survive_a_proto_round_trip(upstream_daemon: tuple[str, Daemon]) -> None:
    base, daemon = upstream_daemon
    app = "py-lossless-rest"
    config = {
        "image": "nginx:1.27",
        "future_member": {"x": 1},
        "services": [{"internal_port": 80, "protocol": "tcp", "ports": [{"port": 80, "future_port_option": True}]}],
    }
    created = rest(base, "POST", f"/apps/{app}/machines", {"config": config})
    machine_id = created["id"]

    with flygate.Client(daemon.socket, timeout=30) as client:
        client.wait(app_name=app, machine_id=machine_id, state=["started"], timeout_=10)
        after = change_image(client, app, machine_id, "nginx:1.28")
    assert json.loads(after.config.unknown_json) == {"future_member": {"x": 1}}

    stored = rest(base, "GET", f"/apps/{app}/machines/{machine_id}")["config"]
    assert stored["image"] == "nginx:1.28"
    assert stored["future_member"] == {"x": 1}
    assert stored["services"][0]["ports"][0]["future_port_option"] is True
    assert stored["services"][0]["internal_port"] == 80
