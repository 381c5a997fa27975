"""The ttrpc wire frame by frame against the daemon (docs/wire.md, "What flygate answers")."""

from __future__ import annotations

import pytest

import flygate
from flygate import Code, gateway_pb2, ttrpc_pb2

from daemons import Daemon
from wire_check import RESPONSE, Connection

GATEWAY = "flygate.gateway.v1.Gateway"


@pytest.fixture
def raw(daemon: Daemon) -> Connection:
    return Connection(daemon.socket)


def envelope(service: str, method: str, payload: bytes = b"") -> bytes:
    return ttrpc_pb2.Request(service=service, method=method, payload=payload, timeout_nano=5_000_000_000).SerializeToString()


def answer(conn: Connection, stream_id: int) -> ttrpc_pb2.Response:
    got_stream, kind, data = conn.read_frame()
    assert (got_stream, kind) == (stream_id, RESPONSE)
    return ttrpc_pb2.Response.FromString(data)


def test_two_calls_in_flight_answer_on_their_streams(raw: Connection) -> None:
    raw.send_frame(1, envelope(GATEWAY, "Health"))
    raw.send_frame(3, envelope(GATEWAY, "Stats"))
    answers = {}
    for _ in range(2):
        stream_id, kind, data = raw.read_frame()
        assert kind == RESPONSE
        answers[stream_id] = ttrpc_pb2.Response.FromString(data)
    assert set(answers) == {1, 3}
    assert all(a.status.code == Code.OK for a in answers.values())
    assert gateway_pb2.HealthResponse.FromString(answers[1].payload).status == "serving"


@pytest.mark.parametrize(
    "data, code, message",
    [
        (envelope("nope.v1.Nope", "Health"), Code.UNIMPLEMENTED, "service nope.v1.Nope"),
        (envelope(GATEWAY, "Nope"), Code.UNIMPLEMENTED, "method Nope"),
        (b"\x0a\x7f\x01", Code.INVALID_ARGUMENT, None),  # the envelope does not parse
        (envelope("flygate.machines.v1.Machines", "Show", b"\x0a\x05\x61"), Code.INVALID_ARGUMENT, None),
    ],
)
def test_bad_calls_get_a_status_and_the_connection_goes_on(raw: Connection, data: bytes, code: Code, message: str) -> None:
    raw.send_frame(1, data)
    response = answer(raw, 1)
    assert response.status.code == code
    if message:
        assert response.status.message == message
    raw.send_frame(3, envelope(GATEWAY, "Health"))
    assert answer(raw, 3).status.code == Code.OK


def test_even_or_reused_stream_id_is_invalid_argument(raw: Connection) -> None:
    raw.send_frame(2, envelope(GATEWAY, "Health"))
    assert answer(raw, 2).status.code == Code.INVALID_ARGUMENT
    raw.send_frame(5, envelope(GATEWAY, "Health"))
    assert answer(raw, 5).status.code == Code.OK
    raw.send_frame(5, envelope(GATEWAY, "Health"))
    assert answer(raw, 5).status.code == Code.INVALID_ARGUMENT


def test_non_zero_reserved_byte_closes_the_connection(raw: Connection) -> None:
    raw.sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
    with pytest.raises(ConnectionError):
        raw.read_frame()


def test_generic_call_by_name(client: flygate.Client) -> None:
    health = client.call(GATEWAY, "Health", gateway_pb2.HealthRequest(), gateway_pb2.HealthResponse)
    assert health.status == "serving"
    with pytest.raises(flygate.Error) as caught:
        client.call(GATEWAY, "Nope", gateway_pb2.HealthRequest(), gateway_pb2.HealthResponse)
    assert caught.value.code is Code.UNIMPLEMENTED
