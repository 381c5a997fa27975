import FlyGateJSON
import FlyMachinesSimulator
import Testing

@Suite("Exec, ps, memory and signals")
struct GuestTests {
    @Test(
        "exec runs the built-in commands", .timeLimit(.minutes(1)),
        arguments: [
            (["command": ["echo", "hello", "world"]], "hello world\n", 0),
            (["command": ["cat"], "stdin": "from stdin"], "from stdin", 0),
            (["command": ["true"]], "", 0),
            (["command": ["false"]], "", 1),
            (["command": ["sh", "-c", "exit 7"]], "", 7),
            (["cmd": "echo 'one two'"], "one two\n", 0),
            (["command": ["definitely-not-here"], "timeout": 5], "", 127),
        ] as [(JSONValue, String, Int)])
    func exec(_ request: JSONValue, _ stdout: String, _ exitCode: Int) async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            let answer = try await sim.send(.POST, "/apps/demo/machines/\(id)/exec", json: request)
            #expect(answer.status == 200)
            let body = try answer.json
            #expect(body["stdout"]?.stringValue == stdout)
            #expect(body["exit_code"]?.int64Value == Int64(exitCode))
            #expect(body["exit_signal"] == 0)
            if exitCode == 127 { #expect(body["stderr"]?.stringValue?.contains("not found") == true) }
        }
    }

    @Test("hostname and env describe the machine; exec needs a started machine", .timeLimit(.minutes(1)))
    func execMachineFacts() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine(config: ["config": ["image": "nginx", "env": ["GREETING": "hi"]]])
            let hostname = try await sim.send(.POST, "/apps/demo/machines/\(id)/exec", json: ["command": ["hostname"]]).json
            #expect(hostname["stdout"]?.stringValue == id + "\n")
            let env = try await sim.send(.POST, "/apps/demo/machines/\(id)/exec", json: ["command": ["env"]]).json
            let lines = env["stdout"]?.stringValue?.split(separator: "\n") ?? []
            #expect(lines.contains("GREETING=hi"))
            #expect(lines.contains("FLY_MACHINE_ID=\(id)"))
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/exec", json: [:]).status == 400)
            _ = try await sim.send(.POST, "/apps/demo/machines/\(id)/stop")
            _ = try await sim.wait("demo", id, "stopped")
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/exec", json: ["command": ["true"]]).status == 412)
        }
    }

    @Test("ps honours sort_by and order", .timeLimit(.minutes(1)))
    func processes() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            let byPID = try await sim.send(.GET, "/apps/demo/machines/\(id)/ps").json.arrayValue ?? []
            #expect(byPID.count >= 3)
            #expect(byPID.first?["pid"] == 1)
            #expect(byPID.first?["command"] == "/.fly/init")
            let byRSS = try await sim.send(.GET, "/apps/demo/machines/\(id)/ps?sort_by=rss&order=desc").json.arrayValue ?? []
            let rss = byRSS.compactMap { $0["rss"]?.int64Value }
            #expect(rss == rss.sorted(by: >))
            #expect(try await sim.send(.GET, "/apps/demo/machines/\(id)/ps?sort_by=colour").status == 400)
            #expect(try await sim.send(.GET, "/apps/demo/machines/\(id)/ps?order=sideways").status == 400)
        }
    }

    @Test("memory get, set and reclaim", .timeLimit(.minutes(1)))
    func memory() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            let base = "/apps/demo/machines/\(id)/memory"
            let memory = try await sim.send(.GET, base).json
            #expect(memory["limit_mb"] == 512)
            let available = try #require(memory["available_mb"]?.int64Value)
            #expect(available > 0 && available < 512)
            let set = try await sim.send(.PUT, base, json: ["limit_mb": 384])
            #expect(set.status == 200)
            #expect(try set.json["limit_mb"] == 384)
            #expect(try await sim.send(.PUT, base, json: ["limit_mb": 4096]).status == 400)
            let reclaim = try await sim.send(.POST, base + "/reclaim", json: ["amount_mb": 64])
            #expect(try reclaim.json["actual_mb"] == 64)
            #expect(try await sim.send(.GET, base).json["available_mb"]?.int64Value ?? 0 > (try set.json["available_mb"]?.int64Value ?? 0))
        }
    }

    @Test("signal takes names and numbers, refuses others", .timeLimit(.minutes(1)))
    func signal() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            let path = "/apps/demo/machines/\(id)/signal"
            #expect(try await sim.send(.POST, path, json: ["signal": "SIGUSR2"]).status == 200)
            #expect(try await sim.send(.POST, path, json: ["signal": 9]).status == 200)
            #expect(try await sim.send(.POST, path, json: ["signal": "SIGNOPE"]).status == 400)
            #expect(try await sim.send(.POST, path, json: ["signal": 99]).status == 400)
            #expect(try await sim.send(.POST, path, rawBody: "{not json").status == 400)
            let events = try await sim.send(.GET, "/apps/demo/machines/\(id)/events?limit=2").json.arrayValue ?? []
            #expect(events.map { $0["request"]?["signal"] } == ["SIGKILL", "SIGUSR2"])
        }
    }
}
