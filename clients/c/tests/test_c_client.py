"""The C client against a real daemon and against a fake server giving hostile answers, under valgrind."""

from __future__ import annotations

import re
import socket
import struct
import threading
import time
from pathlib import Path
from typing import Optional

import pytest

import flygate
from flygate import machines_pb2, ttrpc_pb2

from conftest import run
from daemons import Daemon

HEADER = struct.Struct(">IIBB")


def test_api_against_the_daemon(build: Path, daemon: Daemon) -> None:
    done = run([str(build / "api_test"), daemon.socket, "c-api"])
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.rstrip().endswith("0 failed")
    assert not re.search(r"^FAIL", done.stdout, re.M), done.stdout


def test_example_program(build: Path, daemon: Daemon) -> None:
    app = "c-example"
    with flygate.Client(daemon.socket, timeout=30) as client:
        machine = client.create(app_name=app, body={"name": "c-web", "config": {"image": "nginx:1.27"}}).body.id
    flygate_c = [str(build / "flygate-c"), "--socket", daemon.socket, "--timeout", "20"]

    def ok(*args: str) -> str:
        done = run(flygate_c + list(args))
        assert done.returncode == 0, done.stderr
        return done.stdout

    assert f"{machine} is started" in ok("wait", app, machine, "started")
    listed = ok("list", app)
    assert listed.splitlines()[0].split() == ["ID", "NAME", "STATE", "REGION", "IMAGE"]
    assert re.search(rf"^{machine}\s+c-web\s+started\s+iad\s+nginx:1.27$", listed, re.M)
    assert re.search(r"^state:\s+started$", ok("show", app, machine), re.M)
    assert f"stopping {machine}" in ok("stop", app, machine)
    assert f"{machine} is stopped" in ok("wait", app, machine, "stopped")
    assert "(was stopped)" in ok("start", app, machine)
    assert f"{machine} is started" in ok("wait", app, machine, "started")
    assert "serving" in ok("health")

    missing = run(flygate_c + ["show", app, "0123456789abcd"])
    assert missing.returncode == 5 and re.search(r"NOT_FOUND: .*\(HTTP 404, fly-request-id \S+\)", missing.stderr)
    hostile = run(flygate_c + ["show", app, "../x"])
    assert hostile.returncode == 3 and "INVALID_ARGUMENT" in hostile.stderr
    started = time.monotonic()
    late = run(flygate_c[:-1] + ["1", "wait", app, machine, "stopped"])
    assert late.returncode == 4 and "DEADLINE_EXCEEDED" in late.stderr
    assert time.monotonic() - started < 10  # one second of deadline, plus valgrind's start-up
    assert run(flygate_c + ["frobnicate"]).returncode == 64


