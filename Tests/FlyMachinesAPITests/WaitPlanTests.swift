import FlyGateTestSupport
import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Testing

@Suite("Waits: 1–60 s upstream, longer waits repeated on 408")
struct WaitPlanTests {
    @Test("the plan's deadline and upstream timeouts")
    func plan() {
        let now = ContinuousClock.now
        let noCaller = WaitPlan(requestedSeconds: nil, callerDeadline: nil, now: now)
        #expect(noCaller.deadline == now + .seconds(60))
        #expect(noCaller.upstreamSeconds(now: now, isFirst: true) == 60)
        let long = WaitPlan(requestedSeconds: nil, callerDeadline: now + .seconds(150), now: now)
        #expect(long.upstreamSeconds(now: now, isFirst: true) == 60)
        #expect(long.upstreamSeconds(now: now + .seconds(120), isFirst: false) == 30)
        #expect(long.upstreamSeconds(now: now + .milliseconds(149_500), isFirst: false) == nil)
        let shortCaller = WaitPlan(requestedSeconds: 30, callerDeadline: now + .milliseconds(5_500), now: now)
        #expect(shortCaller.upstreamSeconds(now: now, isFirst: true) == 5)
        let shortRequest = WaitPlan(requestedSeconds: 10, callerDeadline: now + .seconds(300), now: now)
        #expect(shortRequest.deadline == now + .seconds(10))
        let tooShort = WaitPlan(requestedSeconds: 0, callerDeadline: now + .milliseconds(200), now: now)
        #expect(tooShort.upstreamSeconds(now: now, isFirst: true) == 1)
        let requestedLong = WaitPlan(requestedSeconds: 600, callerDeadline: nil, now: now)
        #expect(requestedLong.upstreamSeconds(now: now, isFirst: true) == 60)
    }

    static func wait(_ id: String, state: String, timeout: Int64? = nil) -> Flygate_Machines_V1_WaitRequest {
        var request = Flygate_Machines_V1_WaitRequest()
        (request.appName, request.machineID, request.state) = ("waits", id, [state])
        if let timeout { request.timeout = timeout }
        return request
    }

    @Test("a caller deadline over 60 s is served by repeating the upstream wait on 408", .timeLimit(.minutes(1)))
    func longWaitRepeats() async throws {
        try await ClientHarness.with(simulator: { $0.faults.waitTimeoutCap = .milliseconds(200) }) { harness in
            let id = try harness.seed(app: "waits", state: .stopped)
            let (answer, info) = try await withThrowingTaskGroup(of: (Flygate_Machines_V1_WaitResponse, UpstreamCallInfo)?.self) { group in
                group.addTask { try await harness.client.perform(Self.wait(id, state: "started"), deadline: .now + .seconds(90)) }
                group.addTask {
                    try #require(try await eventually { harness.simulator.requestCount(for: .wait) >= 3 })
                    var start = Flygate_Machines_V1_StartRequest()
                    (start.appName, start.machineID) = ("waits", id)
                    _ = try await harness.client.start(start)
                    return nil
                }
                var result: (Flygate_Machines_V1_WaitResponse, UpstreamCallInfo)?
                for try await value in group where value != nil { result = value }
                return try #require(result)
            }
            #expect(answer.body.state == "started")
            #expect(info.httpStatus == 200)
            #expect(info.attempts >= 3)
            #expect(harness.simulator.requestCount(for: .wait) == info.attempts)
        }
    }

    @Test("repeated waits end at the caller's deadline with DEADLINE_EXCEEDED and the last 408", .timeLimit(.minutes(1)))
    func longWaitGivesUp() async throws {
        try await ClientHarness.with(simulator: { $0.faults.waitTimeoutCap = .milliseconds(300) }) { harness in
            let id = try harness.seed(app: "waits", state: .stopped)
            let error = try #require(await #expect(throws: FlyAPIError.self) {
                // Room for a second attempt even when a loaded machine slows the first 300 ms wait
                // to seconds (a full test run beside two builds once took over 4 s): a repeat
                // needs a whole second left.
                try await harness.client.perform(Self.wait(id, state: "started"), deadline: .now + .milliseconds(10_000))
            })
            #expect(error.code == .deadlineExceeded)
            #expect(error.httpStatus == 408)
            #expect(error.attempts >= 2)
            #expect(harness.simulator.requestCount(for: .wait) == error.attempts)
        }
    }

    @Test("a caller deadline shorter than the requested timeout shortens the upstream wait", .timeLimit(.minutes(1)))
    func shortCallerDeadline() async throws {
        try await ClientHarness.with(simulator: { $0.recordExchanges = true }) { harness in
            let id = try harness.seed(app: "waits", state: .stopped)
            let error = try #require(await #expect(throws: FlyAPIError.self) {
                try await harness.client.perform(Self.wait(id, state: "started", timeout: 30), deadline: .now + .milliseconds(1_900))
            })
            #expect(error.code == .deadlineExceeded)
            #expect(error.attempts == 1)
            // What Fly (the simulator) was asked: a 1.9 s deadline rounds down to 1 s upstream,
            // not the 30 requested. (Whether its 408 beats the deadline back is up to the
            // machine's load: the margin is under a second, so the test does not ask.)
            // (The simulator records the wait when it answers, which a busy machine may delay.)
            #expect(try await eventually { harness.simulator.exchanges.contains { $0.operation == .wait } })
            let waits = harness.simulator.exchanges.filter { $0.operation == .wait }
            #expect(waits.count == 1)
            #expect(waits.first?.query.last { $0.name == "timeout" }?.value == "1")
        }
    }

    @Test("with no caller deadline the request's own timeout is used", .timeLimit(.minutes(1)))
    func requestTimeout() async throws {
        try await ClientHarness.with { harness in
            let id = try harness.seed(app: "waits", state: .stopped)
            let clock = ContinuousClock()
            let begun = clock.now
            let error = await #expect(throws: FlyAPIError.self) {
                try await harness.client.perform(Self.wait(id, state: "started", timeout: 2), deadline: nil)
            }
            #expect(error?.httpStatus == 408)
            #expect(error?.attempts == 1)
            #expect(clock.now - begun >= .seconds(2))
        }
    }
}
