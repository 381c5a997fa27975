#!/usr/bin/env python3
"""Cross-language check of flygate's ttrpc wire, frame by frame, using only Google's protobuf package.

Usage: wire_check.py SOCKET_PATH

Uses the envelope module the flygate Python package generated from proto/ttrpc/ttrpc.proto (the
installed package, else the one in this source tree), then talks to a flygate
server at SOCKET_PATH that serves the test service `flygate.test.v1.Test` (method `Echo`,
ttrpc.KeyValue in and out), as the Swift test suite's server does. Checks: OK with payload, two
calls in flight on one connection, UNIMPLEMENTED for an unknown service and method,
INVALID_ARGUMENT for an envelope that does not parse, an even stream id and a payload of the
wrong type. Exits 0 when every check passes.
"""

import os
import socket
import struct
import sys

try:
    from flygate import ttrpc_pb2
except ImportError:  # not installed: the package of this source tree
    sys.path.insert(0, os.path.abspath(os.path.join(os.path.dirname(__file__), "..")))
    from flygate import ttrpc_pb2

HEADER = struct.Struct(">IIBB")  # length, stream id, type, flags
REQUEST, RESPONSE = 1, 2
OK, INVALID_ARGUMENT, UNIMPLEMENTED = 0, 3, 12
SERVICE = "flygate.test.v1.Test"


class Connection:
    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(20)
        self.sock.connect(path)

    def send_frame(self, stream_id, data, kind=REQUEST):
        self.sock.sendall(HEADER.pack(len(data), stream_id, kind, 0) + data)

    def read_exact(self, count):
        chunks = b""
        while len(chunks) < count:
            chunk = self.sock.recv(count - len(chunks))
            if not chunk:
                raise ConnectionError("server closed the connection")
            chunks += chunk
        return chunks

    def read_frame(self):
        length, stream_id, kind, _flags = HEADER.unpack(self.read_exact(HEADER.size))
        return stream_id, kind, self.read_exact(length)


def main():
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    failures = []

    def check(condition, what):
        print(("ok   " if condition else "FAIL ") + what)
        if not condition:
            failures.append(what)

    pb = ttrpc_pb2
    conn = Connection(sys.argv[1])

    def request(service, method, payload=b"", metadata=()):
        req = pb.Request(service=service, method=method, payload=payload, timeout_nano=10_000_000_000)
        for key, value in metadata:
            req.metadata.add(key=key, value=value)
        return req.SerializeToString()

    def answer(expected_stream):
        stream_id, kind, data = conn.read_frame()
        check(kind == RESPONSE, "frame on stream %d is a Response" % stream_id)
        check(stream_id == expected_stream, "answer on stream %d (expected %d)" % (stream_id, expected_stream))
        response = pb.Response()
        response.ParseFromString(data)
        code = response.status.code if response.HasField("status") else OK
        return code, response

    # OK with payload: the KeyValue comes back unchanged.
    sent = pb.KeyValue(key="python", value="hello")
    conn.send_frame(1, request(SERVICE, "Echo", sent.SerializeToString(), [("flygate-request-id", "py-1")]))
    code, response = answer(1)
    echoed = pb.KeyValue()
    echoed.ParseFromString(response.payload)
    check(code == OK and echoed == sent, "Echo answers OK with the payload")

    # Two calls in flight on one connection; answers matched by stream id.
    conn.send_frame(3, request(SERVICE, "Echo", pb.KeyValue(key="three").SerializeToString()))
    conn.send_frame(5, request(SERVICE, "Echo", pb.KeyValue(key="five").SerializeToString()))
    seen = {}
    for _ in range(2):
        stream_id, _kind, data = conn.read_frame()
        response = pb.Response()
        response.ParseFromString(data)
        value = pb.KeyValue()
        value.ParseFromString(response.payload)
        seen[stream_id] = value.key
    check(seen == {3: "three", 5: "five"}, "two calls in flight both answered on their streams")

    conn.send_frame(7, request("nope.v1.Nope", "Echo"))
    code, response = answer(7)
    check(code == UNIMPLEMENTED and response.status.message == "service nope.v1.Nope", "unknown service is UNIMPLEMENTED")

    conn.send_frame(9, request(SERVICE, "Nope"))
    code, response = answer(9)
    check(code == UNIMPLEMENTED and response.status.message == "method Nope", "unknown method is UNIMPLEMENTED")

    conn.send_frame(11, b"\x0a\x7f\x01")
    code, _ = answer(11)
    check(code == INVALID_ARGUMENT, "an envelope that does not parse is INVALID_ARGUMENT")

    conn.send_frame(12, request(SERVICE, "Echo"))
    code, _ = answer(12)
    check(code == INVALID_ARGUMENT, "an even stream id is INVALID_ARGUMENT")

    conn.send_frame(13, request(SERVICE, "Echo", b"\x0a\x05\x61"))
    code, _ = answer(13)
    check(code == INVALID_ARGUMENT, "a payload that is not the request type is INVALID_ARGUMENT")

    conn.send_frame(15, request(SERVICE, "Echo", pb.KeyValue(key="last").SerializeToString()))
    code, response = answer(15)
    check(code == OK, "the connection still serves calls afterwards")
    conn.sock.close()

    if failures:
        print("%d check(s) failed" % len(failures), file=sys.stderr)
        return 1
    print("all wire checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
