"""Scenarios that drive `flygate simulator` with the client openapi-python-client generated from
Fly's OpenAPI document. Run by test_generated_client.py under the generator's own virtual
environment (httpx, attrs), never under the test command's Python:

    FLY_BASE_URL=http://127.0.0.1:PORT/v1 FLY_TOKEN=... FLY_CLIENT_PARENT=<folder holding
    fly_machines_client> FLY_APP=<app name> python fly_generated.py SCENARIO

Each scenario uses its own app. A failed check raises AssertionError (exit 1); the last line
printed on success is "scenario NAME: N checks passed".

Checks against the document: a status the document declares for the operation must parse into
the declared model (`Response.parsed`), and no object in it may carry a member the document does
not declare (the models keep those in `additional_properties`). A status it does not declare
(Fly's 404s, 409s, 412s, 422s...) parses to None; its raw body must still be Fly's ErrorResponse.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import json
import os
import sys
from typing import Any

import attrs

sys.path.insert(0, os.environ["FLY_CLIENT_PARENT"])

import custom_certificate  # noqa: E402  (this folder, standard library only)
import ed25519  # noqa: E402  (this folder, standard library only)
from fly_machines_client import AuthenticatedClient, Client  # noqa: E402
from fly_machines_client.api.apps import (  # noqa: E402
    app_create_deploy_token,
    app_ip_assignments_create,
    app_ip_assignments_delete,
    app_ip_assignments_list,
    apps_create,
    apps_delete,
    apps_list,
    apps_show,
)
from fly_machines_client.api.machines import (  # noqa: E402
    machines_cordon,
    machines_create,
    machines_create_lease,
    machines_delete,
    machines_delete_metadata,
    machines_get_memory,
    machines_get_metadata_key,
    machines_list,
    machines_list_events,
    machines_list_processes,
    machines_list_versions,
    machines_reclaim_memory,
    machines_release_lease,
    machines_restart,
    machines_set_memory_limit,
    machines_show,
    machines_show_lease,
    machines_show_metadata,
    machines_signal,
    machines_start,
    machines_stop,
    machines_suspend,
    machines_uncordon,
    machines_update,
    machines_update_metadata,
    machines_upsert_metadata,
    machines_wait,
)
from fly_machines_client.api.organizations import machines_org_list, volumes_org_list  # noqa: E402
from fly_machines_client.api.platform import platform_placements_post, platform_regions_get  # noqa: E402
from fly_machines_client.api.secrets import (  # noqa: E402
    secret_create,
    secret_delete,
    secret_get,
    secretkey_decrypt,
    secretkey_delete,
    secretkey_encrypt,
    secretkey_generate,
    secretkey_get,
    secretkey_set,
    secretkey_sign,
    secretkey_verify,
    secretkeys_list,
    secrets_list,
    secrets_update,
)
from fly_machines_client.api.tls_certificates import (  # noqa: E402
    app_certificates_acme_create,
    app_certificates_acme_delete,
    app_certificates_check,
    app_certificates_custom_create,
    app_certificates_custom_delete,
    app_certificates_delete,
    app_certificates_list,
    app_certificates_show,
)
from fly_machines_client.api.tokens import current_token_show  # noqa: E402
from fly_machines_client.api.volumes import (  # noqa: E402
    create_volume_snapshot,
    volume_delete,
    volumes_create,
    volumes_extend,
    volumes_get_by_id,
    volumes_list,
    volumes_list_snapshots,
    volumes_update,
)
from fly_machines_client.models import (  # noqa: E402
    App,
    AppSecret,
    AppSecrets,
    AppSecretsUpdateRequest,
    AppSecretsUpdateRequestValues,
    AppSecretsUpdateResp,
    AssignIPRequest,
    CertificateCheckResponse,
    CertificateDetail,
    CreateAcmeCertificateRequest,
    CreateAppDeployTokenRequest,
    CreateAppRequest,
    CreateCustomCertificateRequest,
    CreateLeaseRequest,
    CreateMachineRequest,
    CreateVolumeRequest,
    DecryptSecretkeyRequest,
    DecryptSecretkeyResponse,
    DeleteAppSecretResponse,
    DeleteSecretkeyResponse,
    DestroyCustomCertificateResponse,
    EncryptSecretkeyRequest,
    EncryptSecretkeyResponse,
    ErrorResponse,
    ExtendVolumeRequest,
    ExtendVolumeResponse,
    FlyMachineConfig,
    FlyMachineGuest,
    FlyMachineMount,
    IPAssignment,
    ListAppsResponse,
    ListCertificatesResponse,
    ListIPAssignmentsResponse,
    Machine,
    MachineEvent,
    MachinesRestartSignal,
    MachinesShowMetadataResponse200,
    MachinesWaitState,
    MachineVersion,
    MainGetPlacementsRequest,
    MainGetPlacementsResponse,
    MainMemoryResponse,
    MainReclaimMemoryRequest,
    MainReclaimMemoryResponse,
    MainRegionResponse,
    MainSetMemoryLimitRequest,
    MetadataValueResponse,
    OrgMachinesResponse,
    OrgVolumesResponse,
    ProcessStat,
    SecretKey,
    SecretKeys,
    SetAppSecretRequest,
    SetAppSecretResponse,
    SetSecretkeyRequest,
    SetSecretkeyResponse,
    SignalRequest,
    SignalRequestSignal,
    SignSecretkeyRequest,
    SignSecretkeyResponse,
    StopRequest,
    StopRequestSignal,
    UpdateMachineRequest,
    UpdateMetadataRequest,
    UpdateMetadataRequestMetadata,
    UpdateVolumeRequest,
    UpsertMetadataKeyRequest,
    VerifySecretkeyRequest,
    Volume,
    VolumeSnapshot,
    WaitMachineResponse,
)
from fly_machines_client.types import UNSET, Response  # noqa: E402

APP = os.environ["FLY_APP"]
ORG = APP + "-org"
checks = 0


# Straight to the loopback simulator, whatever proxy the environment names.
DIRECT = {"trust_env": False}


def client(token: str | None = None) -> AuthenticatedClient:
    return AuthenticatedClient(base_url=os.environ["FLY_BASE_URL"], token=token or os.environ["FLY_TOKEN"], timeout=20,
                               httpx_args=DIRECT)


def check(condition: object, message: str) -> None:
    global checks
    checks += 1
    if not condition:
        raise AssertionError(message)


def describe(response: Response[Any]) -> str:
    return f"{int(response.status_code)} {response.content[:400]!r}"


def undeclared(value: Any, path: str = "body") -> None:
    """Fails when a parsed model holds a member its schema does not declare."""
    if attrs.has(type(value)):
        fields = [field.name for field in attrs.fields(type(value)) if field.name != "additional_properties"]
        extra = getattr(value, "additional_properties", {})
        # A schema with properties and no additionalProperties: the extras are undeclared
        # (none of the document's schemas has both).
        check(not (fields and extra), f"{path}: members the document does not declare: {sorted(extra)}")
        for name in fields:
            undeclared(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            undeclared(item, f"{path}[{index}]")


def expect(response: Response[Any], status: int, model: Any = None) -> Any:
    """A status the document declares: the body parses into `model` (None: the document gives no body)."""
    check(response.status_code == status, f"expected {status}, got {describe(response)}")
    if model is None:
        return response.content
    parsed = response.parsed
    if isinstance(model, list):  # list[Model]
        check(isinstance(parsed, list) and all(isinstance(item, model[0]) for item in parsed),
              f"expected a list of {model[0].__name__}: {describe(response)}")
    else:
        check(isinstance(parsed, model), f"expected {model.__name__}, parsed {type(parsed).__name__}: {describe(response)}")
    undeclared(parsed)
    return parsed


def expect_error(response: Response[Any], status: int, contains: str = "", declared: bool = False,
                 flygo_status: str | None = None) -> str:
    """An error answer: Fly's ErrorResponse, parsed by the client when the document declares the
    status. `flygo_status`: a `status` member outside the document's enum (FLYGO's `name_taken`)."""
    check(response.status_code == status, f"expected {status}, got {describe(response)}")
    if declared:
        error = response.parsed
        check(isinstance(error, ErrorResponse), f"expected ErrorResponse: {describe(response)}")
    else:
        check(response.parsed is None, f"the document declares no {status} here, yet the client parsed one")
        body = json.loads(response.content)
        if flygo_status is not None:
            check(isinstance(body, dict) and body.pop("status", None) == flygo_status, f"expected status {flygo_status}: {body}")
        error = ErrorResponse.from_dict(body)
    undeclared(error)
    check(isinstance(error.error, str) and contains in error.error, f"expected an error with {contains!r}: {describe(response)}")
    return error.error


def create_app(fly: AuthenticatedClient, name: str = APP) -> None:
    expect(apps_create.sync_detailed(client=fly, body=CreateAppRequest(name=name, org_slug=ORG, network="default")), 201)


def new_machine(fly: AuthenticatedClient, mounts: list[FlyMachineMount] | None = None) -> Machine:
    config = FlyMachineConfig(image="registry.fly.io/shop:1", guest=FlyMachineGuest(cpus=1, memory_mb=256, cpu_kind="shared"))
    if mounts:
        config.mounts = mounts
    return expect(machines_create.sync_detailed(APP, client=fly, body=CreateMachineRequest(region="ord", config=config)), 200, Machine)


# ---------------------------------------------------------------------------------------- scenarios


def scenario_apps(fly: AuthenticatedClient) -> None:
    created = expect(apps_create.sync_detailed(client=fly, body=CreateAppRequest(name=APP, org_slug=ORG, network="default")), 201)
    # The document gives 201 no body; the simulator answers the App (as flyctl's Go client decodes).
    app = App.from_dict(json.loads(created))
    check(app.name == APP and app.organization.slug == ORG, f"created: {created!r}")
    expect_error(apps_create.sync_detailed(client=fly, body=CreateAppRequest(name=APP, org_slug=ORG)), 422, "taken",
                 flygo_status="name_taken")
    expect_error(apps_create.sync_detailed(client=fly, body=CreateAppRequest(name="Not_A_Name", org_slug=ORG)), 400,
                 "invalid app name", declared=True)

    listed = expect(apps_list.sync_detailed(client=fly, org_slug=ORG), 200, ListAppsResponse)
    check(listed.total_apps == 1 and [a.name for a in listed.apps] == [APP], f"list: {listed}")
    other = expect(apps_list.sync_detailed(client=fly, org_slug=ORG + "-other"), 200, ListAppsResponse)
    check(other.total_apps == 0 and other.apps == [], f"another org's list: {other}")

    shown = expect(apps_show.sync_detailed(APP, client=fly), 200, App)
    check(shown.name == APP and shown.id == app.id and shown.organization.slug == ORG, f"show: {shown}")
    check(shown.machine_count == 0 and shown.volume_count == 0 and shown.network == "default", f"show: {shown}")
    new_machine(fly)
    check(expect(apps_show.sync_detailed(APP, client=fly), 200, App).machine_count == 1, "machine_count after a create")
    expect_error(apps_show.sync_detailed(APP + "-missing", client=fly), 404)


def wait_for(fly: AuthenticatedClient, machine: str, state: MachinesWaitState, **query: Any) -> WaitMachineResponse:
    """Machines_wait until `state` (at most 10 s on the simulator's side)."""
    waited = expect(machines_wait.sync_detailed(APP, machine, client=fly, state=state, timeout=10, **query), 200, WaitMachineResponse)
    check(waited.ok is True and waited.state == state.value, f"wait for {state.value}: {waited}")
    return waited


def lease_data(response: Response[Any], status: int) -> dict[str, Any]:
    """The lease in Fly's envelope, `{"status": "success", "data": {...}}`: the wire wraps the
    document's flat Lease (docs/simulator.md, "Differences from the OpenAPI document")."""
    expect(response, status)
    envelope = json.loads(response.content)
    check(envelope.get("status") == "success" and isinstance(envelope.get("data"), dict), f"lease envelope: {envelope}")
    return envelope["data"]


def scenario_machines(fly: AuthenticatedClient) -> None:
    # Every machine operation but Machines_exec (test_curl.py drives it: this client cannot parse
    # its answer), through one machine's life.
    create_app(fly)
    machine = new_machine(fly)
    check(len(machine.id) == 14 and machine.region == "ord" and machine.config.image == "registry.fly.io/shop:1", f"created: {machine}")
    wait_for(fly, machine.id, MachinesWaitState.STARTED)
    shown = expect(machines_show.sync_detailed(APP, machine.id, client=fly), 200, Machine)
    check(shown.state == "started" and shown.instance_id == machine.instance_id, f"show: {shown}")
    listed = expect(machines_list.sync_detailed(APP, client=fly, region="ord"), 200, [Machine])
    check([m.id for m in listed] == [machine.id], f"list: {listed}")
    org = expect(machines_org_list.sync_detailed(ORG, client=fly), 200, OrgMachinesResponse)
    check([m.id for m in org.machines] == [machine.id], f"org machines: {org}")

    # A new version, then both versions and the events that led there.
    config = FlyMachineConfig(image="registry.fly.io/shop:2", guest=FlyMachineGuest(cpus=1, memory_mb=256, cpu_kind="shared"))
    updated = expect(machines_update.sync_detailed(
        APP, machine.id, client=fly, body=UpdateMachineRequest(config=config, current_version=machine.instance_id)), 200, Machine)
    check(updated.instance_id != machine.instance_id and updated.config.image == "registry.fly.io/shop:2", f"update: {updated}")
    expect_error(machines_update.sync_detailed(
        APP, machine.id, client=fly, body=UpdateMachineRequest(config=config, current_version=machine.instance_id)), 412)
    wait_for(fly, machine.id, MachinesWaitState.STARTED, version=updated.instance_id)
    versions = expect(machines_list_versions.sync_detailed(APP, machine.id, client=fly), 200, [MachineVersion])
    check({v.version for v in versions} == {machine.instance_id, updated.instance_id}, f"versions: {versions}")
    events = expect(machines_list_events.sync_detailed(APP, machine.id, client=fly, limit=50), 200, [MachineEvent])
    check({"launch", "update"} <= {e.type_ for e in events}, f"event types: {[e.type_ for e in events]}")

    # Cordon and uncordon; a lease that keeps others from stopping it, shown, then released.
    expect(machines_cordon.sync_detailed(APP, machine.id, client=fly), 200)
    expect(machines_uncordon.sync_detailed(APP, machine.id, client=fly), 200)
    lease = lease_data(machines_create_lease.sync_detailed(
        APP, machine.id, client=fly, body=CreateLeaseRequest(ttl=30, description="openapi scenario")), 201)
    check(lease.get("nonce") and lease.get("description") == "openapi scenario", f"lease: {lease}")
    check(lease_data(machines_show_lease.sync_detailed(APP, machine.id, client=fly), 200).get("nonce") == lease["nonce"], "lease shown")
    expect_error(machines_stop.sync_detailed(APP, machine.id, client=fly), 409, "lease")
    expect(machines_release_lease.sync_detailed(APP, machine.id, client=fly, fly_machine_lease_nonce=lease["nonce"]), 200)
    released = machines_show_lease.sync_detailed(APP, machine.id, client=fly)
    check(released.status_code == 404, f"a released lease: {describe(released)}")
    # Lease errors come in the lease envelope too: {"status": "error", "message": ..., "code": ...}.
    check(json.loads(released.content).get("message") == "lease not found", f"a released lease: {describe(released)}")

    # Metadata: one key, a merge of another, the whole map, a deletion.
    expect(machines_upsert_metadata.sync_detailed(APP, machine.id, "role", client=fly, body=UpsertMetadataKeyRequest(value="primary")), 204)
    role = expect(machines_get_metadata_key.sync_detailed(APP, machine.id, "role", client=fly), 200, MetadataValueResponse)
    check(role.value == "primary", f"metadata role: {role}")
    patch = UpdateMetadataRequest(metadata=UpdateMetadataRequestMetadata.from_dict({"zone": "b"}))
    expect(machines_update_metadata.sync_detailed(APP, machine.id, client=fly, body=patch), 204)
    metadata = expect(machines_show_metadata.sync_detailed(APP, machine.id, client=fly), 200, MachinesShowMetadataResponse200)
    check(metadata.to_dict() == {"role": "primary", "zone": "b"}, f"metadata: {metadata.to_dict()}")
    expect(machines_delete_metadata.sync_detailed(APP, machine.id, "zone", client=fly), 204)
    expect_error(machines_get_metadata_key.sync_detailed(APP, machine.id, "zone", client=fly), 404, declared=True)

    # The guest: processes, memory, a signal.
    processes = expect(machines_list_processes.sync_detailed(APP, machine.id, client=fly, sort_by="pid", order="asc"), 200, [ProcessStat])
    check(len(processes) >= 2 and [p.pid for p in processes] == sorted(p.pid for p in processes), f"ps: {processes}")
    memory = expect(machines_get_memory.sync_detailed(APP, machine.id, client=fly), 200, MainMemoryResponse)
    check(memory.limit_mb == 256, f"memory: {memory}")
    lowered = expect(machines_set_memory_limit.sync_detailed(APP, machine.id, client=fly, body=MainSetMemoryLimitRequest(limit_mb=128)),
                     200, MainMemoryResponse)
    check(lowered.limit_mb == 128, f"set memory limit: {lowered}")
    reclaimed = expect(machines_reclaim_memory.sync_detailed(APP, machine.id, client=fly, body=MainReclaimMemoryRequest(amount_mb=16)),
                       200, MainReclaimMemoryResponse)
    check(isinstance(reclaimed.actual_mb, int) and 0 <= reclaimed.actual_mb <= 16, f"reclaim: {reclaimed}")
    expect(machines_signal.sync_detailed(APP, machine.id, client=fly, body=SignalRequest(signal=SignalRequestSignal.SIGUSR1)), 200)

    # Restart, suspend, start, stop, and a deletion the machine's state first refuses.
    expect(machines_restart.sync_detailed(APP, machine.id, client=fly, signal=MachinesRestartSignal.SIGTERM, timeout="5s"), 200)
    wait_for(fly, machine.id, MachinesWaitState.STARTED)
    expect(machines_suspend.sync_detailed(APP, machine.id, client=fly), 200)
    wait_for(fly, machine.id, MachinesWaitState.SUSPENDED)
    expect(machines_start.sync_detailed(APP, machine.id, client=fly), 200)
    wait_for(fly, machine.id, MachinesWaitState.STARTED)
    expect_error(machines_delete.sync_detailed(APP, machine.id, client=fly), 412, "not currently stopped")
    expect(machines_stop.sync_detailed(APP, machine.id, client=fly, body=StopRequest(signal=StopRequestSignal.SIGTERM, timeout="5s")), 200)
    wait_for(fly, machine.id, MachinesWaitState.STOPPED)
    expect(machines_delete.sync_detailed(APP, machine.id, client=fly), 200)
    wait_for(fly, machine.id, MachinesWaitState.DESTROYED)
    check(expect(machines_show.sync_detailed(APP, machine.id, client=fly), 200, Machine).state == "destroyed", "destroyed, still shown")
    check(expect(machines_list.sync_detailed(APP, client=fly), 200, [Machine]) == [], "a destroyed machine is not listed")


def scenario_volumes(fly: AuthenticatedClient) -> None:
    create_app(fly)
    volume = expect(volumes_create.sync_detailed(
        APP, client=fly, body=CreateVolumeRequest(name="data", region="ord", size_gb=1, snapshot_retention=5)), 200, Volume)
    check(volume.id.startswith("vol_") and volume.name == "data" and volume.region == "ord", f"created: {volume}")
    check(volume.size_gb == 1 and volume.state == "created" and not volume.attached_machine_id, f"created: {volume}")
    expect_error(volumes_create.sync_detailed(APP, client=fly, body=CreateVolumeRequest(name="data", region="xyz", size_gb=1)),
                 400, "region")

    shown = expect(volumes_get_by_id.sync_detailed(APP, volume.id, client=fly), 200, Volume)
    check(shown.id == volume.id and shown.size_gb == 1, f"show: {shown}")
    listed = expect(volumes_list.sync_detailed(APP, client=fly), 200, [Volume])
    check([v.id for v in listed] == [volume.id], f"list: {listed}")
    updated = expect(volumes_update.sync_detailed(APP, volume.id, client=fly, body=UpdateVolumeRequest(snapshot_retention=7)),
                     200, Volume)
    check(updated.snapshot_retention == 7, f"update: {updated}")

    extended = expect(volumes_extend.sync_detailed(APP, volume.id, client=fly, body=ExtendVolumeRequest(size_gb=3)),
                      200, ExtendVolumeResponse)
    check(extended.volume.size_gb == 3 and isinstance(extended.needs_restart, bool), f"extend: {extended}")
    # Volumes only grow.
    expect_error(volumes_extend.sync_detailed(APP, volume.id, client=fly, body=ExtendVolumeRequest(size_gb=2)), 400)
    check(expect(volumes_get_by_id.sync_detailed(APP, volume.id, client=fly), 200, Volume).size_gb == 3, "size after a refused shrink")

    check(expect(volumes_list_snapshots.sync_detailed(APP, volume.id, client=fly), 200, [VolumeSnapshot]) == [], "no snapshot yet")
    expect(create_volume_snapshot.sync_detailed(APP, volume.id, client=fly), 200)
    snapshots = expect(volumes_list_snapshots.sync_detailed(APP, volume.id, client=fly), 200, [VolumeSnapshot])
    check(len(snapshots) == 1 and snapshots[0].id and snapshots[0].status, f"snapshots: {snapshots}")
    check(snapshots[0].volume_size in (3, 3 * 2**30), f"snapshot of a 3 GB volume: {snapshots[0]}")

    machine = new_machine(fly, [FlyMachineMount(volume=volume.id, path="/data")])
    check([(m.volume, m.path) for m in machine.config.mounts] == [(volume.id, "/data")], f"mounts: {machine.config}")
    attached = expect(volumes_get_by_id.sync_detailed(APP, volume.id, client=fly), 200, Volume)
    check(attached.attached_machine_id == machine.id, f"attached_machine_id {attached.attached_machine_id!r}, machine {machine.id}")
    org = expect(volumes_org_list.sync_detailed(ORG, client=fly), 200, OrgVolumesResponse)
    check([v.id for v in org.volumes] == [volume.id], f"org volumes: {org}")
    # Another machine cannot mount it, and it cannot be destroyed while attached.
    expect_error(machines_create.sync_detailed(APP, client=fly, body=CreateMachineRequest(region="ord", config=FlyMachineConfig(
        image="registry.fly.io/shop:1", mounts=[FlyMachineMount(volume=volume.id, path="/data")]))), 412)
    expect_error(volume_delete.sync_detailed(APP, volume.id, client=fly), 412)

    spare = expect(volumes_create.sync_detailed(APP, client=fly, body=CreateVolumeRequest(name="spare", region="ord", size_gb=1)),
                   200, Volume)
    destroyed = expect(volume_delete.sync_detailed(APP, spare.id, client=fly), 200, Volume)
    check(destroyed.id == spare.id, f"delete: {destroyed}")
    expect_error(volumes_get_by_id.sync_detailed(APP, spare.id, client=fly), 404)


def scenario_secrets(fly: AuthenticatedClient) -> None:
    create_app(fly)
    value = "postgres://shop:hunter2@db/shop"
    set_one = expect(secret_create.sync_detailed(APP, "DATABASE_URL", client=fly, body=SetAppSecretRequest(value=value)),
                     201, SetAppSecretResponse)
    check(set_one.name == "DATABASE_URL" and set_one.digest and isinstance(set_one.version, int), f"set: {set_one}")
    expect_error(secret_create.sync_detailed(APP, "9LIVES", client=fly, body=SetAppSecretRequest(value="x")), 400, declared=True)

    values = AppSecretsUpdateRequestValues.from_dict({"API_KEY": "k-123", "REGION_HINT": "ord"})
    bulk = expect(secrets_update.sync_detailed(APP, client=fly, body=AppSecretsUpdateRequest(values=values)), 200, AppSecretsUpdateResp)
    check(bulk.version > set_one.version, f"bulk version {bulk.version} after {set_one.version}")

    listed = expect(secrets_list.sync_detailed(APP, client=fly), 200, AppSecrets)
    names = sorted(s.name for s in listed.secrets)
    check(names == ["API_KEY", "DATABASE_URL", "REGION_HINT"], f"names: {names}")
    check(all(s.digest for s in listed.secrets), f"digests: {listed.secrets}")
    check(len({s.digest for s in listed.secrets}) == 3, f"three values, three digests: {listed.secrets}")
    check(all(s.value is UNSET for s in listed.secrets), f"a list shows no value: {listed.secrets}")
    raw = secrets_list.sync_detailed(APP, client=fly).content.decode()
    check(value not in raw and "k-123" not in raw and '"value"' not in raw, f"values in the list: {raw}")
    digest = {s.name: s.digest for s in listed.secrets}["DATABASE_URL"]
    check(digest == set_one.digest, "the list's digest is the one set answered")

    one = expect(secret_get.sync_detailed(APP, "API_KEY", client=fly), 200, AppSecret)
    check(one.name == "API_KEY" and one.digest == {s.name: s.digest for s in listed.secrets}["API_KEY"], f"get: {one}")
    expect_error(secret_get.sync_detailed(APP, "NOPE", client=fly), 404)

    deleted = expect(secret_delete.sync_detailed(APP, "REGION_HINT", client=fly), 200, DeleteAppSecretResponse)
    check(deleted.version > bulk.version, f"delete version {deleted.version}")
    after = expect(secrets_list.sync_detailed(APP, client=fly), 200, AppSecrets)
    check(sorted(s.name for s in after.secrets) == ["API_KEY", "DATABASE_URL"], f"after delete: {after}")
    expect_error(secret_delete.sync_detailed(APP, "REGION_HINT", client=fly), 404)


def scenario_secretkeys(fly: AuthenticatedClient) -> None:
    create_app(fly)
    message = b"attack at dawn"

    # nacl_sign: generated, signs with real Ed25519 (checked here, independently of the simulator).
    generated = expect(secretkey_generate.sync_detailed(APP, "signing", client=fly, body=SetSecretkeyRequest(type_="nacl_sign")),
                       201, SetSecretkeyResponse)
    check(generated.name == "signing" and generated.type_ == "nacl_sign" and len(generated.public_key) == 32, f"generate: {generated}")
    public = bytes(generated.public_key)
    signed = expect(secretkey_sign.sync_detailed(APP, "signing", client=fly, body=SignSecretkeyRequest(plaintext=list(message))),
                    200, SignSecretkeyResponse)
    signature = bytes(signed.signature)
    check(len(signature) == 64 and ed25519.verify(public, message, signature), "an Ed25519 signature by the public key")
    expect(secretkey_verify.sync_detailed(APP, "signing", client=fly,
                                          body=VerifySecretkeyRequest(plaintext=list(message), signature=list(signature))), 204)
    tampered = bytes([signature[0] ^ 1]) + signature[1:]
    expect_error(secretkey_verify.sync_detailed(APP, "signing", client=fly,
                                                body=VerifySecretkeyRequest(plaintext=list(message), signature=list(tampered))),
                 400, declared=True)
    expect_error(secretkey_verify.sync_detailed(APP, "signing", client=fly,
                                                body=VerifySecretkeyRequest(plaintext=list(b"attack at dusk"), signature=list(signature))),
                 400, declared=True)

    # nacl_sign from a known seed: the public key is the seed's.
    seed = hashlib.sha256(b"flygate openapi suite").digest()
    imported = expect(secretkey_set.sync_detailed(APP, "imported", client=fly, body=SetSecretkeyRequest(type_="nacl_sign", value=list(seed))),
                      201, SetSecretkeyResponse)
    check(bytes(imported.public_key) == ed25519.public_key(seed), "the imported seed's public key")
    by_seed = expect(secretkey_sign.sync_detailed(APP, "imported", client=fly, body=SignSecretkeyRequest(plaintext=list(message))),
                     200, SignSecretkeyResponse)
    check(ed25519.verify(ed25519.public_key(seed), message, bytes(by_seed.signature)), "signed with the imported seed")

    # hs256 from known bytes: the signature is HMAC-SHA-256.
    key = bytes(range(1, 33))
    expect(secretkey_set.sync_detailed(APP, "hmac", client=fly, body=SetSecretkeyRequest(type_="hs256", value=list(key))),
           201, SetSecretkeyResponse)
    mac = expect(secretkey_sign.sync_detailed(APP, "hmac", client=fly, body=SignSecretkeyRequest(plaintext=list(message))),
                 200, SignSecretkeyResponse)
    check(bytes(mac.signature) == hmac.new(key, message, hashlib.sha256).digest(), "HMAC-SHA-256 of the message")

    # Encryption keys round-trip; associated data and the ciphertext are authenticated.
    for name, kind in (("box", "nacl_secretbox"), ("sealed", "nacl_box")):
        made = expect(secretkey_generate.sync_detailed(APP, name, client=fly, body=SetSecretkeyRequest(type_=kind)),
                      201, SetSecretkeyResponse)
        check(made.type_ == kind, f"generate {kind}: {made}")
        sealed = expect(secretkey_encrypt.sync_detailed(APP, name, client=fly,
                                                        body=EncryptSecretkeyRequest(plaintext=list(message), associated_data=[7])),
                        200, EncryptSecretkeyResponse)
        ciphertext = bytes(sealed.ciphertext)
        check(len(ciphertext) >= len(message) + 16 and message not in ciphertext, f"{kind} ciphertext: {ciphertext!r}")
        again = expect(secretkey_encrypt.sync_detailed(APP, name, client=fly,
                                                       body=EncryptSecretkeyRequest(plaintext=list(message), associated_data=[7])),
                       200, EncryptSecretkeyResponse)
        check(bytes(again.ciphertext) != ciphertext, f"{kind}: a fresh nonce each time")
        opened = expect(secretkey_decrypt.sync_detailed(APP, name, client=fly,
                                                        body=DecryptSecretkeyRequest(ciphertext=list(ciphertext), associated_data=[7])),
                        200, DecryptSecretkeyResponse)
        check(bytes(opened.plaintext) == message, f"{kind} round trip: {bytes(opened.plaintext)!r}")
        expect_error(secretkey_decrypt.sync_detailed(APP, name, client=fly,
                                                     body=DecryptSecretkeyRequest(ciphertext=list(ciphertext), associated_data=[8])),
                     400, declared=True)
        flipped = ciphertext[:-1] + bytes([ciphertext[-1] ^ 0x80])
        expect_error(secretkey_decrypt.sync_detailed(APP, name, client=fly,
                                                     body=DecryptSecretkeyRequest(ciphertext=list(flipped), associated_data=[7])),
                     400, declared=True)
    expect_error(secretkey_sign.sync_detailed(APP, "box", client=fly, body=SignSecretkeyRequest(plaintext=list(message))),
                 400, "cannot sign", declared=True)
    expect_error(secretkey_generate.sync_detailed(APP, "bad", client=fly, body=SetSecretkeyRequest(type_="rot13")), 400, declared=True)

    every = expect(secretkeys_list.sync_detailed(APP, client=fly), 200, SecretKeys)
    check(sorted(k.name for k in every.secret_keys) == ["box", "hmac", "imported", "sealed", "signing"], f"list: {every}")
    signers = expect(secretkeys_list.sync_detailed(APP, client=fly, types="nacl_sign"), 200, SecretKeys)
    check(sorted(k.name for k in signers.secret_keys) == ["imported", "signing"], f"types=nacl_sign: {signers}")
    shown = expect(secretkey_get.sync_detailed(APP, "signing", client=fly), 200, SecretKey)
    check(shown.type_ == "nacl_sign" and bytes(shown.public_key) == public, f"get: {shown}")
    deleted = expect(secretkey_delete.sync_detailed(APP, "hmac", client=fly), 200, DeleteSecretkeyResponse)
    check(isinstance(deleted.version, int), f"delete: {deleted}")
    expect_error(secretkey_get.sync_detailed(APP, "hmac", client=fly), 404)


def scenario_ip_assignments(fly: AuthenticatedClient) -> None:
    create_app(fly)
    v6 = expect(app_ip_assignments_create.sync_detailed(APP, client=fly, body=AssignIPRequest(type_="v6")), 200, IPAssignment)
    check(ipaddress.ip_address(v6.ip).version == 6 and v6.shared is False, f"v6: {v6}")
    v4 = expect(app_ip_assignments_create.sync_detailed(APP, client=fly, body=AssignIPRequest(type_="v4", region="ord", service_name="web")),
                200, IPAssignment)
    check(ipaddress.ip_address(v4.ip).version == 4 and v4.region == "ord" and v4.service_name == "web", f"v4: {v4}")
    shared = expect(app_ip_assignments_create.sync_detailed(APP, client=fly, body=AssignIPRequest(type_="shared_v4")), 200, IPAssignment)
    check(ipaddress.ip_address(shared.ip).version == 4 and shared.shared is True, f"shared_v4: {shared}")
    expect_error(app_ip_assignments_create.sync_detailed(APP, client=fly, body=AssignIPRequest(type_="shared_v4")), 422, "shared")
    expect_error(app_ip_assignments_create.sync_detailed(APP, client=fly, body=AssignIPRequest(type_="bogus")), 400, "type")

    listed = expect(app_ip_assignments_list.sync_detailed(APP, client=fly), 200, ListIPAssignmentsResponse)
    check(sorted(ip.ip for ip in listed.ips) == sorted([v6.ip, v4.ip, shared.ip]), f"list: {listed}")
    expect(app_ip_assignments_delete.sync_detailed(APP, v4.ip, client=fly), 204)
    after = expect(app_ip_assignments_list.sync_detailed(APP, client=fly), 200, ListIPAssignmentsResponse)
    check(sorted(ip.ip for ip in after.ips) == sorted([v6.ip, shared.ip]), f"after release: {after}")
    expect_error(app_ip_assignments_delete.sync_detailed(APP, v4.ip, client=fly), 404)


def scenario_certificates(fly: AuthenticatedClient) -> None:
    create_app(fly)
    hostname = f"www.{APP}.example.com"
    requested = expect(app_certificates_acme_create.sync_detailed(APP, client=fly, body=CreateAcmeCertificateRequest(hostname=hostname)),
                       201, CertificateDetail)
    check(requested.hostname == hostname and requested.status == "pending_validation", f"requested: {requested}")
    check(requested.acme_requested is True and requested.configured is False, f"requested: {requested}")
    check(requested.dns_requirements.acme_challenge.name == f"_acme-challenge.{hostname}", f"dns: {requested.dns_requirements}")
    expect_error(app_certificates_acme_create.sync_detailed(APP, client=fly, body=CreateAcmeCertificateRequest(hostname=hostname)),
                 422, declared=True)
    expect_error(app_certificates_acme_create.sync_detailed(APP, client=fly, body=CreateAcmeCertificateRequest(hostname="not a hostname")),
                 422, declared=True)
    pending = expect(app_certificates_show.sync_detailed(APP, hostname, client=fly), 200, CertificateDetail)
    check(pending.status == "pending_validation" and all(not c.issued for c in pending.certificates), f"before check: {pending}")
    listed = expect(app_certificates_list.sync_detailed(APP, client=fly), 200, ListCertificatesResponse)
    check([c.hostname for c in listed.certificates] == [hostname] and listed.total_count == 1, f"list: {listed}")

    checked = expect(app_certificates_check.sync_detailed(APP, hostname, client=fly), 200, CertificateCheckResponse)
    check(checked.configured is True and checked.status != "pending_validation", f"check: {checked}")
    check(any(c.issued for c in checked.certificates), f"issued after the check: {checked.certificates}")
    issued = expect(app_certificates_show.sync_detailed(APP, hostname, client=fly), 200, CertificateDetail)
    check(issued.status == checked.status and issued.configured is True, f"after check: {issued}")
    kinds = sorted(i.type_.value for c in issued.certificates for i in c.issued)
    check(kinds == ["ecdsa", "rsa"], f"issued kinds: {kinds}")

    expect(app_certificates_acme_delete.sync_detailed(APP, hostname, client=fly), 200, CertificateDetail)
    expect(app_certificates_delete.sync_detailed(APP, hostname, client=fly), 204)
    expect_error(app_certificates_show.sync_detailed(APP, hostname, client=fly), 404)


def scenario_custom_certificates(fly: AuthenticatedClient) -> None:
    create_app(fly)
    hostname = custom_certificate.HOSTNAME
    upload = CreateCustomCertificateRequest(hostname=hostname, fullchain=custom_certificate.CHAIN, private_key=custom_certificate.KEY)
    uploaded_response = app_certificates_custom_create.sync_detailed(APP, client=fly, body=upload)
    uploaded = expect(uploaded_response, 201, CertificateDetail)
    check(uploaded.hostname == hostname and uploaded.status == "pending_ownership" and uploaded.configured is False, f"upload: {uploaded}")
    entries = [(c.source.value, c.status.value) for c in uploaded.certificates]
    check(entries == [("custom", "pending_ownership")], f"entries after the upload: {entries}")
    check(uploaded.certificates[0].expires_at.startswith("2126-11-12"), f"the chain's notAfter: {uploaded.certificates[0]}")
    check(uploaded.dns_requirements.ownership.name == f"_fly-ownership.{hostname}", f"ownership record: {uploaded.dns_requirements}")
    text = uploaded_response.content.decode()
    check(not any(line in text for line in custom_certificate.KEY_LINES), "the private key came back")

    def refused(**change: str) -> None:
        body = CreateCustomCertificateRequest(**{"hostname": hostname, "fullchain": custom_certificate.CHAIN,
                                                 "private_key": custom_certificate.KEY, **change})
        expect_error(app_certificates_custom_create.sync_detailed(APP, client=fly, body=body), 422, declared=True)

    refused(fullchain=custom_certificate.EXPIRED_CHAIN)
    refused(fullchain="not a certificate")
    refused(private_key="not a key")
    refused(hostname="not a hostname")

    checked = expect(app_certificates_check.sync_detailed(APP, hostname, client=fly), 200, CertificateCheckResponse)
    check(checked.configured is True and checked.status == "active", f"check: {checked}")
    shown = expect(app_certificates_show.sync_detailed(APP, hostname, client=fly), 200, CertificateDetail)
    check([(c.source.value, c.status.value) for c in shown.certificates] == [("custom", "active")], f"after check: {shown}")
    check([c.hostname for c in expect(app_certificates_list.sync_detailed(APP, client=fly), 200, ListCertificatesResponse).certificates]
          == [hostname], "listed")

    # ACME beside the upload: removing the custom one leaves ACME, without a warning.
    expect(app_certificates_acme_create.sync_detailed(APP, client=fly, body=CreateAcmeCertificateRequest(hostname=hostname)),
           201, CertificateDetail)
    expect(app_certificates_check.sync_detailed(APP, hostname, client=fly), 200, CertificateCheckResponse)
    kept = expect(app_certificates_custom_delete.sync_detailed(APP, hostname, client=fly), 200, DestroyCustomCertificateResponse)
    check([c.source.value for c in kept.certificates] == ["fly"] and kept.status == "active" and not kept.warning, f"ACME kept: {kept}")
    expect_error(app_certificates_custom_delete.sync_detailed(APP, hostname, client=fly), 404)

    # Uploaded again and ACME removed: removing the custom one now leaves nothing, and says so.
    expect(app_certificates_custom_create.sync_detailed(APP, client=fly, body=upload), 201, CertificateDetail)
    expect(app_certificates_acme_delete.sync_detailed(APP, hostname, client=fly), 200, CertificateDetail)
    emptied = expect(app_certificates_custom_delete.sync_detailed(APP, hostname, client=fly), 200, DestroyCustomCertificateResponse)
    check(emptied.certificates == [] and emptied.status == "inactive", f"nothing left: {emptied}")
    check(isinstance(emptied.warning, str) and "no active certificate" in emptied.warning, f"warning: {emptied.warning!r}")
    expect(app_certificates_delete.sync_detailed(APP, hostname, client=fly), 204)
    expect_error(app_certificates_show.sync_detailed(APP, hostname, client=fly), 404)


def scenario_platform(fly: AuthenticatedClient) -> None:
    regions = expect(platform_regions_get.sync_detailed(client=fly), 200, MainRegionResponse)
    codes = {r.code: r for r in regions.regions}
    check({"iad", "ord", "ams", "lhr", "fra", "syd"} <= set(codes) and regions.nearest in codes, f"regions: {sorted(codes)}")
    check(all(r.name and isinstance(r.latitude, float) and r.geo_region for r in regions.regions), "every region named and placed")

    request = MainGetPlacementsRequest(org_slug=ORG, count=3, region="lhr,ams",
                                       compute=FlyMachineGuest(cpus=1, memory_mb=256, cpu_kind="shared"))
    placed = expect(platform_placements_post.sync_detailed(client=fly, body=request), 200, MainGetPlacementsResponse)
    check(placed.regions and {p.region for p in placed.regions} <= {"lhr", "ams"}, f"placements: {placed}")
    check(sum(p.count for p in placed.regions) == 3, f"3 machines placed: {placed}")
    europe = expect(platform_placements_post.sync_detailed(client=fly, body=MainGetPlacementsRequest(org_slug=ORG, count=2, region="eu")),
                    200, MainGetPlacementsResponse)
    check(europe.regions and all(codes[p.region].geo_region == "europe" for p in europe.regions), f"eu: {europe}")
    expect_error(platform_placements_post.sync_detailed(client=fly, body=MainGetPlacementsRequest(org_slug=ORG, region="xyz")), 400)


def scenario_delete_app(fly: AuthenticatedClient) -> None:
    create_app(fly)
    volume = expect(volumes_create.sync_detailed(APP, client=fly, body=CreateVolumeRequest(name="data", region="ord", size_gb=1)),
                    200, Volume)
    mounted = new_machine(fly, [FlyMachineMount(volume=volume.id, path="/data")])
    plain = new_machine(fly)
    expect(secret_create.sync_detailed(APP, "TOKEN", client=fly, body=SetAppSecretRequest(value="x")), 201, SetAppSecretResponse)

    expect(apps_delete.sync_detailed(APP, client=fly), 202)
    expect_error(apps_show.sync_detailed(APP, client=fly), 404)
    for machine in (mounted, plain):
        expect_error(machines_show.sync_detailed(APP, machine.id, client=fly), 404)
    expect_error(machines_list.sync_detailed(APP, client=fly), 404)
    expect_error(volumes_get_by_id.sync_detailed(APP, volume.id, client=fly), 404)
    expect_error(volumes_list.sync_detailed(APP, client=fly), 404)
    expect_error(secrets_list.sync_detailed(APP, client=fly), 404)
    check(expect(apps_list.sync_detailed(client=fly, org_slug=ORG), 200, ListAppsResponse).apps == [], "the org lists no app")
    org = expect(volumes_org_list.sync_detailed(ORG, client=fly), 200, OrgVolumesResponse)
    check(volume.id not in [v.id for v in org.volumes], f"org volumes: {org}")

    # The name is free again, and the new app starts empty.
    create_app(fly)
    check(expect(volumes_list.sync_detailed(APP, client=fly), 200, [Volume]) == [], "a new app of the same name has no volume")
    check(expect(machines_list.sync_detailed(APP, client=fly), 200, [Machine]) == [], "a new app of the same name has no machine")


def scenario_access(fly: AuthenticatedClient) -> None:
    create_app(fly)
    expect_error(apps_show.sync_detailed(APP, client=client(token="wrong-token")), 401, "token")
    anonymous = Client(base_url=os.environ["FLY_BASE_URL"], timeout=20, httpx_args=DIRECT)
    expect_error(apps_show.sync_detailed(APP, client=anonymous), 401, "token")
    # The credential operations are not simulated: the document declares 200/401/500 for this one.
    expect_error(current_token_show.sync_detailed(client=fly), 404)
    expect_error(app_create_deploy_token.sync_detailed(APP, client=fly, body=CreateAppDeployTokenRequest(expiry="1h")), 404)


SCENARIOS = {name.removeprefix("scenario_"): value for name, value in globals().items() if name.startswith("scenario_")}

if __name__ == "__main__":
    name = sys.argv[1]
    with client() as fly:
        SCENARIOS[name](fly)
    print(f"scenario {name}: {checks} checks passed")
