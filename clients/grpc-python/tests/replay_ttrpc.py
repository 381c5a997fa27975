"""The example's sequence through the ttrpc client: replay_ttrpc.py STUBS SOCKET APP."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import flygate as ttrpc  # the ttrpc client, loaded before the stubs take the name

stubs, socket, app = sys.argv[1:4]
for name in [k for k in sys.modules if k == "flygate" or k.startswith("flygate.")]:
    del sys.modules[name]
sys.path.insert(0, stubs)
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
import example  # noqa: E402

client = ttrpc.Client(socket, timeout=example.TIMEOUT)


def call(service, method, request):
    response_type = type(request).__name__.removesuffix("Request") + "Response"
    module = sys.modules[type(request).__module__]
    try:
        return "OK", client.call(service, method, request, getattr(module, response_type))
    except ttrpc.Error as error:
        return error.code.name, None


example.run(call, app, lambda line: print(json.dumps(line), flush=True))
client.close()
