"""Every rpc of every flygate service (Machines, Apps, Volumes, Secrets, Certificates, Platform,
Gateway) over standard gRPC.

    python3 example.py SOCKET APP      (the stubs of generate.sh first on sys.path)

Imports only grpc and the generated stubs. Prints one JSON line per call:
{"rpc": name, "code": status code name, "summary": small stable fields of the answer}.
`run(call, app)` is the sequence; `call(service, method, request)` answers (code name, response).
"""

from __future__ import annotations

import json
import sys

from flygate.apps.v1 import apps_pb2 as a
from flygate.certificates.v1 import certificates_pb2 as c
from flygate.gateway.v1 import gateway_pb2 as g
from flygate.machines.v1 import machines_pb2 as m
from flygate.platform.v1 import platform_pb2 as p
from flygate.secrets.v1 import secrets_pb2 as s
from flygate.volumes.v1 import volumes_pb2 as v

TIMEOUT = 20
MACHINES = "flygate.machines.v1.Machines"
GATEWAY = "flygate.gateway.v1.Gateway"
APPS = "flygate.apps.v1.Apps"
VOLUMES = "flygate.volumes.v1.Volumes"
SECRETS = "flygate.secrets.v1.Secrets"
CERTIFICATES = "flygate.certificates.v1.Certificates"
PLATFORM = "flygate.platform.v1.Platform"
SERVICES = {
    MACHINES: "Machines", GATEWAY: "Gateway", APPS: "Apps", VOLUMES: "Volumes", SECRETS: "Secrets",
    CERTIFICATES: "Certificates", PLATFORM: "Platform",
}

# A self-signed P-256 certificate for custom.example.com and its key, made for this example only.
CUSTOM_CHAIN = """-----BEGIN CERTIFICATE-----
MIIBkTCCATegAwIBAgIUW5IfZ2gNTBd/SGxnx72ibMdw/iQwCgYIKoZIzj0EAwIw
HTEbMBkGA1UEAwwSY3VzdG9tLmV4YW1wbGUuY29tMCAXDTI2MTIwNjE2NDMwNFoY
DzIxMjYxMTEyMTY0MzA0WjAdMRswGQYDVQQDDBJjdXN0b20uZXhhbXBsZS5jb20w
WTATBgcqhkjOPQIBBggqhkjOPQMBBwNCAASQrSMHqx+ekQXWqaMVnu9j2Q5AaosG
VmDC9qfh+8pIwNlP9131cNIisO1anra3Z+V3ehOa8wK3tgxlMQl658ufo1MwUTAd
BgNVHQ4EFgQUWfO20x74RCGmMRhzB2x6bjQYKtkwHwYDVR0jBBgwFoAUWfO20x74
RCGmMRhzB2x6bjQYKtkwDwYDVR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBF
AiEA4R87mYe108IgGcgdkdbmd6Xt24dhPt/uV6Ekd6syHB4CIBQF+X5gKlcmJU/R
YJpbIKXo6EoIO58QguwDuT7NWU4i
-----END CERTIFICATE-----
"""
CUSTOM_KEY = """-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzs/qnUkR+AXjfnxp
6g8PO7lGB8o+AK7Lunx41IC/pN+hRANCAASQrSMHqx+ekQXWqaMVnu9j2Q5AaosG
VmDC9qfh+8pIwNlP9131cNIisO1anra3Z+V3ehOa8wK3tgxlMQl658uf
-----END PRIVATE KEY-----
"""


