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
            // Cordon until refused (at most 10 tries): the burst of 3 passes, then a 429 with
            // Retry-After. A busy machine may be slow enough between requests to refill a token
            // (1 a second), so the refusal may come later than the 4th, but not later than that allows.
            let begun = ContinuousClock.now
            var admitted = 0
            var limited: TestResponse?
            for _ in 0..<10 {
                let answer = try await sim.send(.POST, "/apps/demo/machines/\(id)/cordon")
                guard answer.status == 200 else {
                    limited = answer
                    break
                }
                admitted += 1
            }
            let refills = Int((ContinuousClock.now - begun).components.seconds) + 1
            #expect(admitted >= 3 && admitted <= 3 + refills, "\(admitted) cordons admitted")
            #expect(limited?.status == 429)
            #expect(limited?.headers.first(name: "retry-after") != nil)
            // Another action on the same machine has its own bucket.
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/uncordon").status == 200)
            // 20 at once: a burst of 10 passes, the rest are refused, except for what the time they
            // took refilled (5 a second; a busy machine can take a while over 20 requests).
            let showsBegun = ContinuousClock.now
            let shows = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<20 { group.addTask { try await sim.send(.GET, "/apps/demo/machines/\(id)").status } }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            let showRefills = Int((ContinuousClock.now - showsBegun) / .milliseconds(200)) + 1
            let passed = shows.filter { $0 == 200 }.count
            #expect(passed >= 10)
            #expect(passed <= 10 + showRefills, "\(passed) of 20 Shows passed")
            #expect(shows.allSatisfy { $0 == 200 || $0 == 429 })
        }
    }
}
