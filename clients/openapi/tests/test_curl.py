"""The curl binary drives a real `flygate simulator`: at least one operation of each resource
(apps, IP assignments, volumes, secrets, secret keys, ACME and custom certificates, regions and
placements, and a machine's exec), at the paths Fly's OpenAPI document gives, with each answer's
status and body checked against what the document declares for that operation and status; and
the credential operations, which the simulator does not serve, answer 404.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

import custom_certificate
import ed25519
from document import operation, problems, require_document, response_schema


@dataclass
class Answer:
    status: int
    headers: dict[str, str] = field(default_factory=dict)
    text: str = ""

    @property
    def json(self) -> Any:
        return json.loads(self.text)


@pytest.fixture(scope="module")
def curl_binary() -> str:
    binary = shutil.which("curl")
    if binary is None:
        pytest.fail("no curl in PATH (scripts/test installs Debian's curl)")
    require_document()
    return binary


class Curl:
    def __init__(self, binary: str, simulator: Any, directory: Path) -> None:
        self.binary, self.simulator, self.directory = binary, simulator, directory

    def raw(self, method: str, path: str, body: Any = None, token: str | None = "default") -> Answer:
        """One request with curl (at most 10 s); `token=None` sends no Authorization header."""
        headers, out = self.directory / "headers", self.directory / "body"
        args = [self.binary, "-sS", "--noproxy", "*", "--connect-timeout", "5", "--max-time", "10", "-X", method,
                "-D", str(headers), "-o", str(out), "-w", "%{http_code}"]
        if token is not None:
            args += ["-H", f"Authorization: Bearer {self.simulator.token if token == 'default' else token}"]
        data = None
        if body is not None:
            data = json.dumps(body).encode()
            args += ["-H", "Content-Type: application/json", "--data-binary", "@-"]
        done = subprocess.run(args + [self.simulator.base + path], input=data, capture_output=True, timeout=20)
        assert done.returncode == 0, f"curl {method} {path}: exit {done.returncode}: {done.stderr.decode()}"
        lines = headers.read_text().splitlines()
        parsed = {k.strip().lower(): v.strip() for k, _, v in (line.partition(":") for line in lines[1:] if ":" in line)}
        return Answer(int(done.stdout), parsed, out.read_text())

    def fly(self, operation_id: str, status: int, *, params: dict[str, str] | None = None, query: str = "",
            body: Any = None, token: str | None = "default") -> Answer:
        """The operation at the document's method and path; checks the status and, where the
        document declares that status with a schema, the body against it. A status it does not
        declare must carry Fly's ErrorResponse, `{"error": "..."}`."""
        method, template, _ = operation(operation_id)
        path = re.sub(r"\{(\w+)\}", lambda m: (params or {})[m.group(1)], template) + query
        answer = self.raw(method, path, body, token)
        assert answer.status == status, f"{operation_id} {method} {path}: {answer.status} {answer.text[:400]}"
        declared, schema = response_schema(operation_id, status)
        if schema is not None:
            assert answer.headers.get("content-type", "").startswith("application/json"), answer.headers
            assert problems(answer.json, schema) == [], f"{operation_id} {status}: {answer.text[:400]}"
        elif not declared:
            error = answer.json
            assert isinstance(error, dict) and isinstance(error.get("error"), str) and error["error"], answer.text
            assert problems(error, {"$ref": "#/components/schemas/ErrorResponse"}) == [], answer.text
        return answer


@pytest.fixture
def curl(curl_binary: str, simulator: Any, tmp_path: Path) -> Curl:
    return Curl(curl_binary, simulator, tmp_path)


def new_app(curl: Curl, name: str) -> dict[str, str]:
    curl.fly("Apps_create", 201, body={"name": name, "org_slug": name + "-org"})
    return {"app_name": name}


def test_apps(curl: Curl) -> None:
    created = curl.fly("Apps_create", 201, body={"name": "curl-apps", "org_slug": "curl-apps-org", "network": "default"})
    assert created.json["name"] == "curl-apps" and created.headers.get("fly-request-id"), created
    shown = curl.fly("Apps_show", 200, params={"app_name": "curl-apps"}).json
    assert shown["name"] == "curl-apps" and shown["organization"]["slug"] == "curl-apps-org", shown
    listed = curl.fly("Apps_list", 200, query="?org_slug=curl-apps-org").json
    assert [app["name"] for app in listed["apps"]] == ["curl-apps"] and listed["total_apps"] == 1, listed
    curl.fly("Apps_create", 400, body={"name": "Not_A_Name", "org_slug": "curl-apps-org"})
    curl.fly("Apps_show", 404, params={"app_name": "curl-apps-missing"})


