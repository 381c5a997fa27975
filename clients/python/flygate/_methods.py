"""The rpcs of flygate's services, read from the generated descriptors (not written out by hand)."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Optional

from google.protobuf.message import Message

from ._proto.flygate.apps.v1 import apps_pb2
from ._proto.flygate.certificates.v1 import certificates_pb2
from ._proto.flygate.gateway.v1 import gateway_pb2
from ._proto.flygate.machines.v1 import machines_pb2
from ._proto.flygate.platform.v1 import platform_pb2
from ._proto.flygate.secrets.v1 import secrets_pb2
from ._proto.flygate.volumes.v1 import volumes_pb2

# Keyword arguments every method takes for the call itself; a request field with one of these
# names is passed with a trailing underscore (``timeout_=30``) or in the request message.
CALL_OPTIONS = ("timeout", "metadata")


@dataclass(frozen=True)
class Rpc:
    python_name: str  # "list_org_machines"
    service: str  # "flygate.machines.v1.Machines"
    method: str  # "ListOrgMachines"
    request_type: type[Message]
    response_type: type[Message]

    def make_request(self, request: Optional[Any], fields: Mapping[str, Any]) -> Message:
        """The request message from a message, a mapping, or keyword arguments (not both)."""
        if request is not None and fields:
            raise TypeError(f"{self.python_name}() takes a request or keyword fields, not both")
        if request is None:
            request = {name[:-1] if name[:-1] in CALL_OPTIONS else name: value for name, value in fields.items()}
        if isinstance(request, Mapping):
            return self.request_type(**request)
        if not isinstance(request, self.request_type):
            name = self.request_type.DESCRIPTOR.full_name
            raise TypeError(f"{self.python_name}() takes a {name}, not {type(request).__name__}")
        return request

    def doc(self) -> str:
        request = self.request_type.DESCRIPTOR
        fields = ", ".join(f.name for f in request.fields) or "no fields"
        return (
            f"Calls {self.service}/{self.method}.\n\n"
            f"Takes a {request.full_name} ({fields}) as a message, a mapping or keyword arguments;\n"
            f"returns a {self.response_type.DESCRIPTOR.full_name}. Raises flygate.Error."
        )


def snake_case(name: str) -> str:
    """``ListOrgMachines`` -> ``list_org_machines``; an acronym stays one word (``ListIPAssignments``
    -> ``list_ip_assignments``)."""
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


# Every service the daemon serves, by its generated module: the Fly API's six and the gateway's own.
SERVICES = (
    (machines_pb2, "Machines"),
    (apps_pb2, "Apps"),
    (volumes_pb2, "Volumes"),
    (secrets_pb2, "Secrets"),
    (certificates_pb2, "Certificates"),
    (platform_pb2, "Platform"),
    (gateway_pb2, "Gateway"),
)


def _rpcs() -> list[Rpc]:
    rpcs = []
    for module, service_name in SERVICES:
        service = module.DESCRIPTOR.services_by_name[service_name]
        for method in service.methods:
            rpcs.append(
                Rpc(
                    python_name=snake_case(method.name),
                    service=service.full_name,
                    method=method.name,
                    request_type=getattr(module, method.input_type.name),
                    response_type=getattr(module, method.output_type.name),
                )
            )
    names = [rpc.python_name for rpc in rpcs]
    assert len(names) == len(set(names)), "two rpcs map to one Python name"
    return rpcs


RPCS: list[Rpc] = _rpcs()
