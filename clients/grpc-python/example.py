"""Every rpc of flygate.machines.v1.Machines and flygate.gateway.v1.Gateway over standard gRPC.

    python3 example.py SOCKET APP      (the stubs of generate.sh first on sys.path)

Imports only grpc and the generated stubs. Prints one JSON line per call:
{"rpc": name, "code": status code name, "summary": small stable fields of the answer}.
`run(call, app)` is the sequence; `call(service, method, request)` answers (code name, response).
"""

from __future__ import annotations

import json
import sys

from flygate.gateway.v1 import gateway_pb2 as g
from flygate.machines.v1 import machines_pb2 as m

TIMEOUT = 20
MACHINES = "flygate.machines.v1.Machines"
GATEWAY = "flygate.gateway.v1.Gateway"


def run(call, app: str, emit) -> None:
    def do(method, request, summarize=lambda r: None, service=MACHINES, label=None):
        code, response = call(service, method, request)
        summary = summarize(response) if code == "OK" else None
        emit({"rpc": label or method, "method": method, "code": code, "summary": summary})
        return response

    config = {"image": "nginx:1.27", "guest": {"cpus": 1, "memory_mb": 256}}
    created = do("Create", m.CreateRequest(app_name=app, body={"name": "web-1", "config": config}),
                 lambda r: {"name": r.body.name, "image": r.body.config.image, "id_len": len(r.body.id)})
    mid = created.body.id
    t = {"app_name": app, "machine_id": mid}

    def wait(state, label):
        do("Wait", m.WaitRequest(**t, state=[state], timeout=10), lambda r: {"ok": r.body.ok}, label=label)

    wait("started", "Wait started")
    do("Show", m.ShowRequest(**t), lambda r: {"state": r.body.state, "image": r.body.config.image})
    do("List", m.ListRequest(app_name=app), lambda r: {"count": len(r.body), "names": [x.name for x in r.body]})
    do("ListOrgMachines", m.ListOrgMachinesRequest(org_slug="personal"),
       lambda r: {"has": any(x.id == mid for x in r.body.machines)})
    do("Exec", m.ExecRequest(**t, body={"command": ["cat"], "stdin": "hello\n"}),
       lambda r: {"stdout": r.body.stdout, "exit_code": r.body.exit_code})
    do("ListProcesses", m.ListProcessesRequest(**t), lambda r: {"nonempty": len(r.body) >= 1})
    do("Signal", m.SignalRequest(**t, body={"signal": "SIGUSR1"}))
    do("GetMemory", m.GetMemoryRequest(**t), lambda r: {"limit_mb": r.body.limit_mb})
    do("SetMemoryLimit", m.SetMemoryLimitRequest(**t, body={"limit_mb": 128}), lambda r: {"limit_mb": r.body.limit_mb})
    do("ReclaimMemory", m.ReclaimMemoryRequest(**t, body={"amount_mb": 16}), lambda r: {"has": r.body.HasField("actual_mb")})
    do("UpdateMetadata", m.UpdateMetadataRequest(**t, key="role", body={"value": "primary"}))
    do("GetMetadataKey", m.GetMetadataKeyRequest(**t, key="role"), lambda r: {"value": r.body.value})
    do("PatchMetadata", m.PatchMetadataRequest(**t, body={"metadata": {"zone": "b"}}))
    do("ShowMetadata", m.ShowMetadataRequest(**t), lambda r: dict(sorted(r.body.items())))
    do("DeleteMetadata", m.DeleteMetadataRequest(**t, key="zone"))
    do("ShowMetadata", m.ShowMetadataRequest(**t), lambda r: dict(sorted(r.body.items())), label="ShowMetadata after delete")
    do("Cordon", m.CordonRequest(**t))
    do("Uncordon", m.UncordonRequest(**t))
    lease = do("CreateLease", m.CreateLeaseRequest(**t, body={"ttl": 30, "description": "example"}),
               lambda r: {"has_nonce": bool(r.body.nonce)})
    nonce = lease.body.nonce if lease is not None else ""
    do("ShowLease", m.ShowLeaseRequest(**t), lambda r: {"same_nonce": r.body.nonce == nonce})
    do("ListLeases", g.ListLeasesRequest(), lambda r: {"nonce_leaked": any(x.nonce_prefix == nonce for x in r.leases)},
       service=GATEWAY)
    do("Signal", m.SignalRequest(**t, lease_nonce="wrong-nonce", body={"signal": "SIGUSR1"}), label="Signal wrong nonce")
    do("Signal", m.SignalRequest(**t, lease_nonce=nonce, body={"signal": "SIGUSR1"}), label="Signal with nonce")
    do("ReleaseLease", m.ReleaseLeaseRequest(**t, lease_nonce=nonce))
    shown = do("Show", m.ShowRequest(**t), lambda r: {"state": r.body.state}, label="Show before update")
    new_config = m.MachineConfig()
    if shown is not None:
        new_config.CopyFrom(shown.body.config)
    new_config.image = "nginx:1.28"
    do("Update", m.UpdateRequest(**t, body={"config": new_config}), lambda r: {"image": r.body.config.image})
    wait("started", "Wait started after update")
    do("ListVersions", m.ListVersionsRequest(**t), lambda r: {"count": len(r.body)})
    do("ListEvents", m.ListEventsRequest(**t, limit=50),
       lambda r: {"has_update_or_launch": any(e.type in ("update", "launch") for e in r.body)})
    do("Stop", m.StopRequest(**t, body={"signal": "SIGTERM", "timeout": "5s"}))
    wait("stopped", "Wait stopped")
    do("Start", m.StartRequest(**t), lambda r: {"previous_state": r.body.previous_state})
    wait("started", "Wait started after start")
    do("Restart", m.RestartRequest(**t))
    wait("started", "Wait started after restart")
    do("Suspend", m.SuspendRequest(**t))
    wait("suspended", "Wait suspended")
    do("Health", g.HealthRequest(), lambda r: {"status": r.status, "simulator": r.simulator}, service=GATEWAY)
    do("Stats", g.StatsRequest(), lambda r: {"has_methods": len(r.methods) > 0}, service=GATEWAY)
    # Errors.
    do("Show", m.ShowRequest(app_name=app, machine_id="0123456789abcd"), label="Show missing machine")
    do("Show", m.ShowRequest(app_name=app), label="Show without machine_id")
    do("Wait", m.WaitRequest(**t, state=["bogus"], timeout=1), label="Wait invalid state")
    do("Delete", m.DeleteRequest(**t, force=True))
    wait("destroyed", "Wait destroyed")


def main() -> int:
    import grpc

    from flygate.gateway.v1 import gateway_pb2_grpc as gg
    from flygate.machines.v1 import machines_pb2_grpc as mg

    socket, app = sys.argv[1], sys.argv[2]
    with grpc.insecure_channel(f"unix://{socket}") as channel:
        stubs = {MACHINES: mg.MachinesStub(channel), GATEWAY: gg.GatewayStub(channel)}

        def call(service, method, request):
            try:
                return "OK", getattr(stubs[service], method)(request, timeout=TIMEOUT)
            except grpc.RpcError as error:
                return error.code().name, None

        run(call, app, lambda line: print(json.dumps(line), flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
