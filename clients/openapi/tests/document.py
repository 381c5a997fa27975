"""What Fly's OpenAPI document declares for an operation, and a small check of a JSON body
against a schema of it (type, properties, additionalProperties, items, allOf, $ref, enum),
standard library only, for the curl tests.
"""

from __future__ import annotations

import json
import os
from functools import cache
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parents[3]
DOCUMENT = Path(os.environ.get("FLY_OPENAPI") or REPO.parent / "shared" / "fly-machines-openapi.json")


def require_document() -> None:
    if not DOCUMENT.is_file():
        pytest.fail(f"Fly's OpenAPI document is not at {DOCUMENT} (it is shared/fly-machines-openapi.json beside "
                    "the repository; FLY_OPENAPI names another place)")


@cache
def document() -> dict[str, Any]:
    return json.loads(DOCUMENT.read_text())


def operation(operation_id: str) -> tuple[str, str, dict[str, Any]]:
    """(method, path, operation object) of an operationId."""
    for path, item in document()["paths"].items():
        for method, value in item.items():
            if isinstance(value, dict) and value.get("operationId") == operation_id:
                return method.upper(), path, value
    raise KeyError(f"no operation {operation_id} in the document")


def response_schema(operation_id: str, status: int) -> tuple[bool, dict[str, Any] | None]:
    """Whether the document declares `status` for the operation, and its JSON schema if any."""
    responses = operation(operation_id)[2].get("responses", {})
    declared = responses.get(str(status))
    if declared is None:
        return False, None
    return True, declared.get("content", {}).get("application/json", {}).get("schema")


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        name = schema["$ref"].removeprefix("#/components/schemas/")
        schema = document()["components"]["schemas"][name]
    return schema


def problems(value: Any, schema: dict[str, Any], path: str = "body") -> list[str]:
    """What in `value` the schema does not allow (empty: it conforms)."""
    schema = _resolve(schema)
    found: list[str] = []
    for part in schema.get("allOf", []):
        found += problems(value, part, path)
    if "enum" in schema and value not in schema["enum"]:
        found.append(f"{path}: {value!r} is not one of {schema['enum']}")
    kind = schema.get("type")
    python = {"object": dict, "array": list, "string": str, "boolean": bool, "integer": int, "number": (int, float)}
    if kind in python and (not isinstance(value, python[kind]) or (kind in ("integer", "number") and isinstance(value, bool))):
        return found + [f"{path}: {type(value).__name__}, not {kind}"]
    if isinstance(value, dict) and (kind == "object" or "properties" in schema):
        properties = schema.get("properties", {})
        extra = schema.get("additionalProperties")
        for key, member in value.items():
            if key in properties:
                found += problems(member, properties[key], f"{path}.{key}")
            elif isinstance(extra, dict):
                found += problems(member, extra, f"{path}.{key}")
            elif properties and extra is not True:
                found.append(f"{path}.{key}: not declared")
        found += [f"{path}.{key}: required, missing" for key in schema.get("required", []) if key not in value]
    if isinstance(value, list) and "items" in schema:
        for index, item in enumerate(value):
            found += problems(item, schema["items"], f"{path}[{index}]")
    return found
