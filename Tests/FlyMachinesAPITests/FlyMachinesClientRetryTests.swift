import FlyGateTestSupport
import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Retries against the simulator's fault switches")
struct FlyMachinesClientRetryTests {
    static func start(_ id: String, app: String = "retry") -> Flygate_Machines_V1_StartRequest {
        var request = Flygate_Machines_V1_StartRequest()
        (request.appName, request.machineID) = (app, id)
        return request
    }

    static func show(_ id: String, app: String = "retry") -> Flygate_Machines_V1_ShowRequest {
        showRequest(id, app: app)
    }

    @Test("a mutating POST hit by a 503 is sent once", .timeLimit(.minutes(1)))
    func postNotReplayedAfter5xx() async throws {
        let observer = RecordingObserver()
        try await ClientHarness.with(observer: observer) { harness in
            let id = try harness.seed(app: "retry", state: .stopped)
            harness.simulator.faults.errorRate = 1
            harness.simulator.faults.errorStatus = 503
            harness.simulator.faults.onlyOperations = [.start]
            let error = try #require(await #expect(throws: FlyAPIError.self) {
                try await harness.client.perform(Self.start(id), deadline: .now + .seconds(10))
            })
            #expect(error.code == .unavailable)
            #expect(error.httpStatus == 503)
            #expect(error.attempts == 1)
            #expect(harness.simulator.requestCount(for: .start) == 1)
            #expect(observer.attempts == [UpstreamAttempt(rpc: .start, number: 1, outcome: .status(503), duration: observer.attempts[0].duration)])
        }
    }

    @Test("a GET hit by 503s is retried up to the attempt budget", .timeLimit(.minutes(1)))
    func getRetriedOn5xx() async throws {
        let observer = RecordingObserver()
        try await ClientHarness.with(observer: observer) { harness in
            let id = try harness.seed(app: "retry")
            harness.simulator.faults.errorRate = 1
            harness.simulator.faults.errorStatus = 503
            harness.simulator.faults.onlyOperations = [.show]
            let error = try #require(await #expect(throws: FlyAPIError.self) {
                try await harness.client.perform(Self.show(id), deadline: .now + .seconds(10))
            })
            #expect(error.code == .unavailable)
            #expect(error.attempts == 4)
            #expect(harness.simulator.requestCount(for: .show) == 4)
            #expect(observer.attempts.map(\.number) == [1, 2, 3, 4])
        }
    }

    @Test("a dropped answer: the GET is retried and succeeds, the POST is not replayed", .timeLimit(.minutes(1)))
    func droppedAnswer() async throws {
        try await ClientHarness.with { harness in
            let id = try harness.seed(app: "retry", state: .stopped)
            harness.simulator.faults.dropResponses = 1
            let (shown, info) = try await harness.client.perform(Self.show(id), deadline: .now + .seconds(10))
            #expect(shown.body.id == id)
            #expect(info.attempts == 2)
            #expect(harness.simulator.requestCount(for: .show) == 2)

            harness.simulator.faults.dropResponses = 1
            let error = try #require(await #expect(throws: FlyAPIError.self) {
                try await harness.client.perform(Self.start(id), deadline: .now + .seconds(10))
            })
            #expect(error.code == .unavailable)
            #expect(error.attempts == 1)
            #expect(error.httpStatus == nil)
            #expect(error.cause != nil)
            #expect(harness.simulator.requestCount(for: .start) == 1)
        }
    }

    @Test("a 429 with Retry-After: 1 waits about a second, then succeeds on the second request", .timeLimit(.minutes(1)))
    func retryAfterHonoured() async throws {
        try await ClientHarness.with { harness in
            let id = try harness.seed(app: "retry", state: .stopped)
            harness.simulator.faults.rateLimitBurst = 1
            harness.simulator.faults.retryAfterSeconds = 1
            let clock = ContinuousClock()
            let begun = clock.now
            let (response, info) = try await harness.client.perform(Self.start(id), deadline: .now + .seconds(10))
            #expect(clock.now - begun >= .milliseconds(900))
            #expect(response.body.previousState == "stopped")
            #expect(info.attempts == 2)
            #expect(harness.simulator.requestCount(for: .start) == 2)
        }
    }

    @Test("a 429 without Retry-After backs off and retries, also for a POST", .timeLimit(.minutes(1)))
    func tooManyWithoutRetryAfter() async throws {
        try await ClientHarness.with { harness in
            let id = try harness.seed(app: "retry", state: .stopped)
            harness.simulator.faults.rateLimitBurst = 2
            let (_, info) = try await harness.client.perform(Self.start(id), deadline: .now + .seconds(10))
            #expect(info.attempts == 3)
            #expect(harness.simulator.requestCount(for: .start) == 3)
        }
    }

    @Test("a 429 whose Retry-After passes the deadline fails at once with RESOURCE_EXHAUSTED and retryAfter", .timeLimit(.minutes(1)))
    func retryAfterBeyondDeadline() async throws {
        try await ClientHarness.with { harness in
            let id = try harness.seed(app: "retry", state: .stopped)
            harness.simulator.faults.rateLimitBurst = 1
            harness.simulator.faults.retryAfterSeconds = 30
            let error = try #require(await #expect(throws: FlyAPIError.self) {
                try await harness.client.perform(Self.start(id), deadline: .now + .seconds(5))
            })
            #expect(error.code == .resourceExhausted)
            #expect(error.retryAfter == .seconds(30))
            #expect(error.attempts == 1)
            #expect(harness.simulator.requestCount(for: .start) == 1)
        }
    }

    @Test("lease release is retried after a 503", .timeLimit(.minutes(1)))
    func releaseRetried() async throws {
        try await ClientHarness.with { harness in
            let id = try harness.seed(app: "retry")
            harness.simulator.faults.errorRate = 1
            harness.simulator.faults.onlyOperations = [.releaseLease]
            var release = Flygate_Machines_V1_ReleaseLeaseRequest()
            (release.appName, release.machineID, release.leaseNonce) = ("retry", id, "abc")
            await #expect(throws: FlyAPIError.self) { try await harness.client.releaseLease(release) }
            #expect(harness.simulator.requestCount(for: .releaseLease) == 4)
        }
    }

    @Test("connection refused is retried for any method, counted, and reported as UNAVAILABLE", .timeLimit(.minutes(1)))
    func connectionRefused() async throws {
        // A port bound but not listening: connecting is refused, and while this socket holds the
        // port no other test's server can take it.
        let holder = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(holder) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { pointer in
                bind(holder, pointer, length) == 0 && getsockname(holder, pointer, &length) == 0
            }
        }
        try #require(bound)
        let port = Int(UInt16(bigEndian: address.sin_port))
        var configuration = FlyMachinesClient.Configuration.defaults
        configuration.baseURL = "http://127.0.0.1:\(port)"
        configuration.retry = UpstreamRetryPolicy(maxAttempts: 3, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(20))
        let observer = RecordingObserver()
        let client = try FlyMachinesClient(
            configuration: configuration, credentials: try FlyCredentials(token: "t"), observer: observer,
            logger: .init(label: "test"))
        let error = await #expect(throws: FlyAPIError.self) {
            try await client.perform(Self.start("0123456789abcd"), deadline: .now + .seconds(20))
        }
        try await client.shutdown()
        #expect(error?.code == .unavailable)
        #expect(error?.attempts == 3)
        #expect(observer.attempts.count == 3)
        #expect(observer.attempts.allSatisfy { if case .transportFailure = $0.outcome { true } else { false } })
    }

    @Test("cancelling the caller ends the call with CANCELLED", .timeLimit(.minutes(1)))
    func cancellation() async throws {
        try await ClientHarness.with { harness in
            let id = try harness.seed(app: "retry")
            harness.simulator.faults.hangingOperations = [.show]
            let task = Task { try await harness.client.perform(Self.show(id), deadline: nil) }
            try #require(try await eventually { harness.simulator.requestCount(for: .show) > 0 })
            task.cancel()
            let error = await #expect(throws: FlyAPIError.self) { try await task.value }
            #expect(error?.code == .cancelled)
        }
    }

    @Test("a hanging answer ends at the caller's deadline with DEADLINE_EXCEEDED", .timeLimit(.minutes(1)))
    func deadline() async throws {
        try await ClientHarness.with { harness in
            let id = try harness.seed(app: "retry")
            harness.simulator.faults.hangingOperations = [.show]
            let error = await #expect(throws: FlyAPIError.self) {
                try await harness.client.perform(Self.show(id), deadline: .now + .milliseconds(300))
            }
            #expect(error?.code == .deadlineExceeded)
            #expect(error?.attempts == 1)
        }
    }
}