def run(call, app: str, emit) -> None:
    def do(method, request, summarize=lambda r: None, service=MACHINES, label=None):
        code, response = call(service, method, request)
        summary = summarize(response) if code == "OK" else None
        emit({"rpc": label or method, "method": method, "code": code, "summary": summary})
        return response

    config = {"image": "nginx:1.27", "guest": {"cpus": 1, "memory_mb": 256}}
    created = do("Create", m.CreateRequest(app_name=app, body={"name": "web-1", "config": config}),
                 lambda r: {"name": r.body.name, "image": r.body.config.image, "id_len": len(r.body.id)})
    mid = created.body.id
    t = {"app_name": app, "machine_id": mid}

    def wait(state, label):
        do("Wait", m.WaitRequest(**t, state=[state], timeout=10), lambda r: {"ok": r.body.ok}, label=label)

    wait("started", "Wait started")
    do("Show", m.ShowRequest(**t), lambda r: {"state": r.body.state, "image": r.body.config.image})
    do("List", m.ListRequest(app_name=app), lambda r: {"count": len(r.body), "names": [x.name for x in r.body]})
    do("ListOrgMachines", m.ListOrgMachinesRequest(org_slug="personal"),
       lambda r: {"has": any(x.id == mid for x in r.body.machines)})
    do("Exec", m.ExecRequest(**t, body={"command": ["cat"], "stdin": "hello\n"}),
       lambda r: {"stdout": r.body.stdout, "exit_code": r.body.exit_code})
    do("ListProcesses", m.ListProcessesRequest(**t), lambda r: {"nonempty": len(r.body) >= 1})
    do("Signal", m.SignalRequest(**t, body={"signal": "SIGUSR1"}))
    do("GetMemory", m.GetMemoryRequest(**t), lambda r: {"limit_mb": r.body.limit_mb})
    do("SetMemoryLimit", m.SetMemoryLimitRequest(**t, body={"limit_mb": 128}), lambda r: {"limit_mb": r.body.limit_mb})
    do("ReclaimMemory", m.ReclaimMemoryRequest(**t, body={"amount_mb": 16}), lambda r: {"has": r.body.HasField("actual_mb")})
    do("UpdateMetadata", m.UpdateMetadataRequest(**t, key="role", body={"value": "primary"}))
    do("GetMetadataKey", m.GetMetadataKeyRequest(**t, key="role"), lambda r: {"value": r.body.value})
    do("PatchMetadata", m.PatchMetadataRequest(**t, body={"metadata": {"zone": "b"}}))
    do("ShowMetadata", m.ShowMetadataRequest(**t), lambda r: dict(sorted(r.body.items())))
    do("DeleteMetadata", m.DeleteMetadataRequest(**t, key="zone"))
    do("ShowMetadata", m.ShowMetadataRequest(**t), lambda r: dict(sorted(r.body.items())), label="ShowMetadata after delete")
    do("Cordon", m.CordonRequest(**t))
    do("Uncordon", m.UncordonRequest(**t))
    lease = do("CreateLease", m.CreateLeaseRequest(**t, body={"ttl": 30, "description": "example"}),
               lambda r: {"has_nonce": bool(r.body.nonce)})
    nonce = lease.body.nonce if lease is not None else ""
    do("ShowLease", m.ShowLeaseRequest(**t), lambda r: {"same_nonce": r.body.nonce == nonce})
    do("ListLeases", g.ListLeasesRequest(), lambda r: {"nonce_leaked": any(x.nonce_prefix == nonce for x in r.leases)},
       service=GATEWAY)
    do("Signal", m.SignalRequest(**t, lease_nonce="wrong-nonce", body={"signal": "SIGUSR1"}), label="Signal wrong nonce")
    do("Signal", m.SignalRequest(**t, lease_nonce=nonce, body={"signal": "SIGUSR1"}), label="Signal with nonce")
    do("ReleaseLease", m.ReleaseLeaseRequest(**t, lease_nonce=nonce))
    shown = do("Show", m.ShowRequest(**t), lambda r: {"state": r.body.state}, label="Show before update")
    new_config = m.MachineConfig()
    if shown is not None:
        new_config.CopyFrom(shown.body.config)
    new_config.image = "nginx:1.28"
    do("Update", m.UpdateRequest(**t, body={"config": new_config}), lambda r: {"image": r.body.config.image})
    wait("started", "Wait started after update")
    do("ListVersions", m.ListVersionsRequest(**t), lambda r: {"count": len(r.body)})
    do("ListEvents", m.ListEventsRequest(**t, limit=50),
       lambda r: {"has_update_or_launch": any(e.type in ("update", "launch") for e in r.body)})
    do("Stop", m.StopRequest(**t, body={"signal": "SIGTERM", "timeout": "5s"}))
    wait("stopped", "Wait stopped")
    do("Start", m.StartRequest(**t), lambda r: {"previous_state": r.body.previous_state})
    wait("started", "Wait started after start")
    do("Restart", m.RestartRequest(**t))
    wait("started", "Wait started after restart")
    do("Suspend", m.SuspendRequest(**t))
    wait("suspended", "Wait suspended")
    do("Health", g.HealthRequest(), lambda r: {"status": r.status, "simulator": r.simulator}, service=GATEWAY)
    do("Stats", g.StatsRequest(), lambda r: {"has_methods": len(r.methods) > 0}, service=GATEWAY)
    # Errors.
    do("Show", m.ShowRequest(app_name=app, machine_id="0123456789abcd"), label="Show missing machine")
    do("Show", m.ShowRequest(app_name=app), label="Show without machine_id")
    do("Wait", m.WaitRequest(**t, state=["bogus"], timeout=1), label="Wait invalid state")
    do("Delete", m.DeleteRequest(**t, force=True))
    wait("destroyed", "Wait destroyed")
    run_other_services(do, app + "-all")


