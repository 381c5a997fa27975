"""A Python client generated from Fly's OpenAPI document (openapi-python-client, pinned) drives a
real `flygate simulator`: apps, a machine's whole life, volumes with snapshots and a mounting
machine, secrets, secret keys (real signatures, round-tripping encryption), IP assignments, ACME
and custom certificates, regions and placements, and deleting an app with everything in it. Each scenario is in fly_generated.py
and runs under the generator's own virtual environment, against its own app.
"""

from __future__ import annotations

import pytest

SCENARIOS = ["apps", "machines", "volumes", "secrets", "secretkeys", "ip_assignments", "certificates", "custom_certificates",
             "platform", "delete_app", "access"]


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_generated_client(run_scenario, scenario: str) -> None:
    output = run_scenario(scenario, app="gen-" + scenario.replace("_", "-"))
    checks = int(output.strip().splitlines()[-1].split(": ")[1].split()[0])
    assert checks >= 5, output


def test_every_scenario_is_run() -> None:
    """The list above names every scenario of fly_generated.py (read as text: it imports the
    generated client, which this interpreter must not)."""
    from pathlib import Path
    import re

    source = (Path(__file__).parent / "fly_generated.py").read_text()
    assert sorted(re.findall(r"^def scenario_(\w+)\(", source, re.M)) == sorted(SCENARIOS)
