"""Every rpc of every service, through a real daemon."""

from __future__ import annotations

import os
import time

import flygate
from flygate import machines_pb2
from flygate._methods import RPCS


def test_client_has_one_method_per_rpc() -> None:
    names = {rpc.python_name for rpc in RPCS}
    # 69 rpcs of the six generated services and the gateway's 3.
    assert len(RPCS) == 72 and len(names) == 72
    assert {"show", "create_lease", "list_org_machines", "health", "stats", "list_leases"} <= names
    assert {"create_app", "list_ip_assignments", "extend_volume", "list_org_volumes", "create_secret", "sign"} <= names
    assert {"create_acme_certificate", "list_regions", "get_placements"} <= names
    assert all(callable(getattr(flygate.Client, name)) for name in names)
    assert all(callable(getattr(flygate.aio.Client, name)) for name in names)
    by_service = {rpc.service for rpc in RPCS}
    assert by_service == {
        "flygate.machines.v1.Machines", "flygate.apps.v1.Apps", "flygate.volumes.v1.Volumes",
        "flygate.secrets.v1.Secrets", "flygate.certificates.v1.Certificates", "flygate.platform.v1.Platform",
        "flygate.gateway.v1.Gateway",
    }


def test_gateway_health_stats_and_leases(client: flygate.Client, machine: str, app: str) -> None:
    health = client.health(timeout=5)
    assert health.status == "serving" and health.simulator and health.pid > 0
    lease = client.create_lease(app_name=app, machine_id=machine, body={"ttl": 30, "description": "py"})
    leases = client.list_leases()
    assert isinstance(leases, flygate.gateway_pb2.ListLeasesResponse)
    # The book lists the leases taken through the daemon (once it keeps them); never whole nonces.
    assert all(entry.nonce_prefix != lease.body.nonce for entry in leases.leases)
    client.release_lease(app_name=app, machine_id=machine, lease_nonce=lease.body.nonce)
    stats = client.stats()
    assert stats.connections_open >= 1
    assert any(m.method == "flygate.machines.v1.Machines/CreateLease" for m in stats.methods)


def test_every_machines_rpc(client: flygate.Client, app: str) -> None:
    called: set[str] = set()

    def call(name: str, *args: object, **kwargs: object) -> object:
        called.add(name)
        return getattr(client, name)(*args, **kwargs)

    def wait(state: str) -> None:
        call("wait", app_name=app, machine_id=id, state=[state], timeout_=10)

    config = {"image": "nginx:1.27", "guest": {"cpus": 1, "memory_mb": 256}}
    created = call("create", app_name=app, body={"name": "web-1", "config": config}).body
    id = created.id
    assert len(id) == 14 and created.name == "web-1"
    wait("started")
    shown = call("show", machines_pb2.ShowRequest(app_name=app, machine_id=id)).body
    assert shown.state == "started" and shown.config.image == "nginx:1.27"
    assert [m.id for m in call("list", {"app_name": app}).body] == [id]
    org = call("list_org_machines", org_slug="personal").body
    assert any(m.id == id and m.app_name == app for m in org.machines)

    target = {"app_name": app, "machine_id": id}
    output = call("exec", **target, body={"command": ["cat"], "stdin": "hello from python\n"}).body
    assert output.stdout == "hello from python\n" and output.exit_code == 0
    assert len(call("list_processes", **target).body) >= 1
    call("signal", **target, body={"signal": "SIGUSR1"})
    assert call("get_memory", **target).body.limit_mb == 256
    assert call("set_memory_limit", **target, body={"limit_mb": 128}).body.limit_mb == 128
    assert call("reclaim_memory", **target, body={"amount_mb": 16}).body.HasField("actual_mb")

    call("update_metadata", **target, key="role", body={"value": "primary"})
    assert call("get_metadata_key", **target, key="role").body.value == "primary"
    call("patch_metadata", **target, body={"metadata": {"zone": "b"}})
    metadata = call("show_metadata", **target).body
    assert metadata["role"] == "primary" and metadata["zone"] == "b"
    call("delete_metadata", **target, key="zone")
    assert "zone" not in client.show_metadata(**target).body

    call("cordon", **target)
    call("uncordon", **target)

    taken = call("create_lease", **target, body={"ttl": 30, "description": "py"}).body
    assert taken.nonce and taken.expires_at > time.time()
    assert call("show_lease", **target).body.nonce == taken.nonce
    call("release_lease", **target, lease_nonce=taken.nonce)

    config_message = machines_pb2.MachineConfig()
    config_message.CopyFrom(shown.config)
    config_message.image = "nginx:1.28"
    updated = call("update", **target, body={"config": config_message}).body
    assert updated.config.image == "nginx:1.28" and updated.instance_id != shown.instance_id
    wait("started")
    assert len(call("list_versions", **target).body) == 2
    assert any(e.type in ("update", "launch") for e in call("list_events", **target, limit=50).body)

    call("stop", **target, body={"signal": "SIGTERM", "timeout": "5s"})
    wait("stopped")
    assert call("start", **target).body.previous_state == "stopped"
    wait("started")
    call("restart", **target)
    wait("started")
    call("suspend", **target)
    wait("suspended")
    call("delete", **target, force=True)
    wait("destroyed")

    machines_rpcs = {rpc.python_name for rpc in RPCS if rpc.service == "flygate.machines.v1.Machines"}
    assert len(machines_rpcs) == 29
    assert called == machines_rpcs


def test_request_forms_are_equivalent(client: flygate.Client, machine: str, app: str) -> None:
    by_keywords = client.show(app_name=app, machine_id=machine)
    by_mapping = client.show({"app_name": app, "machine_id": machine})
    by_message = client.show(machines_pb2.ShowRequest(app_name=app, machine_id=machine))
    assert by_keywords.body.id == by_mapping.body.id == by_message.body.id == machine


def test_metadata_is_sent(client: flygate.Client, machine: str, app: str) -> None:
    # The request id is accepted (and audited); keys are lower-cased on the way out.
    shown = client.show(app_name=app, machine_id=machine, metadata={"Flygate-Request-Id": f"py-{os.getpid()}"})
    assert shown.body.id == machine
    shown = client.show(app_name=app, machine_id=machine, metadata=[("flygate-no-coalesce", "true")])
    assert shown.body.id == machine


def test_typed_methods_of_the_other_services(client: flygate.Client, app: str) -> None:
    client.create_app(body={"name": app, "org_slug": "personal"})
    volume = client.create_volume(app_name=app, body={"name": "data", "region": "ord", "size_gb": 1}).body
    assert isinstance(volume, flygate.volumes_pb2.Volume) and volume.size_gb == 1
    assert client.extend_volume(app_name=app, volume_id=volume.id, body={"size_gb": 3}).body.volume.size_gb == 3
    client.create_secret(app_name=app, secret_name="TOKEN", body={"value": "py-secret-value"})
    listed = client.list_secrets(app_name=app).body.secrets
    assert [s.name for s in listed] == ["TOKEN"] and not any(s.value for s in listed)
    assert any(region.code == "ord" for region in client.list_regions().body.regions)
    client.delete_volume(app_name=app, volume_id=volume.id)
    client.delete_app(app_name=app)
    try:
        client.show_app(app_name=app)
        raise AssertionError("a deleted app is still shown")
    except flygate.Error as error:
        assert error.code == flygate.Code.NOT_FOUND
