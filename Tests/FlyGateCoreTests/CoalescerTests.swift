import FlyGateServer
import FlyMachinesProto
import Testing

@testable import FlyGateCore

/// The coalescer on its own, with real tasks and event-loop timers, and no dispatcher in front
/// to enforce a deadline for it: a waiter's deadline and the shared call's cancellation are
/// its own.
@Suite struct CoalescerTests {
    static let context = CallContext(
        service: "flygate.machines.v1.Machines", method: "Show", peer: PeerCredentials(uid: 0, gid: 0, pid: 0),
        connectionID: 1, streamID: 1, deadline: nil, metadata: [])

    /// A shared call that says when it started and when it was cancelled, and otherwise hangs
    /// until ``release()``; ``finish()`` ends it however it stands.
    struct HangingCall {
        let started: AsyncStream<Void>
        let cancelled: AsyncStream<Void>
        let next: MachinesNext<Flygate_Machines_V1_ShowRequest>
        private let releases: AsyncStream<Void>.Continuation

        init() {
            let (started, startedSource) = AsyncStream<Void>.makeStream()
            let (cancelled, cancelledSource) = AsyncStream<Void>.makeStream()
            let (releases, releasesSource) = AsyncStream<Void>.makeStream()
            (self.started, self.cancelled, self.releases) = (started, cancelled, releasesSource)
            self.next = MachinesNext { request, _ in
                startedSource.yield()
                for await _ in releases { break }
                if Task.isCancelled {
                    cancelledSource.yield()
                    throw CancellationError()
                }
                var response = Flygate_Machines_V1_ShowResponse()
                response.body.id = request.machineID
                return response
            }
        }

        func release() { releases.yield() }
        func finish() { releases.finish() }

        /// Whether the call has started (waits for it).
        func hasStarted() async -> Bool {
            var signals = started.makeAsyncIterator()
            return await signals.next() != nil
        }

        /// Whether the call saw its cancellation (waits for it).
        func sawCancellation() async -> Bool {
            var signals = cancelled.makeAsyncIterator()
            return await signals.next() != nil
        }
    }

    /// Runs `body` with a coalescer whose `run()` is going, then finishes it.
    static func withCoalescer(_ body: (Coalescer) async throws -> Void) async throws {
        let coalescer = Coalescer(maxCacheEntries: 10, maxCacheBytes: 1 << 20, maxFlightDuration: .seconds(60))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await coalescer.run() }
            do {
                try await body(coalescer)
            } catch {
                group.cancelAll()
                throw error
            }
            coalescer.finish()
            try await group.waitForAll()
        }
    }

    @Test("a waiter leaves at its deadline while the shared call hangs, and the call is cancelled as its last waiter left", .timeLimit(.minutes(1)))
    func aWaiterLeavesAtItsDeadline() async throws {
        let call = HangingCall()
        defer { call.finish() }
        try await Self.withCoalescer { coalescer in
            let request = showRequest("a")
            let wakeup = await coalescer.join(
                try ReadKey(request), request: request, context: Self.context, next: call.next,
                deadline: .now + .milliseconds(100))
            guard case .left = wakeup else {
                Issue.record("the waiter woke \(wakeup), not at its deadline")
                return
            }
            #expect(await call.hasStarted(), "the shared call started")
            // Nobody waits any more: the call's task is cancelled (a hanging call ends only so).
            call.release()
            #expect(await call.sawCancellation(), "the shared call saw its cancellation")
            #expect(coalescer.flightCount == 0)
            #expect(coalescer.waiterCount == 0)
        }
    }

    @Test(
        "a call the server cancels at its deadline keeps no timer of its own: it waits past the deadline and leaves when cancelled",
        .timeLimit(.minutes(1)))
    func aRacedCallLeavesByItsCancellation() async throws {
        let call = HangingCall()
        defer { call.finish() }
        try await Self.withCoalescer { coalescer in
            let request = showRequest("a")
            let deadline = ContinuousClock.now + .milliseconds(50)
            var context = Self.context
            context.deadline = deadline
            context.cancelledAtDeadline = true
            let waiter = Task { [context] in
                let wakeup = await coalescer.join(try ReadKey(request), request: request, context: context, next: call.next, deadline: deadline)
                return (wakeup, ContinuousClock.now)
            }
            #expect(await call.hasStarted())
            try await Task.sleep(until: deadline + .milliseconds(300))
            #expect(coalescer.waiterCount == 1, "still waiting past its deadline: no timer took it out")
            let cancelledAt = ContinuousClock.now
            waiter.cancel()
            let (wakeup, wokeAt) = try await waiter.value
            guard case .left = wakeup else {
                Issue.record("the waiter woke \(wakeup), not by its cancellation")
                return
            }
            #expect(wokeAt >= cancelledAt)
            call.release()
            #expect(await call.sawCancellation(), "the shared call saw its cancellation")
        }
    }

    @Test("one waiter's deadline leaves the shared call to the others, who get its answer", .timeLimit(.minutes(1)))
    func theOthersKeepTheSharedCall() async throws {
        let call = HangingCall()
        defer { call.finish() }
        try await Self.withCoalescer { coalescer in
            let request = showRequest("b")
            let key = try ReadKey(request)
            let patient = Task {
                await coalescer.join(key, request: request, context: Self.context, next: call.next, deadline: .now + .seconds(50))
            }
            #expect(await call.hasStarted(), "the first caller started the shared call")
            let hasty = await coalescer.join(key, request: request, context: Self.context, next: call.next, deadline: .now + .milliseconds(50))
            guard case .left = hasty else {
                Issue.record("the hasty waiter woke \(hasty), not at its deadline")
                return
            }
            #expect(coalescer.flightCount == 1, "the call goes on for the one still waiting")
            call.release()
            guard case .finished(let outcome, joined: false) = await patient.value,
                case .success(let message) = outcome.result
            else {
                Issue.record("the caller who started the call did not get its answer")
                return
            }
            #expect((message as? Flygate_Machines_V1_ShowResponse)?.body.id == "b")
        }
    }
}
