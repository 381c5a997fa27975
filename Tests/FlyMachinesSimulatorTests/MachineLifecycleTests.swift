import FlyGateJSON
import FlyMachinesSimulator
import Testing

@Suite("Machine lifecycle over HTTP")
struct MachineLifecycleTests {
    @Test("create answers a Fly-shaped machine that goes created -> starting -> started", .timeLimit(.minutes(1)))
    func createLaunches() async throws {
        try await SimulatorHarness.with { sim async throws in
            let machine = try await sim.createMachine(
                extra: ["region": "ams", "name": "web-1", "config": [
                    "image": "nginx:1.25", "future_field": ["nested": [1, .number("2.50"), "x"]],
                    "services": [["internal_port": 8080, "autostop": "stop", "autostart": true]],
                ]])
            let id = try #require(machine["id"]?.stringValue)
            #expect(id.count == 14 && id.allSatisfy(\.isHexDigit))
            let version = try #require(machine["instance_id"]?.stringValue)
            #expect(version.count == 26)
            #expect(machine["state"] == "created")
            #expect(machine["region"] == "ams")
            #expect(machine["name"] == "web-1")
            #expect(machine["private_ip"]?.stringValue?.hasPrefix("fdaa:") == true)
            #expect(machine["created_at"]?.stringValue.flatMap(WallClock.init(rfc3339:)) != nil)
            #expect(machine["image_ref"]?["registry"] == "docker-hub-mirror.fly.io")
            #expect(machine["image_ref"]?["repository"] == "library/nginx")
            #expect(machine["image_ref"]?["tag"] == "1.25")
            #expect(machine["image_ref"]?["digest"]?.stringValue?.hasPrefix("sha256:") == true)
            // Unknown members survive at any depth; numbers keep their text.
            #expect(machine["config"]?["future_field"]?.serialized == #"{"nested":[1,2.50,"x"]}"#)
            // Fly answers autostop "stop" as true.
            #expect(machine["config"]?["services"]?.arrayValue?.first?["autostop"] == true)

            let wait = try await sim.wait("demo", id, "started")
            #expect(wait.status == 200)
            let answer = try wait.json
            #expect(answer["ok"] == true)
            #expect(answer["state"] == "started")
            #expect(answer["version"]?.stringValue == version)
            #expect(answer["event_id"]?.stringValue?.count == 26)

            let events = try await sim.send(.GET, "/apps/demo/machines/\(id)/events").json.arrayValue ?? []
            #expect(events.map { $0["status"]?.stringValue ?? "" } == ["started", "starting", "created"])
            #expect(events.first?["timestamp"]?.int64Value ?? 0 > 1_600_000_000_000)
            let limited = try await sim.send(.GET, "/apps/demo/machines/\(id)/events?limit=1").json.arrayValue
            #expect(limited?.count == 1)
        }
    }

    @Test("skip_launch leaves the machine created; start then starts it", .timeLimit(.minutes(1)))
    func skipLaunch() async throws {
        try await SimulatorHarness.with { sim async throws in
            let machine = try await sim.createMachine(extra: ["skip_launch": true])
            let id = try #require(machine["id"]?.stringValue)
            let timedOut = try await sim.send(.GET, "/apps/demo/machines/\(id)/wait?state=started&timeout=1")
            #expect(timedOut.status == 408)
            #expect(try await sim.state("demo", id) == "created")
            let start = try await sim.send(.POST, "/apps/demo/machines/\(id)/start")
            #expect(start.status == 200)
            #expect(try start.json["previous_state"] == "created")
            #expect(try await sim.wait("demo", id, "started").status == 200)
        }
    }

    @Test("stop goes through stopping and records the signal and timeout", .timeLimit(.minutes(1)))
    func stopRecordsSignal() async throws {
        try await SimulatorHarness.with { configuration in
            // Long enough to see the transient state between two requests on a busy machine.
            configuration.transitionDelay = .milliseconds(1_500)
        } _: { sim async throws in
            let id = try await sim.startedMachine()
            let stop = try await sim.send(
                .POST, "/apps/demo/machines/\(id)/stop", json: ["signal": "SIGTERM", "timeout": "10s"])
            #expect(stop.status == 200)
            #expect(try await sim.state("demo", id) == "stopping")
            #expect(try await sim.wait("demo", id, "stopped").status == 200)
            let events = try await sim.send(.GET, "/apps/demo/machines/\(id)/events").json.arrayValue ?? []
            let stopping = try #require(events.first { $0["status"] == "stopping" })
            #expect(stopping["request"]?["signal"] == "SIGTERM")
            #expect(stopping["request"]?["timeout"] == "10s")
            let exit = try #require(events.first)
            #expect(exit["type"] == "exit")
            #expect(exit["request"]?["exit_event"]?["signal"] == 15)
            let bad = try await sim.send(.POST, "/apps/demo/machines/\(id)/stop", json: ["signal": "SIGWHAT"])
            #expect(bad.status == 400)
            // A stop without a body is allowed.
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/stop").status == 200)
        }
    }

