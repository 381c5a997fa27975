"""The daemon's book-keeping behaves the same for gRPC callers as for ttrpc callers on the same
socket, in the same run: a lease belongs to the HTTP/2 connection that took it (its nonce whole
to it only) and is released when that connection closes; gRPC mutations are audited with the
caller's uid; the health service answers."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import grpc
import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[2]
sys.path.insert(0, str(REPO / "clients" / "python" / "tests"))

import flygate  # noqa: E402  (the ttrpc client)
from daemons import Daemon  # noqa: E402


@pytest.fixture(scope="module")
def stubs(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SimpleNamespace]:
    """grpcio-tools stubs from proto/, imported from a folder of their own."""
    out = tmp_path_factory.mktemp("trust-stubs")
    protos = ["flygate/machines/v1/machines.proto", "flygate/gateway/v1/gateway.proto"]
    subprocess.run(
        [sys.executable, "-m", "grpc_tools.protoc", "-I", str(REPO / "proto"), f"--python_out={out}",
         f"--grpc_python_out={out}", *protos],
        check=True, timeout=120,
    )
    for folder in [out, *[p for p in out.rglob("*") if p.is_dir()]]:
        (folder / "__init__.py").touch()
    # The ttrpc client is also a package named `flygate`: load the stubs under their own names.
    import importlib.util

    def load(name: str, relative: str):
        spec = importlib.util.spec_from_file_location(name, out / relative)
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        spec.loader.exec_module(module)
        return module

    saved = {k: v for k, v in sys.modules.items() if k == "flygate" or k.startswith("flygate.")}
    sys.path.insert(0, str(out))
    for key in saved:
        del sys.modules[key]
    try:
        import flygate.machines.v1.machines_pb2 as m  # type: ignore
        import flygate.machines.v1.machines_pb2_grpc as mg  # type: ignore
        import flygate.gateway.v1.gateway_pb2 as g  # type: ignore
        import flygate.gateway.v1.gateway_pb2_grpc as gg  # type: ignore
    finally:
        sys.path.remove(str(out))
        for key in [k for k in sys.modules if k == "flygate" or k.startswith("flygate.")]:
            del sys.modules[key]
        sys.modules.update(saved)
    yield SimpleNamespace(m=m, mg=mg, g=g, gg=gg)


@pytest.fixture(scope="module")
def daemon() -> Iterator[Daemon]:
    started = Daemon()
    yield started
    started.stop()


def eventually(check, seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while True:
        if check():
            return
        if time.monotonic() > deadline:
            pytest.fail(f"not true within {seconds} s: {check.__doc__ or check}")
        time.sleep(0.05)


def started_machine(client: flygate.Client, app: str) -> str:
    created = client.create(app_name=app, body={"config": {"image": "nginx:1.27", "guest": {"cpus": 1, "memory_mb": 256}}})
    client.wait(app_name=app, machine_id=created.body.id, state=["started"], timeout_=10)
    return created.body.id


def test_a_lease_belongs_to_the_http2_connection_that_took_it(daemon: Daemon, stubs: SimpleNamespace) -> None:
    app = "grpc-trust-lease"
    with flygate.Client(daemon.socket, timeout=30) as ttrpc:
        machine = started_machine(ttrpc, app)
        channel = grpc.insecure_channel(f"unix://{daemon.socket}")
        try:
            machines = stubs.mg.MachinesStub(channel)
            taken = machines.CreateLease(
                stubs.m.CreateLeaseRequest(app_name=app, machine_id=machine,
                                           body=stubs.m.CreateLeaseRequestBody(ttl=60, description="grpc")),
                timeout=10,
            )
            nonce = taken.body.nonce
            assert len(nonce) > 8
            # The holder sees its nonce whole, over gRPC; a ttrpc caller (another connection) a prefix.
            shown = machines.ShowLease(stubs.m.ShowLeaseRequest(app_name=app, machine_id=machine), timeout=10)
            assert shown.body.nonce == nonce
            other = ttrpc.show_lease(app_name=app, machine_id=machine).body.nonce
            assert other != nonce and nonce.startswith(other.rstrip("…*."))
            booked = [e for e in ttrpc.list_leases().leases if e.machine_id == machine]
            assert len(booked) == 1 and booked[0].holder_uid == os.getuid()
            assert booked[0].nonce_prefix != nonce
            # Another connection's guarded mutation is refused without the nonce.
            with pytest.raises(flygate.Error) as refused:
                ttrpc.stop(app_name=app, machine_id=machine)
            assert refused.value.code == flygate.Code.FAILED_PRECONDITION
        finally:
            channel.close()

        def released() -> bool:
            """the lease is out of the book once its HTTP/2 connection closed"""
            return not [e for e in ttrpc.list_leases().leases if e.machine_id == machine]

        eventually(released)
        ttrpc.stop(app_name=app, machine_id=machine)  # no lease guards it any more


def test_grpc_calls_are_audited_with_their_peer(daemon: Daemon, stubs: SimpleNamespace) -> None:
    app = "grpc-trust-audit"
    with grpc.insecure_channel(f"unix://{daemon.socket}") as channel:
        machines = stubs.mg.MachinesStub(channel)
        body = stubs.m.CreateMachineRequest()
        body.config.image = "nginx:1.27"
        created = machines.Create(stubs.m.CreateRequest(app_name=app, body=body), timeout=10)
        machine = created.body.id
        machines.Wait(stubs.m.WaitRequest(app_name=app, machine_id=machine, state=["started"], timeout=10), timeout=20)
        machines.Stop(stubs.m.StopRequest(app_name=app, machine_id=machine), timeout=10)
    log = Path(daemon.directory) / "state" / "audit.log"

    def audited() -> bool:
        """the gRPC Stop is in the audit log with the caller's uid"""
        for line in log.read_text().splitlines():
            record = json.loads(line)
            text = json.dumps(record)
            if "Stop" in text and machine in text and str(os.getuid()) in text:
                return True
        return False

    eventually(audited)
