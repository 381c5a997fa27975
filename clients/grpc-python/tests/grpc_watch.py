"""A machine watch over standard gRPC: grpc_watch.py SOCKET APP (the stubs first on sys.path).

Creates a machine, watches it with flygate.watch.v1.Watch/WatchMachine (server streaming),
stops it from a second channel once the first message is in, and prints one JSON line per
message: {"state": ..., "events": n}. Imports only grpc and the generated stubs.
"""

from __future__ import annotations

import json
import sys

import grpc
from flygate.machines.v1 import machines_pb2 as m, machines_pb2_grpc as mg
from flygate.watch.v1 import watch_pb2 as w, watch_pb2_grpc as wg

socket, app = sys.argv[1], sys.argv[2]
with grpc.insecure_channel(f"unix://{socket}") as channel:
    machines = mg.MachinesStub(channel)
    created = machines.Create(m.CreateRequest(app_name=app, body={"config": {"image": "nginx:1.27"}}), timeout=20).body
    machines.Wait(m.WaitRequest(app_name=app, machine_id=created.id, state=["started"], timeout=10), timeout=20)
    watch = wg.WatchStub(channel).WatchMachine(w.WatchMachineRequest(app_name=app, machine_id=created.id), timeout=60)
    for index, update in enumerate(watch):
        print(json.dumps({"state": update.machine.state, "events": len(update.events)}), flush=True)
        if index == 0:
            machines.Stop(m.StopRequest(app_name=app, machine_id=created.id), timeout=20)
        if update.machine.state == "stopped":
            watch.cancel()
            break
    try:
        missing = wg.WatchStub(channel).WatchMachine(w.WatchMachineRequest(app_name=app, machine_id="0123456789abcd"), timeout=20)
        next(iter(missing))
    except grpc.RpcError as error:
        print(json.dumps({"missing": error.code().name}), flush=True)