def test_default_socket_path(build: Path, daemon: Daemon, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYGATE_SOCKET", daemon.socket)
    done = run([str(build / "flygate-c"), "health"])
    assert done.returncode == 0 and "serving" in done.stdout
    monkeypatch.delenv("FLYGATE_SOCKET")
    monkeypatch.setenv("XDG_RUNTIME_DIR", "/nonexistent")
    done = run([str(build / "flygate-c"), "health"])
    assert done.returncode == 14 and "/nonexistent/flygate/flygate.sock" in done.stderr


# ------------------------------------------------------------------ hostile answers


def header(length: int, stream_id: int = 1, kind: int = 2, reserved: int = 0) -> bytes:
    return bytes([reserved]) + HEADER.pack(length, stream_id, kind, 0)[1:]


def frame(data: bytes, stream_id: int = 1, kind: int = 2) -> bytes:
    return header(len(data), stream_id, kind) + data


def status_answer(code: int, message: str, details: dict[str, bytes]) -> bytes:
    response = ttrpc_pb2.Response()
    response.status.code = code
    response.status.message = message
    for type_url, value in details.items():
        response.status.details.add(type_url=type_url, value=value)
    return frame(response.SerializeToString())


SHOWN = ttrpc_pb2.Response(
    payload=machines_pb2.ShowResponse(body=machines_pb2.Machine(id="0123456789abcd", state="started")).SerializeToString()
).SerializeToString()

HOSTILE = {
    "truncated frame": (header(100) + b"short", 14, "UNAVAILABLE"),
    "partial header": (b"\x00\x00\x00", 14, "UNAVAILABLE"),
    "no answer, closed": (b"", 14, "UNAVAILABLE"),
    "huge length": (header(0xFFFFFF) + b"x" * 64, 13, "over the limit"),
    "just over 4 MiB": (header((4 << 20) + 1), 13, "over the limit"),
    "non-zero reserved byte": (header(5, reserved=1) + b"\x00" * 5, 13, "reserved byte"),
    "garbage envelope": (frame(b"\x0a\x7f\x01"), 13, "not a ttrpc Response"),
    "envelope with a huge varint length": (frame(b"\x12\xff\xff\xff\xff\xff\xff\xff\xff\x7f"), 13, "not a ttrpc Response"),
    "garbage payload": (frame(ttrpc_pb2.Response(payload=b"\x0a\x7f\x01").SerializeToString()), 13, "is not a"),
    "payload of the wrong wire type": (frame(ttrpc_pb2.Response(payload=b"\x0d\x01\x02").SerializeToString()), 13, "is not a"),
    "wrong stream id": (frame(SHOWN, stream_id=3), 13, "stream 3"),
    "stream id zero": (frame(SHOWN, stream_id=0), 13, "stream 0"),
    "status with hostile details": (
        status_answer(
            5,
            "machine not found",
            {
                "flygate/upstream.http_status": b"99999999999",
                "flygate/upstream.fly_request_id": b"abc\x00def",
                "": b"\xff\xfe",
            },
        ),
        5,
        "NOT_FOUND: machine not found\n",
    ),
    "status with details": (
        status_answer(9, "lease held", {"flygate/upstream.http_status": b"409", "flygate/upstream.fly_request_id": b"r-1"}),
        9,
        "FAILED_PRECONDITION: lease held (HTTP 409, fly-request-id r-1)",
    ),
    "status code out of range": (status_answer(99, "odd", {}), 2, "UNKNOWN: odd"),
    "negative status code": (status_answer(-7, "odd", {}), 2, "UNKNOWN: odd"),
    "a Data frame first, then the answer": (frame(b"junk", kind=3) + frame(SHOWN), 0, ""),
    "status code 0 with a payload": (frame(ttrpc_pb2.Response(status=ttrpc_pb2.Status(code=0), payload=SHOWN[2:]).SerializeToString()), 0, ""),
}


class FakeServer:
    """Accepts one connection, reads one Request frame, writes `answer`, then closes (or lingers)."""

    def __init__(self, path: str, answer: bytes, linger: float = 0) -> None:
        self.listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.listener.bind(path)
        self.listener.listen(1)
        self.listener.settimeout(30)
        self.request: Optional[ttrpc_pb2.Request] = None
        self.thread = threading.Thread(target=self._serve, args=(answer, linger), daemon=True)
        self.thread.start()

    def _read(self, conn: socket.socket, count: int) -> bytes:
        data = b""
        while len(data) < count:
            chunk = conn.recv(count - len(data))
            if not chunk:
                raise EOFError
            data += chunk
        return data

    def _serve(self, answer: bytes, linger: float) -> None:
        conn, _ = self.listener.accept()
        with conn:
            length, stream_id, kind, _flags = HEADER.unpack(self._read(conn, HEADER.size))
            self.request = ttrpc_pb2.Request.FromString(self._read(conn, length))
            assert (stream_id, kind) == (1, 1)
            try:
                conn.sendall(answer)
            except OSError:
                pass  # the client may hang up first (a huge length is refused before the data)
            time.sleep(linger)
        self.listener.close()


@pytest.mark.parametrize("case", list(HOSTILE))
def test_hostile_answer(build: Path, tmp_path: Path, case: str) -> None:
    answer, code, text = HOSTILE[case]
    path = str(tmp_path / "fake.sock")
    server = FakeServer(path, answer)
    done = run([str(build / "flygate-c"), "--socket", path, "--timeout", "10", "show", "app", "0123456789abcd"])
    server.thread.join(10)
    assert done.returncode == code, done.stdout + done.stderr
    assert text in (done.stderr if code else done.stdout)
    request = server.request
    assert request is not None and (request.service, request.method) == ("flygate.machines.v1.Machines", "Show")
    assert 0 < request.timeout_nano <= 10_000_000_000
    assert [(kv.key, kv.value) for kv in request.metadata] == [("flygate-request-id", "flygate-c")]
    assert machines_pb2.ShowRequest.FromString(request.payload) == machines_pb2.ShowRequest(app_name="app", machine_id="0123456789abcd")


def test_server_that_never_answers(build: Path, tmp_path: Path) -> None:
    path = str(tmp_path / "fake.sock")
    FakeServer(path, b"", linger=6)
    started = time.monotonic()
    done = run([str(build / "flygate-c"), "--socket", path, "--timeout", "1", "show", "app", "0123456789abcd"])
    assert done.returncode == 4 and "DEADLINE_EXCEEDED" in done.stderr
    assert time.monotonic() - started < 6  # 1 s deadline + 2 s grace + valgrind's start-up