    @Test("suspend, then start resumes from suspended", .timeLimit(.minutes(1)))
    func suspendAndResume() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/suspend").status == 200)
            #expect(try await sim.wait("demo", id, "suspended").status == 200)
            let start = try await sim.send(.POST, "/apps/demo/machines/\(id)/start")
            #expect(try start.json["previous_state"] == "suspended")
            #expect(try await sim.wait("demo", id, "started").status == 200)
            // Suspending a stopped machine is refused.
            _ = try await sim.send(.POST, "/apps/demo/machines/\(id)/stop")
            #expect(try await sim.wait("demo", id, "stopped").status == 200)
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/suspend").status == 412)
        }
    }

    @Test("restart passes through restarting back to started", .timeLimit(.minutes(1)))
    func restart() async throws {
        try await SimulatorHarness.with { configuration in
            // Long enough to see the transient state between two requests on a busy machine.
            configuration.transitionDelay = .milliseconds(1_500)
        } _: { sim async throws in
            let id = try await sim.startedMachine()
            let events = try await sim.send(.GET, "/apps/demo/machines/\(id)/events?limit=1").json.arrayValue ?? []
            let lastEvent = try #require(events.first?["id"]?.stringValue)
            let restart = try await sim.send(.POST, "/apps/demo/machines/\(id)/restart?signal=SIGHUP&timeout=5s")
            #expect(restart.status == 200)
            #expect(try await sim.state("demo", id) == "restarting")
            let wait = try await sim.wait("demo", id, "started", extra: "&from_event_id=\(lastEvent)")
            #expect(wait.status == 200)
            let after = try await sim.send(.GET, "/apps/demo/machines/\(id)/events").json.arrayValue ?? []
            #expect(after.contains { $0["type"] == "restart" && $0["request"]?["signal"] == "SIGHUP" })
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/restart?signal=SIGNOPE").status == 400)
        }
    }

    @Test("update makes a new version, keeps the old one in versions, honours skip_launch", .timeLimit(.minutes(1)))
    func update() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            let before = try await sim.send(.GET, "/apps/demo/machines/\(id)").json
            let oldVersion = try #require(before["instance_id"]?.stringValue)
            let update = try await sim.send(
                .POST, "/apps/demo/machines/\(id)",
                json: ["config": ["image": "registry.fly.io/demo:deployment-2", "env": ["A": "1"]], "skip_launch": true])
            #expect(update.status == 200)
            let updated = try update.json
            let newVersion = try #require(updated["instance_id"]?.stringValue)
            #expect(newVersion != oldVersion)
            #expect(updated["state"] == "replacing")
            #expect(updated["config"]?["env"]?["A"] == "1")
            #expect(try await sim.wait("demo", id, "stopped").status == 200)
            let versions = try await sim.send(.GET, "/apps/demo/machines/\(id)/versions").json.arrayValue ?? []
            #expect(versions.map { $0["version"]?.stringValue } == [newVersion, oldVersion])
            #expect(versions.first?["user_config"]?["image"] == "registry.fly.io/demo:deployment-2")
            // Waiting on the replaced version is refused.
            let stale = try await sim.send(.GET, "/apps/demo/machines/\(id)/wait?state=started&timeout=1&version=\(oldVersion)")
            #expect(stale.status == 412)
            #expect(stale.text.contains("currently replaced"))
            // Region cannot change; config is required.
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)", json: ["config": ["image": "x"], "region": "syd"]).status == 400)
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)", json: ["region": "iad"]).status == 400)
            // Without skip_launch the update starts it.
            _ = try await sim.send(.POST, "/apps/demo/machines/\(id)", json: ["config": ["image": "registry.fly.io/demo:deployment-3"]])
            #expect(try await sim.wait("demo", id, "started").status == 200)
        }
    }

    @Test("delete refuses a running machine without force and then goes to destroyed", .timeLimit(.minutes(1)))
    func delete() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            let refused = try await sim.send(.DELETE, "/apps/demo/machines/\(id)")
            #expect(refused.status == 412)
            #expect(try refused.json["error"]?.stringValue?.contains("not currently stopped") == true)
            async let waiter = sim.wait("demo", id, "destroyed")
            let forced = try await sim.send(.DELETE, "/apps/demo/machines/\(id)?force=true")
            #expect(forced.status == 200)
            #expect(try forced.json == ["ok": true])
            #expect(try await waiter.status == 200)
            #expect(try await sim.send(.GET, "/apps/demo/machines").json.arrayValue?.count == 0)
            let all = try await sim.send(.GET, "/apps/demo/machines?include_deleted=true").json.arrayValue ?? []
            #expect(all.map { $0["state"] } == ["destroyed"])
            // Destroyed counts as reached for destroyed, and as gone for anything else.
            #expect(try await sim.wait("demo", id, "destroyed").status == 200)
            #expect(try await sim.wait("demo", id, "started").status == 404)
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/start").status == 404)
        }
    }

    @Test("cordon and uncordon set the flag", .timeLimit(.minutes(1)))
    func cordon() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/cordon").status == 200)
            #expect(try await sim.send(.GET, "/apps/demo/machines/\(id)").json["cordoned"] == true)
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/uncordon").status == 200)
            #expect(try await sim.send(.GET, "/apps/demo/machines/\(id)").json["cordoned"] == nil)
            let types = try await sim.send(.GET, "/apps/demo/machines/\(id)/events").json.arrayValue?.prefix(2).map { $0["type"] }
            #expect(types == ["uncordon", "cordon"])
        }
    }

    @Test("list filters by region, state, metadata and summary; apps are separate", .timeLimit(.minutes(1)))
    func listFilters() async throws {
        try await SimulatorHarness.with { sim async throws in
            _ = try await sim.createMachine(extra: ["region": "ams", "skip_launch": true])
            _ = try await sim.createMachine(
                extra: ["config": ["image": "nginx", "metadata": ["role": "web"]], "skip_launch": true])
            _ = try await sim.createMachine(app: "other")
            #expect(try await sim.send(.GET, "/apps/demo/machines").json.arrayValue?.count == 2)
            #expect(try await sim.send(.GET, "/apps/demo/machines?region=ams").json.arrayValue?.count == 1)
            #expect(try await sim.send(.GET, "/apps/demo/machines?state=created,stopped").json.arrayValue?.count == 2)
            #expect(try await sim.send(.GET, "/apps/demo/machines?state=started").json.arrayValue?.count == 0)
            #expect(try await sim.send(.GET, "/apps/demo/machines?metadata.role=web").json.arrayValue?.count == 1)
            let summary = try await sim.send(.GET, "/apps/demo/machines?summary=true").json.arrayValue ?? []
            #expect(summary.allSatisfy { $0["config"] == nil && $0["id"] != nil })
            #expect(try await sim.send(.GET, "/apps/brand-new-app/machines").json == [])
            let other = try await sim.send(.GET, "/apps/other/machines").json.arrayValue ?? []
            let otherID = try #require(other.first?["id"]?.stringValue)
            #expect(try await sim.send(.GET, "/apps/demo/machines/\(otherID)").status == 404)
        }
    }

    @Test("the organisation list covers every app and pages by cursor", .timeLimit(.minutes(1)))
    func orgList() async throws {
        try await SimulatorHarness.with { sim async throws in
            for app in ["a1", "a2", "a3"] { _ = try await sim.createMachine(app: app, extra: ["skip_launch": true]) }
            let first = try await sim.send(.GET, "/orgs/personal/machines?limit=2").json
            let page1 = first["machines"]?.arrayValue ?? []
            #expect(page1.count == 2)
            #expect(page1.first?["app_name"] != nil && page1.first?["config"]?["image"] != nil)
            let cursor = try #require(first["next_cursor"]?.stringValue)
            let second = try await sim.send(.GET, "/orgs/personal/machines?limit=2&cursor=\(cursor)").json
            #expect(second["machines"]?.arrayValue?.count == 1)
            #expect(second["next_cursor"] == nil)
            let apps = Set((page1 + (second["machines"]?.arrayValue ?? [])).compactMap { $0["app_name"]?.stringValue })
            #expect(apps == ["a1", "a2", "a3"])
            let future = try await sim.send(.GET, "/orgs/personal/machines?updated_after=2999-01-01T00:00:00Z").json
            #expect(future["machines"] == [])
            #expect(try await sim.send(.GET, "/orgs/personal/machines?updated_after=yesterday").status == 400)
        }
    }
}
