import FlyGateJSON
import FlyMachinesSimulator
import Testing

@Suite("Auth and Fly's rate limits")
struct AccessTests {
    @Test("a configured token must match, as Bearer or FlyV1", .timeLimit(.minutes(1)))
    func configuredToken() async throws {
        try await SimulatorHarness.with { configuration in
            configuration.token = "fm2_secret"
        } _: { sim async throws in
            for header in ["", "Bearer wrong", "Basic fm2_secret", "FlyV1 ", "fm2_secret"] {
                let answer = try await sim.send(.GET, "/apps/demo/machines", authorization: header)
                #expect(answer.status == 401, "authorization '\(header)'")
                #expect(try answer.json["error"]?.stringValue?.isEmpty == false)
            }
            #expect(try await sim.send(.GET, "/apps/demo/machines", authorization: "Bearer fm2_secret").status == 200)
            #expect(try await sim.send(.GET, "/apps/demo/machines", authorization: "FlyV1 fm2_secret").status == 200)
            #expect(try await sim.send(.GET, "/apps/demo/machines", authorization: "FlyV1 fm1r_other,fm2_secret").status == 200)
        }
    }

    @Test("with no token configured any token works, but a header is still required", .timeLimit(.minutes(1)))
    func anyToken() async throws {
        try await SimulatorHarness.with { sim async throws in
            #expect(try await sim.send(.GET, "/apps/demo/machines", authorization: "").status == 401)
            #expect(try await sim.send(.GET, "/apps/demo/machines", authorization: "Bearer whatever").status == 200)
            #expect(try await sim.send(.GET, "/v2/elsewhere").status == 404)
        }
    }

    @Test("actions are limited to bursts of 3 per machine; Show to bursts of 10", .timeLimit(.minutes(1)))
    func rateLimits() async throws {
        try await SimulatorHarness.with { configuration in
            configuration.rateLimits = true
        } _: { sim async throws in
            let machine = try await sim.createMachine(extra: ["skip_launch": true])
            let id = try #require(machine["id"]?.stringValue)
            var statuses: [Int] = []
            for _ in 0..<4 { statuses.append(try await sim.send(.POST, "/apps/demo/machines/\(id)/cordon").status) }
            #expect(statuses == [200, 200, 200, 429])
            let limited = try await sim.send(.POST, "/apps/demo/machines/\(id)/cordon")
            #expect(limited.headers.first(name: "retry-after") != nil)
            // Another action on the same machine has its own bucket.
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/uncordon").status == 200)
            // 20 at once: a burst of 10 passes (a slow machine may refill a token or two), the rest are refused.
            let shows = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 { group.addTask { try await sim.send(.GET, "/apps/demo/machines/\(id)").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            #expect(shows.filter { $0 == 200 }.count >= 10)
            #expect(shows.filter { $0 == 200 }.count < 20)
            #expect(shows.allSatisfy { $0 == 200 || $0 == 429 })
        }
    }
}
