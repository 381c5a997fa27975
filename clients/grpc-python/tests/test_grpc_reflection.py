"""gRPC server reflection as the spec says, checked with PyPI's grpcio-reflection: a client with no
proto files and no stubs finds the services, builds the messages from the descriptors the
daemon hands out, and calls the daemon with them (what grpcurl, grpcui and Evans do).

grpcio-reflection's own client speaks v1alpha; v1 is asked through a plain bidirectional
stream with the same messages (the two versions' messages are the same field for field)."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import grpc
import pytest
from google.protobuf import descriptor_pb2, descriptor_pool, message_factory
from grpc_reflection.v1alpha import reflection_pb2
from grpc_reflection.v1alpha.proto_reflection_descriptor_database import ProtoReflectionDescriptorDatabase

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parents[1] / "python" / "tests"))

from daemons import Daemon  # noqa: E402

SERVICES = [
    "flygate.apps.v1.Apps",
    "flygate.certificates.v1.Certificates",
    "flygate.gateway.v1.Gateway",
    "flygate.machines.v1.Machines",
    "flygate.platform.v1.Platform",
    "flygate.secrets.v1.Secrets",
    "flygate.volumes.v1.Volumes",
    "flygate.watch.v1.Watch",
    "grpc.health.v1.Health",
    "grpc.reflection.v1.ServerReflection",
    "grpc.reflection.v1alpha.ServerReflection",
]


@pytest.fixture(scope="module")
def daemon() -> Iterator[Daemon]:
    started = Daemon()
    yield started
    started.stop()


@pytest.fixture()
def channel(daemon: Daemon) -> Iterator[grpc.Channel]:
    with grpc.insecure_channel(f"unix://{daemon.socket}") as opened:
        yield opened


def test_a_client_with_no_proto_files_finds_and_calls_the_machines_service(channel: grpc.Channel) -> None:
    database = ProtoReflectionDescriptorDatabase(channel)
    assert sorted(database.get_services()) == SERVICES
    pool = descriptor_pool.DescriptorPool(database)
    machines = pool.FindServiceByName("flygate.machines.v1.Machines")
    assert len(machines.methods) == 29
    assert {"Create", "Show", "Wait", "CreateLease", "ListOrgMachines"} <= {m.name for m in machines.methods}
    # A file that imports another (volumes.proto uses machines.proto's MachineGuest) resolves whole.
    volume_body = pool.FindMessageTypeByName("flygate.volumes.v1.CreateVolumeRequestBody")
    assert volume_body.fields_by_name["compute"].message_type.full_name == "flygate.machines.v1.MachineGuest"
    assert len(pool.FindServiceByName("flygate.secrets.v1.Secrets").methods) == 14

    def call(method_name: str, **fields):
        method = machines.FindMethodByName(method_name)
        request_class = message_factory.GetMessageClass(method.input_type)
        response_class = message_factory.GetMessageClass(method.output_type)
        stub = channel.unary_unary(
            f"/{machines.full_name}/{method.name}",
            request_serializer=request_class.SerializeToString,
            response_deserializer=response_class.FromString,
        )
        return stub(_build(request_class(), fields), timeout=20)

    created = call("Create", app_name="reflected", body={"config": {"image": "nginx:1.27"}})
    machine_id = created.body.id
    assert machine_id
    call("Wait", app_name="reflected", machine_id=machine_id, state=["started"], timeout=10)
    shown = call("Show", app_name="reflected", machine_id=machine_id)
    assert shown.body.state == "started" and shown.body.config.image == "nginx:1.27"
    # The daemon's own service, the same way.
    gateway = pool.FindServiceByName("flygate.gateway.v1.Gateway")
    health = gateway.FindMethodByName("Health")
    answer = channel.unary_unary(
        "/flygate.gateway.v1.Gateway/Health",
        request_serializer=message_factory.GetMessageClass(health.input_type).SerializeToString,
        response_deserializer=message_factory.GetMessageClass(health.output_type).FromString,
    )(message_factory.GetMessageClass(health.input_type)(), timeout=10)
    assert answer.ListFields(), "the Health answer decodes with the reflected type"


def _build(message, values: dict):
    """Fills `message` from nested dicts and lists (enough for the requests above)."""
    for name, value in values.items():
        if isinstance(value, dict):
            _build(getattr(message, name), value)
        elif isinstance(value, list):
            getattr(message, name).extend(value)
        else:
            setattr(message, name, value)
    return message


@pytest.mark.parametrize("version", ["v1", "v1alpha"])
def test_each_question_of_the_protocol_is_answered_in_order_on_one_stream(channel: grpc.Channel, version: str) -> None:
    R = reflection_pb2
    questions = [
        R.ServerReflectionRequest(host="flygate", list_services=""),
        R.ServerReflectionRequest(file_containing_symbol="flygate.machines.v1.Machines.Show"),
        R.ServerReflectionRequest(file_containing_symbol="flygate.machines.v1.MachineConfig"),
        R.ServerReflectionRequest(file_containing_symbol="flygate.machines.v1.Nope"),
        R.ServerReflectionRequest(file_by_filename="flygate/gateway/v1/gateway.proto"),
        R.ServerReflectionRequest(all_extension_numbers_of_type="flygate.machines.v1.Machine"),
        R.ServerReflectionRequest(
            file_containing_extension=R.ExtensionRequest(containing_type="flygate.machines.v1.Machine", extension_number=7)),
    ]
    stream = channel.stream_stream(
        f"/grpc.reflection.{version}.ServerReflection/ServerReflectionInfo",
        request_serializer=R.ServerReflectionRequest.SerializeToString,
        response_deserializer=R.ServerReflectionResponse.FromString,
    )
    answers = list(stream(iter(questions), timeout=20))
    assert [a.original_request for a in answers] == questions, "one answer per question, in order"
    listed, method, message, missing, by_name, numbers, extension = answers

    assert listed.valid_host == "flygate"
    assert [s.name for s in listed.list_services_response.service] == SERVICES

    def files(answer) -> list[descriptor_pb2.FileDescriptorProto]:
        assert answer.WhichOneof("message_response") == "file_descriptor_response", answer
        return [descriptor_pb2.FileDescriptorProto.FromString(b) for b in answer.file_descriptor_response.file_descriptor_proto]

    machines_file = files(method)
    assert [f.name for f in machines_file] == ["flygate/machines/v1/machines.proto"]
    assert "Show" in [m.name for m in machines_file[0].service[0].method]
    assert any(loc.leading_comments for loc in machines_file[0].source_code_info.location), "comments travel"
    assert [f.name for f in files(message)] == ["flygate/machines/v1/machines.proto"], "asked again: sent again"

    assert missing.error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0]
    assert [f.name for f in files(by_name)] == ["flygate/gateway/v1/gateway.proto"]
    assert numbers.all_extension_numbers_response.base_type_name == "flygate.machines.v1.Machine"
    assert list(numbers.all_extension_numbers_response.extension_number) == []
    assert extension.error_response.error_code == grpc.StatusCode.NOT_FOUND.value[0]


def test_a_payload_that_is_not_a_request_ends_the_stream_with_invalid_argument(channel: grpc.Channel) -> None:
    stream = channel.stream_stream("/grpc.reflection.v1.ServerReflection/ServerReflectionInfo")
    with pytest.raises(grpc.RpcError) as failed:
        list(stream(iter([b"\xff\xff\xff"]), timeout=20))
    assert failed.value.code() == grpc.StatusCode.INVALID_ARGUMENT
