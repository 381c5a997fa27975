import AsyncHTTPClient
import FlyGateJSON
import FlyMachinesSimulator
import Testing

@Suite("Fault injection and counters")
struct FaultInjectionTests {
    @Test("latency delays every answer", .timeLimit(.minutes(1)))
    func latency() async throws {
        try await SimulatorHarness.with { configuration in
            configuration.faults.latency = .milliseconds(200)
        } _: { sim async throws in
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await sim.send(.GET, "/apps/demo/machines").status == 200)
            #expect(clock.now - start >= .milliseconds(200))
            sim.simulator.faults.latency = .zero
            sim.simulator.faults.latencyJitter = .milliseconds(1)
            #expect(try await sim.send(.GET, "/apps/demo/machines").status == 200)
        }
    }

    @Test("an error rate of 1 answers every request with the chosen status, only for the chosen operations", .timeLimit(.minutes(1)))
    func errors() async throws {
        try await SimulatorHarness.with { sim async throws in
            sim.simulator.faults.errorRate = 1
            sim.simulator.faults.errorStatus = 503
            sim.simulator.faults.onlyOperations = [.list]
            let failed = try await sim.send(.GET, "/apps/demo/machines")
            #expect(failed.status == 503)
            #expect(try failed.json["error"] != nil)
            #expect(try await sim.send(.GET, "/apps/demo/machines/0123456789abcd").status == 404)
            sim.simulator.faults = .none
            #expect(try await sim.send(.GET, "/apps/demo/machines").status == 200)
        }
    }

    @Test("a 429 burst answers the next N requests with Retry-After, then recovers", .timeLimit(.minutes(1)))
    func rateLimitBurst() async throws {
        try await SimulatorHarness.with { sim async throws in
            sim.simulator.faults.rateLimitBurst = 2
            sim.simulator.faults.retryAfterSeconds = 3
            let first = try await sim.send(.GET, "/apps/demo/machines")
            #expect(first.status == 429)
            #expect(first.headers.first(name: "retry-after") == "3")
            #expect(try await sim.send(.GET, "/apps/demo/machines").status == 429)
            #expect(try await sim.send(.GET, "/apps/demo/machines").status == 200)
            #expect(sim.simulator.faults.rateLimitBurst == 0)
        }
    }

    @Test("a dropped connection loses the answer, but the request took effect", .timeLimit(.minutes(1)))
    func droppedConnection() async throws {
        try await SimulatorHarness.with { sim async throws in
            sim.simulator.faults.dropResponses = 1
            await #expect(throws: (any Error).self) {
                _ = try await sim.createMachine(extra: ["skip_launch": true])
            }
            let machines = try await sim.send(.GET, "/apps/demo/machines").json.arrayValue ?? []
            #expect(machines.count == 1)
        }
    }

    @Test("a hanging operation never answers; the others still do", .timeLimit(.minutes(1)))
    func hang() async throws {
        try await SimulatorHarness.with { sim async throws in
            sim.simulator.faults.hangingOperations = [.show]
            await #expect(throws: HTTPClientError.self) {
                _ = try await sim.send(.GET, "/apps/demo/machines/0123456789abcd", timeout: .milliseconds(300))
            }
            #expect(try await sim.send(.GET, "/apps/demo/machines").status == 200)
        }
    }

    @Test("counters count requests per operation and reset", .timeLimit(.minutes(1)))
    func counters() async throws {
        try await SimulatorHarness.with { sim async throws in
            _ = try await sim.send(.GET, "/apps/demo/machines")
            _ = try await sim.send(.GET, "/apps/demo/machines")
            _ = try await sim.send(.GET, "/apps/demo/machines/0123456789abcd/lease")
            #expect(sim.simulator.requestCount(for: .list) == 2)
            #expect(sim.simulator.requestCount(for: .showLease) == 1)
            #expect(sim.simulator.requestCount(for: .create) == 0)
            sim.simulator.resetCounters()
            #expect(sim.simulator.requestCounts.isEmpty)
        }
    }

    @Test("a wait timeout cap answers 408 at the cap, not at the requested timeout", .timeLimit(.minutes(1)))
    func waitTimeoutCap() async throws {
        try await SimulatorHarness.with { sim async throws in
            let seeded = sim.simulator.seedMachine(app: "capped", state: .started)
            let id = try #require(seeded["id"]?.stringValue)
            sim.simulator.faults.waitTimeoutCap = .milliseconds(200)
            let clock = ContinuousClock()
            let start = clock.now
            let answer = try await sim.send(.GET, "/apps/capped/machines/\(id)/wait?state=stopped&timeout=60")
            #expect(answer.status == 408)
            #expect(clock.now - start >= .milliseconds(200))
            #expect(try await sim.send(.GET, "/apps/capped/machines/\(id)/wait?state=started&timeout=60").status == 200)
        }
    }

    @Test("accepted TCP connections are counted: keep-alive reuses one, connection: close forces another", .timeLimit(.minutes(1)))
    func acceptedConnections() async throws {
        try await SimulatorHarness.with { sim async throws in
            #expect(sim.simulator.acceptedConnections == 0)
            for _ in 0..<3 { #expect(try await sim.send(.GET, "/apps/demo/machines").status == 200) }
            #expect(sim.simulator.acceptedConnections == 1)
            _ = try await sim.send(.GET, "/apps/demo/machines", headers: [("connection", "close")])
            #expect(try await sim.send(.GET, "/apps/demo/machines").status == 200)
            #expect(sim.simulator.acceptedConnections == 2)
        }
    }

    @Test("seeded machines are served like created ones", .timeLimit(.minutes(1)))
    func seeding() async throws {
        try await SimulatorHarness.with { sim async throws in
            let seeded = sim.simulator.seedMachine(app: "seeded", name: "db", state: .stopped)
            let id = try #require(seeded["id"]?.stringValue)
            #expect(seeded["state"] == "stopped")
            let shown = try await sim.send(.GET, "/apps/seeded/machines/\(id)").json
            #expect(shown["name"] == "db")
            #expect(try await sim.send(.POST, "/apps/seeded/machines/\(id)/start").status == 200)
            #expect(try await sim.wait("seeded", id, "started").status == 200)
        }
    }
}