def run_other_services(do, app: str) -> None:
    """Every rpc of Apps, Volumes, Secrets, Certificates and Platform, on an app of its own."""
    on = {"app_name": app}
    do("CreateApp", a.CreateAppRequest(body={"name": app, "org_slug": "personal"}), service=APPS)
    do("ListApps", a.ListAppsRequest(org_slug="personal"), lambda r: {"has": any(x.name == app for x in r.body.apps)},
       service=APPS)
    do("ShowApp", a.ShowAppRequest(**on), lambda r: {"same_name": r.body.name == app}, service=APPS)
    ip = do("CreateIPAssignment", a.CreateIPAssignmentRequest(**on, body={"type": "v6"}),
            lambda r: {"has_ip": bool(r.body.ip)}, service=APPS)
    do("ListIPAssignments", a.ListIPAssignmentsRequest(**on), lambda r: {"count": len(r.body.ips)}, service=APPS)
    do("DeleteIPAssignment", a.DeleteIPAssignmentRequest(**on, ip=ip.body.ip if ip else "::1"), service=APPS)

    volume = do("CreateVolume", v.CreateVolumeRequest(**on, body={"name": "data", "region": "ord", "size_gb": 1}),
                lambda r: {"size_gb": r.body.size_gb}, service=VOLUMES)
    vol = {**on, "volume_id": volume.body.id if volume else "vol_missing"}
    do("ListVolumes", v.ListVolumesRequest(**on), lambda r: {"count": len(r.body)}, service=VOLUMES)
    do("GetVolume", v.GetVolumeRequest(**vol), lambda r: {"name": r.body.name}, service=VOLUMES)
    do("UpdateVolume", v.UpdateVolumeRequest(**vol, body={"snapshot_retention": 7}),
       lambda r: {"snapshot_retention": r.body.snapshot_retention}, service=VOLUMES)
    do("ExtendVolume", v.ExtendVolumeRequest(**vol, body={"size_gb": 2}), lambda r: {"size_gb": r.body.volume.size_gb},
       service=VOLUMES)
    do("CreateVolumeSnapshot", v.CreateVolumeSnapshotRequest(**vol), service=VOLUMES)
    do("ListVolumeSnapshots", v.ListVolumeSnapshotsRequest(**vol), lambda r: {"count": len(r.body)}, service=VOLUMES)
    do("ListOrgVolumes", v.ListOrgVolumesRequest(org_slug="personal"),
       lambda r: {"has": any(x.id == vol["volume_id"] for x in r.body.volumes)}, service=VOLUMES)
    do("DeleteVolume", v.DeleteVolumeRequest(**vol), service=VOLUMES)

    do("CreateSecret", s.CreateSecretRequest(**on, secret_name="API_KEY", body={"value": "example-value"}),
       lambda r: {"name": r.body.name, "value_returned": r.body.HasField("value")}, service=SECRETS)
    do("UpdateSecrets", s.UpdateSecretsRequest(**on, body={"values": {"OTHER": "other-value"}}), service=SECRETS)
    do("ListSecrets", s.ListSecretsRequest(**on),
       lambda r: {"names": sorted(x.name for x in r.body.secrets), "values": [x.value for x in r.body.secrets if x.value]},
       service=SECRETS)
    do("GetSecret", s.GetSecretRequest(**on, secret_name="API_KEY"),
       lambda r: {"name": r.body.name, "has_digest": bool(r.body.digest)}, service=SECRETS)
    do("DeleteSecret", s.DeleteSecretRequest(**on, secret_name="OTHER"), service=SECRETS)
    key = {**on, "secret_name": "signer"}
    do("GenerateSecretKey", s.GenerateSecretKeyRequest(**key, body={"type": "nacl_sign"}),
       lambda r: {"type": r.body.type}, service=SECRETS)
    do("SetSecretKey", s.SetSecretKeyRequest(**on, secret_name="mac", body={"type": "hs256", "value": list(b"k" * 32)}),
       lambda r: {"type": r.body.type}, service=SECRETS)
    do("ListSecretKeys", s.ListSecretKeysRequest(**on), lambda r: {"names": sorted(x.name for x in r.body.secret_keys)},
       service=SECRETS)
    do("GetSecretKey", s.GetSecretKeyRequest(**key), lambda r: {"type": r.body.type}, service=SECRETS)
    signed = do("Sign", s.SignRequest(**key, body={"plaintext": list(b"hello")}),
                lambda r: {"has_signature": len(r.body.signature) > 0}, service=SECRETS)
    signature = list(signed.body.signature) if signed else []
    do("Verify", s.VerifyRequest(**key, body={"plaintext": list(b"hello"), "signature": signature}), service=SECRETS)
    do("Verify", s.VerifyRequest(**key, body={"plaintext": list(b"hello!"), "signature": signature}), service=SECRETS,
       label="Verify tampered")
    box = {**on, "secret_name": "box"}
    do("GenerateSecretKey", s.GenerateSecretKeyRequest(**box, body={"type": "nacl_secretbox"}),
       lambda r: {"type": r.body.type}, service=SECRETS, label="GenerateSecretKey secretbox")
    sealed = do("Encrypt", s.EncryptRequest(**box, body={"plaintext": list(b"hello")}),
                lambda r: {"has_ciphertext": len(r.body.ciphertext) > 5}, service=SECRETS)
    do("Decrypt", s.DecryptRequest(**box, body={"ciphertext": list(sealed.body.ciphertext) if sealed else []}),
       lambda r: {"plaintext": bytes(r.body.plaintext).decode()}, service=SECRETS)
    do("DeleteSecretKey", s.DeleteSecretKeyRequest(**on, secret_name="mac"), service=SECRETS)

    www, api, custom = "www.example.com", "api.example.com", "custom.example.com"
    do("CreateAcmeCertificate", c.CreateAcmeCertificateRequest(**on, body={"hostname": www}),
       lambda r: {"status": r.body.status}, service=CERTIFICATES)
    do("CheckCertificate", c.CheckCertificateRequest(**on, hostname=www), lambda r: {"hostname": r.body.hostname},
       service=CERTIFICATES)
    do("ShowCertificate", c.ShowCertificateRequest(**on, hostname=www), lambda r: {"status": r.body.status},
       service=CERTIFICATES)
    do("CreateAcmeCertificate", c.CreateAcmeCertificateRequest(**on, body={"hostname": api}), service=CERTIFICATES,
       label="CreateAcmeCertificate api")
    do("CreateCustomCertificate", c.CreateCustomCertificateRequest(
        **on, body={"hostname": custom, "fullchain": CUSTOM_CHAIN, "private_key": CUSTOM_KEY}),
       lambda r: {"hostname": r.body.hostname}, service=CERTIFICATES)
    do("ListCertificates", c.ListCertificatesRequest(**on),
       lambda r: {"hostnames": sorted(x.hostname for x in r.body.certificates)}, service=CERTIFICATES)
    do("DeleteAcmeCertificate", c.DeleteAcmeCertificateRequest(**on, hostname=api), service=CERTIFICATES)
    do("DeleteCustomCertificate", c.DeleteCustomCertificateRequest(**on, hostname=custom), service=CERTIFICATES)
    do("DeleteCertificate", c.DeleteCertificateRequest(**on, hostname=www), service=CERTIFICATES)

    do("ListRegions", p.ListRegionsRequest(), lambda r: {"has_ord": any(x.code == "ord" for x in r.body.regions)},
       service=PLATFORM)
    do("GetPlacements", p.GetPlacementsRequest(body={"region": "ord", "count": 1, "org_slug": "personal"}),
       lambda r: {"regions": sorted(x.region for x in r.body.regions)}, service=PLATFORM)

    do("DeleteApp", a.DeleteAppRequest(**on), service=APPS)
    do("ShowApp", a.ShowAppRequest(**on), service=APPS, label="ShowApp after delete")


def main() -> int:
    import grpc

    import importlib

    socket, app = sys.argv[1], sys.argv[2]
    with grpc.insecure_channel(f"unix://{socket}") as channel:
        stubs = {}
        for service, name in SERVICES.items():
            package = service.rsplit(".", 1)[0]  # flygate.apps.v1
            module = importlib.import_module(f"{package}.{package.split('.')[1]}_pb2_grpc")
            stubs[service] = getattr(module, f"{name}Stub")(channel)

        def call(service, method, request):
            try:
                return "OK", getattr(stubs[service], method)(request, timeout=TIMEOUT)
            except grpc.RpcError as error:
                return error.code().name, None

        run(call, app, lambda line: print(json.dumps(line), flush=True))
    return 0


if __name__ == "__main__":
    sys.exit(main())
