"""Statuses, deadlines, the socket path rule and a broken connection."""

from __future__ import annotations

import os
import socket
import threading
import time
from pathlib import Path

import pytest

import flygate
from flygate import Code

from daemons import Daemon


def test_not_found_carries_http_status_and_request_id(client: flygate.Client, app: str) -> None:
    with pytest.raises(flygate.Error) as caught:
        client.show(app_name=app, machine_id="0123456789abcd")
    error = caught.value
    assert error.code is Code.NOT_FOUND and error.code == 5
    assert error.http_status == 404 and error.fly_request_id
    assert error.message and "NOT_FOUND" in str(error) and "HTTP 404" in str(error)


@pytest.mark.parametrize("machine_id", ["../x", "a/b", "a?b", ""])
def test_hostile_id_is_invalid_argument(client: flygate.Client, app: str, machine_id: str) -> None:
    with pytest.raises(flygate.Error) as caught:
        client.show(app_name=app, machine_id=machine_id)
    assert caught.value.code is Code.INVALID_ARGUMENT
    assert "machine_id" in caught.value.message
    assert caught.value.http_status is None  # refused by the daemon, never sent upstream


def test_lease_conflict_is_failed_precondition(client: flygate.Client, machine: str, app: str) -> None:
    client.create_lease(app_name=app, machine_id=machine, body={"ttl": 30})
    with pytest.raises(flygate.Error) as caught:
        client.stop(app_name=app, machine_id=machine, lease_nonce="not-the-nonce")
    assert caught.value.code is Code.FAILED_PRECONDITION
    assert caught.value.http_status == 409


def test_deadline_exceeded_in_about_a_second(client: flygate.Client, machine: str, app: str) -> None:
    started = time.monotonic()
    with pytest.raises(flygate.Error) as caught:
        # The machine is started and stays so: waiting for "stopped" outlasts the deadline.
        client.wait(app_name=app, machine_id=machine, state=["stopped"], timeout_=60, timeout=1)
    elapsed = time.monotonic() - started
    assert caught.value.code is Code.DEADLINE_EXCEEDED
    assert 0.8 <= elapsed < 2.5, elapsed
    # The connection goes on serving.
    assert client.health(timeout=5).status == "serving"


def test_expired_deadline_is_sent_as_expired(client: flygate.Client) -> None:
    with pytest.raises(flygate.Error) as caught:
        client.stats(timeout=0)
    assert caught.value.code is Code.DEADLINE_EXCEEDED


def test_wrong_request_type_is_a_type_error(client: flygate.Client) -> None:
    with pytest.raises(TypeError):
        client.show(flygate.machines_pb2.ListRequest(app_name="x"))
    with pytest.raises(TypeError):
        client.show(flygate.machines_pb2.ShowRequest(), app_name="x")


def test_unknown_code_becomes_unknown() -> None:
    assert flygate.Error(99, "odd").code is Code.UNKNOWN
    assert flygate.Error(14, "later").code is Code.UNAVAILABLE


def test_socket_path_rule() -> None:
    rule = flygate.default_socket_path
    assert rule({"FLYGATE_SOCKET": "/x/s.sock", "XDG_RUNTIME_DIR": "/run/user/1"}) == "/x/s.sock"
    assert rule({"XDG_RUNTIME_DIR": "/run/user/1"}) == "/run/user/1/flygate/flygate.sock"
    expected = "/run/flygate/flygate.sock" if os.getuid() == 0 else f"/tmp/flygate-{os.getuid()}/flygate.sock"
    assert rule({}) == expected


def test_client_finds_the_socket_by_the_rule(daemon: Daemon, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLYGATE_SOCKET", daemon.socket)
    with flygate.Client() as client:
        assert client.socket_path == daemon.socket
        assert client.health().status == "serving"


def test_no_daemon_is_unavailable(tmp_path: Path) -> None:
    with pytest.raises(flygate.Error) as caught:
        flygate.Client(str(tmp_path / "none.sock"))
    assert caught.value.code is Code.UNAVAILABLE


def test_closed_client(daemon: Daemon) -> None:
    client = flygate.Client(daemon.socket)
    client.close()
    client.close()
    with pytest.raises(flygate.Error) as caught:
        client.health()
    assert caught.value.code is Code.CANCELLED


def fake_server(path: str, answer: bytes, close_after: bool = True) -> threading.Thread:
    """Accepts one connection, reads one frame, writes `answer` (then closes)."""
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(path)
    listener.listen(1)

    def serve() -> None:
        conn, _ = listener.accept()
        with conn:
            conn.recv(65536)
            conn.sendall(answer)
            if not close_after:
                time.sleep(3)
        listener.close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    return thread


@pytest.mark.parametrize(
    "answer, code",
    [
        (b"\x01\x00\x00\x10\x00\x00\x00\x01\x02\x00", Code.INTERNAL),  # non-zero reserved byte
        (b"\x00\xff\xff\xff\x00\x00\x00\x01\x02\x00", Code.INTERNAL),  # 16 MiB frame
        (b"\x00\x00\x00\x64\x00\x00\x00\x01\x02\x00short", Code.UNAVAILABLE),  # truncated frame
        (b"\x00\x00\x00\x03\x00\x00\x00\x01\x02\x00\x0a\x7f\x01", Code.INTERNAL),  # garbage envelope
        (b"\x00\x00\x00\x05\x00\x00\x00\x01\x02\x00\x12\x03\x0a\x7f\x01", Code.INTERNAL),  # garbage payload
        (b"\x00\x00\x00\x00\x00\x00\x00\x03\x02\x00", Code.UNAVAILABLE),  # wrong stream id, then EOF
    ],
)
def test_hostile_answers_fail_cleanly(tmp_path: Path, answer: bytes, code: Code) -> None:
    path = str(tmp_path / "fake.sock")
    server = fake_server(path, answer)
    with flygate.Client(path) as client:
        with pytest.raises(flygate.Error) as caught:
            client.health(timeout=5)
        assert caught.value.code is code, caught.value
    server.join(5)
