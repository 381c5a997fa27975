"""The Go gRPC client (clients/go) against a real daemon: google.golang.org/grpc with stubs from
protoc-gen-go and protoc-gen-go-grpc, checked through the ttrpc Python client."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest

import flygate
from go_programs import GO_DIR, run
from daemons import Daemon


def test_sources_are_gofmt_clean() -> None:
    gofmt = shutil.which("gofmt")
    if gofmt is None:
        pytest.fail("gofmt is missing (it comes with golang-go)")
    done = run([gofmt, "-l", str(GO_DIR)], timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout == "", f"not gofmt-formatted:\n{done.stdout}"


def test_example_drives_a_machine_from_create_to_stopped(programs: Path, daemon: Daemon) -> None:
    app = "go-grpc-example"
    done = run([str(programs / "flygate-grpc-example"), "-socket", daemon.socket, "-app", app], timeout=120)
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    assert done.stderr == ""
    lines = done.stdout.splitlines()
    assert len(lines) == 7, done.stdout
    assert re.fullmatch(r"health: serving, flygate \S+, simulator true", lines[0]), lines[0]
    created = re.fullmatch(rf"created: machine ([0-9a-z]+) in app {app}, state \S+", lines[1])
    assert created, lines[1]
    machine_id = created.group(1)
    assert lines[2:] == [
        f"waited: machine {machine_id} is started",
        f"listed: app {app} has 1 machine(s), {machine_id} among them, state started",
        f"stop: machine {machine_id}, ok true",
        f"waited: machine {machine_id} is stopped",
        f"done: machine {machine_id} in app {app} is stopped",
    ]

    # What the Go client did, seen through the other protocol on the same socket.
    with flygate.Client(daemon.socket, timeout=30) as client:
        assert client.show(app_name=app, machine_id=machine_id).body.state == "stopped"
        listed = client.list(app_name=app).body
        assert [machine.id for machine in listed] == [machine_id]
        assert listed[0].config.image == "nginx:1.27"
        assert listed[0].config.guest.cpus == 1
        assert listed[0].config.guest.memory_mb == 256


def test_example_names_the_step_and_code_of_a_failure(programs: Path, daemon: Daemon) -> None:
    # An app name that would change the REST path: the daemon refuses it itself.
    done = run([str(programs / "flygate-grpc-example"), "-socket", daemon.socket, "-app", "../x"], timeout=60)
    assert done.returncode == 1, done.stdout + done.stderr
    assert done.stderr.startswith("flygate-grpc-example: create: InvalidArgument: "), done.stderr


def test_example_without_a_daemon_fails_fast(programs: Path, tmp_path: Path) -> None:
    done = run(
        [str(programs / "flygate-grpc-example"), "-socket", str(tmp_path / "none.sock"), "-timeout", "5s"], timeout=30)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("flygate-grpc-example: health: Unavailable: "), done.stderr
    assert "no such file or directory" in done.stderr


def load(programs: Path, *args: str) -> dict[str, object]:
    done = run([str(programs / "flygate-grpc-load"), *args], timeout=60)
    assert done.returncode == 0, f"exit {done.returncode}\n{done.stdout}\n{done.stderr}"
    lines = done.stdout.splitlines()
    assert len(lines) == 1, done.stdout
    return json.loads(lines[0])


def test_load_on_health(programs: Path, daemon: Daemon) -> None:
    report = load(programs, "-socket", daemon.socket, "-method", "health", "-connections", "2", "-inflight", "4",
                  "-duration", "1")
    assert report["errors"] == 0, report
    assert report["calls"] > 0
    assert report["connections"] == 2 and report["inflight"] == 4
    assert 1 <= report["seconds"] < 10
    assert report["calls_per_second"] == pytest.approx(report["calls"] / report["seconds"], rel=0.01)
    assert 0 < report["p50_us"] <= report["p90_us"] <= report["p99_us"]
    assert report["percentiles_us"]["p50"] == report["p50_us"]


def test_load_on_show(programs: Path, daemon: Daemon) -> None:
    with flygate.Client(daemon.socket, timeout=30) as client:
        machine_id = client.create(app_name="go-grpc-load", body={"config": {"image": "nginx:1.27"}}).body.id
    report = load(programs, "-socket", daemon.socket, "-method", "show", "-app", "go-grpc-load", "-machine", machine_id,
                  "-duration", "1")
    assert report["errors"] == 0, report
    assert report["calls"] > 0


def test_load_reports_a_failing_warm_up(programs: Path, daemon: Daemon) -> None:
    done = run([str(programs / "flygate-grpc-load"), "-socket", daemon.socket, "-method", "show", "-app",
                "go-grpc-load", "-machine", "0123456789abcd", "-duration", "1"], timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "warm-up call 1 on connection 1: " in done.stderr and "NotFound" in done.stderr, done.stderr


def test_load_makes_the_calls_asked_for(programs: Path, daemon: Daemon) -> None:
    # 50 calls shared out among 2 × 4 goroutines (the first two make 7, the rest 6), after 3
    # warm-up calls per connection; the duration is only the upper bound.
    report = load(programs, "-socket", daemon.socket, "-method", "health", "-connections", "2", "-inflight", "4",
                  "-calls", "50", "-warmup", "3", "-duration", "30")
    assert report["errors"] == 0, report
    assert report["calls"] == 50
    assert report["ended_by"] == "calls"
    assert report["seconds"] < 30
    assert "daemon_cpu_seconds" not in report


def test_load_stops_at_the_duration_before_the_calls(programs: Path, daemon: Daemon) -> None:
    report = load(programs, "-socket", daemon.socket, "-method", "health", "-calls", "10000000", "-duration", "1")
    assert report["errors"] == 0, report
    assert 0 < report["calls"] < 10_000_000
    assert report["ended_by"] == "duration"
    assert 1 <= report["seconds"] < 10


def test_load_reports_the_daemons_cpu_time(programs: Path, daemon: Daemon) -> None:
    pid = daemon.process.process.pid
    report = load(programs, "-socket", daemon.socket, "-method", "health", "-inflight", "4", "-duration", "1",
                  "-daemon-pid", str(pid))
    assert report["errors"] == 0, report
    # A second of calls costs the daemon more than one 10 ms clock tick, and less than the
    # two cores' worth of the run.
    assert 0 < report["daemon_cpu_seconds"] <= 2 * report["seconds"] + 0.1, report


def test_load_bounds_the_warm_up_in_time(programs: Path, daemon: Daemon) -> None:
    with flygate.Client(daemon.socket, timeout=30) as client:
        machine_id = client.create(app_name="go-grpc-load", body={"config": {"image": "nginx:1.27"}}).body.id
    done = run([str(programs / "flygate-grpc-load"), "-socket", daemon.socket, "-method", "show", "-app", "go-grpc-load",
                "-machine", machine_id, "-warmup", "1000000", "-warmup-limit", "500ms", "-duration", "1"], timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    assert "the warm-up did not finish within 500ms" in done.stderr, done.stderr


def test_load_refuses_a_daemon_pid_it_cannot_read(programs: Path, daemon: Daemon) -> None:
    done = run([str(programs / "flygate-grpc-load"), "-socket", daemon.socket, "-daemon-pid", "999999999",
                "-duration", "1"], timeout=60)
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.startswith("flygate-grpc-load: -daemon-pid: "), done.stderr