def test_ip_assignments(curl: Curl) -> None:
    app = new_app(curl, "curl-ips")
    ip = curl.fly("App_IPAssignments_create", 200, params=app, body={"type": "v6"}).json["ip"]
    assert ":" in ip
    assert [a["ip"] for a in curl.fly("App_IPAssignments_list", 200, params=app).json["ips"]] == [ip]
    released = curl.fly("App_IPAssignments_delete", 204, params={**app, "ip": ip})
    assert released.text == ""
    curl.fly("App_IPAssignments_delete", 404, params={**app, "ip": ip})
    assert curl.fly("App_IPAssignments_list", 200, params=app).json["ips"] == []


def test_volumes(curl: Curl) -> None:
    app = new_app(curl, "curl-volumes")
    volume = curl.fly("Volumes_create", 200, params=app, body={"name": "data", "region": "ord", "size_gb": 1}).json
    at = {**app, "volume_id": volume["id"]}
    assert curl.fly("Volumes_extend", 200, params=at, body={"size_gb": 2}).json["volume"]["size_gb"] == 2
    curl.fly("Volumes_extend", 400, params=at, body={"size_gb": 1})  # volumes only grow
    curl.fly("createVolumeSnapshot", 200, params=at)
    snapshots = curl.fly("Volumes_list_snapshots", 200, params=at).json
    assert len(snapshots) == 1 and snapshots[0]["id"], snapshots
    machine = curl.fly("Machines_create", 200, params=app, body={
        "region": "ord", "config": {"image": "nginx:1.27", "mounts": [{"volume": volume["id"], "path": "/data"}]}}).json
    assert curl.fly("Volumes_get_by_id", 200, params=at).json["attached_machine_id"] == machine["id"]


def test_secrets(curl: Curl) -> None:
    app = new_app(curl, "curl-secrets")
    curl.fly("Secret_create", 201, params={**app, "secret_name": "DATABASE_URL"}, body={"value": "postgres://u:hunter2@db/x"})
    curl.fly("Secrets_update", 200, params=app, body={"values": {"API_KEY": "k-123"}})
    listed = curl.fly("Secrets_list", 200, params=app)
    assert sorted(s["name"] for s in listed.json["secrets"]) == ["API_KEY", "DATABASE_URL"], listed.text
    assert all(s["digest"] and "value" not in s for s in listed.json["secrets"]), listed.text
    assert "hunter2" not in listed.text and "k-123" not in listed.text
    curl.fly("Secret_create", 400, params={**app, "secret_name": "9LIVES"}, body={"value": "x"})


def test_secret_keys(curl: Curl) -> None:
    app = new_app(curl, "curl-secretkeys")
    key = {**app, "secret_name": "signing"}
    public = bytes(curl.fly("Secretkey_generate", 201, params=key, body={"type": "nacl_sign"}).json["public_key"])
    message = list(b"ship it")
    signature = curl.fly("Secretkey_sign", 200, params=key, body={"plaintext": message}).json["signature"]
    assert ed25519.verify(public, bytes(message), bytes(signature))
    assert curl.fly("Secretkey_verify", 204, params=key, body={"plaintext": message, "signature": signature}).text == ""
    curl.fly("Secretkey_verify", 400, params=key, body={"plaintext": list(b"ship it!"), "signature": signature})

    box = {**app, "secret_name": "box"}
    curl.fly("Secretkey_generate", 201, params=box, body={"type": "nacl_secretbox"})
    ciphertext = curl.fly("Secretkey_encrypt", 200, params=box, body={"plaintext": message}).json["ciphertext"]
    assert curl.fly("Secretkey_decrypt", 200, params=box, body={"ciphertext": ciphertext}).json["plaintext"] == message
    assert sorted(k["name"] for k in curl.fly("Secretkeys_list", 200, params=app).json["secret_keys"]) == ["box", "signing"]


def test_certificates(curl: Curl) -> None:
    app = new_app(curl, "curl-certs")
    host = {**app, "hostname": "api.curl-certs.example.com"}
    requested = curl.fly("App_Certificates_acme_create", 201, params=app, body={"hostname": host["hostname"]}).json
    assert requested["status"] == "pending_validation", requested
    checked = curl.fly("App_Certificates_check", 200, params=host).json
    assert checked["configured"] and any(c["issued"] for c in checked["certificates"]), checked
    shown = curl.fly("App_Certificates_show", 200, params=host).json
    assert shown["status"] == checked["status"] != "pending_validation", shown
    curl.fly("App_Certificates_acme_create", 422, params=app, body={"hostname": host["hostname"]})


