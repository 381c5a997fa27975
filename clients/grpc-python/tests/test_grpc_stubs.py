"""The grpcio-tools stubs against a real daemon: example.py calls every rpc over gRPC, the same
sequence runs through the ttrpc client, and the two agree call by call."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from daemons import Daemon

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]


@pytest.fixture(scope="module")
def gateway_daemon() -> Iterator[Daemon]:
    started = Daemon()
    yield started
    started.stop()


def rpc_names(proto: str, service: str) -> set[str]:
    text = (REPO / "proto" / proto).read_text()
    block = re.search(r"service " + service + r" \{(.*?)\n\}", text, re.S).group(1)
    return set(re.findall(r"^\s*rpc (\w+)\(", block, re.M))


def run_lines(args: list[str], pythonpath: str = "") -> list[dict]:
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    done = subprocess.run([sys.executable, *args], capture_output=True, text=True, timeout=180, env=env)
    assert done.returncode == 0, f"{args[0]} failed:\n{done.stdout}\n{done.stderr}"
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip()]


def test_every_rpc_over_grpc_matches_ttrpc(gateway_daemon: Daemon, grpc_stubs: Path) -> None:
    over_grpc = run_lines([str(HERE.parent / "example.py"), gateway_daemon.socket, "grpcpy-stubs"], str(grpc_stubs))
    over_ttrpc = run_lines([str(HERE / "replay_ttrpc.py"), str(grpc_stubs), gateway_daemon.socket, "ttrpcpy-stubs"])

    assert [line["rpc"] for line in over_grpc] == [line["rpc"] for line in over_ttrpc]
    differences = [(a, b) for a, b in zip(over_grpc, over_ttrpc) if (a["code"], a["summary"]) != (b["code"], b["summary"])]
    assert not differences, "gRPC and ttrpc answer differently:\n" + "\n".join(f"grpc  {a}\nttrpc {b}" for a, b in differences)

    by_label = {line["rpc"]: line for line in over_grpc}
    assert by_label["Show missing machine"]["code"] == "NOT_FOUND"
    assert by_label["Show without machine_id"]["code"] == "INVALID_ARGUMENT"
    assert by_label["Signal wrong nonce"]["code"] != "OK"
    assert by_label["Verify tampered"]["code"] == "INVALID_ARGUMENT"
    assert by_label["ShowApp after delete"]["code"] == "NOT_FOUND"
    assert by_label["ListSecrets"]["summary"] == {"names": ["API_KEY", "OTHER"], "values": []}
    assert by_label["Decrypt"]["summary"] == {"plaintext": "hello"}
    ok = {line["method"] for line in over_grpc if line["code"] == "OK"}
    machines = rpc_names("flygate/machines/v1/machines.proto", "Machines")
    gateway = rpc_names("flygate/gateway/v1/gateway.proto", "Gateway")
    others = set().union(*(rpc_names(f"flygate/{name.lower()}/v1/{name.lower()}.proto", name)
                           for name in ("Apps", "Volumes", "Secrets", "Certificates", "Platform")))
    assert len(machines) == 29 and gateway == {"Health", "Stats", "ListLeases"} and len(others) == 40
    every = machines | gateway | others
    assert every <= ok, f"not answered OK over gRPC: {sorted(every - ok)}"


def test_standard_health_checking(gateway_daemon: Daemon) -> None:
    with grpc.insecure_channel(f"unix://{gateway_daemon.socket}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        serving = health_pb2.HealthCheckResponse.SERVING
        assert stub.Check(health_pb2.HealthCheckRequest(service=""), timeout=10).status == serving
        assert stub.Check(health_pb2.HealthCheckRequest(service="flygate.machines.v1.Machines"), timeout=10).status == serving
        with pytest.raises(grpc.RpcError) as raised:
            stub.Check(health_pb2.HealthCheckRequest(service="nope"), timeout=10)
        assert raised.value.code() == grpc.StatusCode.NOT_FOUND


def test_a_machine_watch_streams_over_grpc(gateway_daemon: Daemon, grpc_stubs: Path) -> None:
    lines = run_lines([str(HERE / "grpc_watch.py"), gateway_daemon.socket, "grpcpy-watch"], str(grpc_stubs))
    states = [line["state"] for line in lines if "state" in line]
    assert states[0] == "started" and states[-1] == "stopped", lines
    assert sum(line.get("events", 0) for line in lines[1:]) > 0, "the stop's events reach the watcher"
    assert lines[-1] == {"missing": "NOT_FOUND"}
