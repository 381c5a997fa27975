"""grpc.health.v1.Health/Watch through the standard client (grpcio-health-checking): the daemon
streams SERVING for itself and its services and SERVICE_UNKNOWN for any other name; when it gets
SIGTERM every watcher receives NOT_SERVING and then the stream ends with UNAVAILABLE, so a
watcher never holds the shutdown up. (Check is in test_grpc_stubs.py.)"""

from __future__ import annotations

import signal
from collections.abc import Iterator

import grpc
import pytest
from grpc_health.v1 import health_pb2, health_pb2_grpc

from daemons import Daemon

Status = health_pb2.HealthCheckResponse

# Every Watch carries this deadline: a stream the daemon never ends fails the test with
# DEADLINE_EXCEEDED instead of hanging it.
WATCH_DEADLINE_SECONDS = 30


@pytest.fixture
def daemon() -> Iterator[Daemon]:
    """A daemon of the test's own: one of these tests stops it."""
    started = Daemon()
    yield started
    started.stop()


def test_watch_streams_serving_and_service_unknown(daemon: Daemon) -> None:
    with grpc.insecure_channel(f"unix://{daemon.socket}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        server = stub.Watch(health_pb2.HealthCheckRequest(service=""), timeout=WATCH_DEADLINE_SECONDS)
        machines = stub.Watch(health_pb2.HealthCheckRequest(service="flygate.machines.v1.Machines"),
                              timeout=WATCH_DEADLINE_SECONDS)
        unknown = stub.Watch(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=WATCH_DEADLINE_SECONDS)
        try:
            assert next(server).status == Status.SERVING
            assert next(machines).status == Status.SERVING
            # An unknown name is not an error: it is SERVICE_UNKNOWN, and stays watched.
            assert next(unknown).status == Status.SERVICE_UNKNOWN
            assert unknown.is_active()
        finally:
            for call in (server, machines, unknown):
                call.cancel()


def test_sigterm_ends_a_watch_with_not_serving_then_unavailable(daemon: Daemon) -> None:
    with grpc.insecure_channel(f"unix://{daemon.socket}") as channel:
        stub = health_pb2_grpc.HealthStub(channel)
        watches = [stub.Watch(health_pb2.HealthCheckRequest(service=name), timeout=WATCH_DEADLINE_SECONDS)
                   for name in ("", "flygate.gateway.v1.Gateway")]
        try:
            for watch in watches:
                assert next(watch).status == Status.SERVING
            daemon.process.process.send_signal(signal.SIGTERM)
            for watch in watches:
                statuses = []
                with pytest.raises(grpc.RpcError) as ended:
                    for response in watch:
                        statuses.append(response.status)
                assert statuses == [Status.NOT_SERVING]
                assert ended.value.code() == grpc.StatusCode.UNAVAILABLE, ended.value.details()
        finally:
            for watch in watches:
                watch.cancel()
    # The watchers did not keep it: the daemon finished its shutdown and exited cleanly.
    assert daemon.process.process.wait(WATCH_DEADLINE_SECONDS) == 0
