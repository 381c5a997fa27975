import FlyGateJSON
import FlyGateTestSupport
import FlyMachinesSimulator
import Testing

@Suite("Wait")
struct WaitTests {
    @Test("timeout outside 1–60 s is refused with Fly's message", .timeLimit(.minutes(1)), arguments: ["0", "61", "90s", "abc"])
    func timeoutRange(_ timeout: String) async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            let answer = try await sim.send(.GET, "/apps/demo/machines/\(id)/wait?state=started&timeout=\(timeout)")
            #expect(answer.status == 400)
            #expect(
                try answer.json["error"]
                    == "invalid_argument: invalid WaitMachineRequest.Timeout: value must be inside range [1s, 1m0s]")
        }
    }

    @Test("408 when the state is not reached in time; 404 for an unknown machine", .timeLimit(.minutes(1)))
    func timeoutAndUnknown() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            let clock = ContinuousClock()
            let start = clock.now
            let answer = try await sim.send(.GET, "/apps/demo/machines/\(id)/wait?state=stopped&timeout=1")
            #expect(answer.status == 408)
            #expect(clock.now - start >= .milliseconds(900))
            #expect(try await sim.send(.GET, "/apps/demo/machines/0123456789abcd/wait?timeout=1").status == 404)
            #expect(try await sim.send(.GET, "/apps/demo/machines/\(id)/wait?state=sleeping").status == 400)
        }
    }

    @Test("a pending wait answers as soon as the state is reached (repeated or comma-separated states)", .timeLimit(.minutes(1)))
    func eventDriven() async throws {
        try await SimulatorHarness.with { configuration in
            configuration.transitionDelay = .milliseconds(300)
        } _: { sim async throws in
            let machine = try await sim.createMachine(extra: ["skip_launch": true])
            let id = try #require(machine["id"]?.stringValue)
            async let waited = sim.send(.GET, "/apps/demo/machines/\(id)/wait?state=suspended,started&state=destroyed&timeout=20")
            // Make sure the wait is pending before the machine moves.
            try #require(try await eventually { sim.simulator.requestCount(for: .wait) > 0 })
            let clock = ContinuousClock()
            let start = clock.now
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/start").status == 200)
            let answer = try await waited
            #expect(answer.status == 200)
            #expect(try answer.json["state"] == "started")
            // created -> starting -> started takes one 300 ms step: the wait is answered by the
            // state change, long before its own 20 s timeout would answer it. (How soon after the
            // step is no behaviour: a busy machine has delayed a 300 ms timer by seconds.)
            #expect(clock.now - start < .seconds(10))
        }
    }

    @Test("settled means any non-transient state; instance_id is the old name of version", .timeLimit(.minutes(1)))
    func settled() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            let version = try #require(try await sim.send(.GET, "/apps/demo/machines/\(id)").json["instance_id"]?.stringValue)
            _ = try await sim.send(.POST, "/apps/demo/machines/\(id)/stop")
            let answer = try await sim.send(.GET, "/apps/demo/machines/\(id)/wait?state=settled&timeout=5&instance_id=\(version)")
            #expect(answer.status == 200)
            #expect(try answer.json["state"] == "stopped")
        }
    }
}