def test_custom_certificates(curl: Curl) -> None:
    app = new_app(curl, "curl-custom-certs")
    host = {**app, "hostname": custom_certificate.HOSTNAME}
    upload = {"hostname": host["hostname"], "fullchain": custom_certificate.CHAIN, "private_key": custom_certificate.KEY}
    uploaded = curl.fly("App_Certificates_custom_create", 201, params=app, body=upload)
    assert uploaded.json["status"] == "pending_ownership", uploaded.text
    assert [(c["source"], c["status"]) for c in uploaded.json["certificates"]] == [("custom", "pending_ownership")], uploaded.text
    assert not any(line in uploaded.text for line in custom_certificate.KEY_LINES), "the private key came back"
    curl.fly("App_Certificates_custom_create", 422, params=app, body={**upload, "fullchain": custom_certificate.EXPIRED_CHAIN})
    curl.fly("App_Certificates_custom_create", 422, params=app, body={**upload, "private_key": "not a key"})
    checked = curl.fly("App_Certificates_check", 200, params=host).json
    assert checked["status"] == "active" and checked["configured"], checked
    removed = curl.fly("App_Certificates_custom_delete", 200, params=host).json
    assert removed["status"] == "inactive" and removed["certificates"] == [] and "no active certificate" in removed["warning"], removed
    curl.fly("App_Certificates_custom_delete", 404, params=host)


def test_machine_exec(curl: Curl) -> None:
    # Here rather than in the generated client's scenarios: the document gives Machines_exec's 200
    # an application/octet-stream body first, and openapi-python-client 0.29.1 then hands the raw
    # bytes to ExecResponse.from_dict, which cannot parse them.
    app = new_app(curl, "curl-exec")
    machine = curl.fly("Machines_create", 200, params=app, body={"region": "ord", "config": {"image": "nginx:1.27"}}).json
    at = {**app, "machine_id": machine["id"]}
    waited = curl.fly("Machines_wait", 200, params=at, query="?state=started&timeout=10").json
    assert waited["ok"] and waited["state"] == "started", waited
    done = curl.fly("Machines_exec", 200, params=at, body={"command": ["cat"], "stdin": "over the wire"}).json
    assert done["stdout"] == "over the wire" and done["exit_code"] == 0, done
    failed = curl.fly("Machines_exec", 200, params=at, body={"command": ["sh", "-c", "exit 3"]}).json
    assert failed["exit_code"] == 3, failed


def test_regions_and_placements(curl: Curl) -> None:
    regions = curl.fly("Platform_regions_get", 200).json
    codes = {r["code"] for r in regions["regions"]}
    assert {"iad", "ord", "lhr"} <= codes and regions["nearest"] in codes, regions
    placed = curl.fly("Platform_placements_post", 200, body={"org_slug": "curl-org", "count": 2, "region": "lhr"}).json
    assert [(p["region"], p["count"]) for p in placed["regions"]] == [("lhr", 2)], placed
    curl.fly("Platform_placements_post", 400, body={"org_slug": "curl-org", "region": "nowhere"})


def test_delete_app(curl: Curl) -> None:
    app = new_app(curl, "curl-delete")
    volume = curl.fly("Volumes_create", 200, params=app, body={"name": "data", "region": "ord", "size_gb": 1}).json
    machine = curl.fly("Machines_create", 200, params=app, body={"config": {"image": "nginx:1.27"}}).json
    assert curl.fly("Apps_delete", 202, params=app).text == ""
    curl.fly("Apps_show", 404, params=app)
    curl.fly("Machines_show", 404, params={**app, "machine_id": machine["id"]})
    curl.fly("Volumes_get_by_id", 404, params={**app, "volume_id": volume["id"]})


def test_credential_operations_are_not_served(curl: Curl) -> None:
    new_app(curl, "curl-tokens")
    curl.fly("CurrentToken_show", 404)
    curl.fly("App_create_deploy_token", 404, params={"app_name": "curl-tokens"}, body={"expiry": "1h"})
    for operation_id in ("Tokens_authenticate", "Tokens_authorize", "Tokens_request_Kms", "Tokens_request_OIDC"):
        assert curl.raw(operation(operation_id)[0], operation(operation_id)[1], body={}).status == 404, operation_id


def test_a_token_is_required(curl: Curl) -> None:
    new_app(curl, "curl-auth")
    for token in (None, "wrong-token"):
        refused = curl.fly("Apps_show", 401, params={"app_name": "curl-auth"}, token=token)
        assert refused.json == {"error": "Authenticate: token validation error"}, refused.text
