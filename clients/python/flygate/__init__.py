"""Python client for flygate, the daemon that serves Fly.io Machines operations over ttrpc.

    import flygate
    from flygate import machines_pb2

    with flygate.Client() as client:                      # the socket by the daemon's rule
        machine = client.show(app_name="my-app", machine_id="3d8d9e1b2c4e87", timeout=10).body
        print(machine.state, machine.config.image)

Messages are the generated protobuf classes of proto/ (``machines_pb2``, ``apps_pb2``,
``volumes_pb2``, ``secrets_pb2``, ``certificates_pb2``, ``platform_pb2``, ``gateway_pb2``);
failures raise ``flygate.Error`` with a ``flygate.Code``.
"""

from ._proto.flygate.apps.v1 import apps_pb2
from ._proto.flygate.certificates.v1 import certificates_pb2
from ._proto.flygate.gateway.v1 import gateway_pb2
from ._proto.flygate.machines.v1 import machines_pb2
from ._proto.flygate.platform.v1 import platform_pb2
from ._proto.flygate.secrets.v1 import secrets_pb2
from ._proto.flygate.volumes.v1 import volumes_pb2
from ._proto.ttrpc import ttrpc_pb2
from ._wire import Code, Error, default_socket_path
from .client import Client

__all__ = [
    "Client", "Code", "Error", "default_socket_path", "apps_pb2", "certificates_pb2", "gateway_pb2", "machines_pb2",
    "platform_pb2", "secrets_pb2", "volumes_pb2", "ttrpc_pb2",
]
__version__ = "0.1.0"
