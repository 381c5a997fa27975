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
    /// until `release` yields.
    struct HangingCall {
        let started: AsyncStream<Void>.Continuation
        let cancelled: AsyncStream<Void>.Continuation
        let release: AsyncStream<Void>

        var next: MachinesNext<Flygate_Machines_V1_ShowRequest> {
            MachinesNext { [started, cancelled, release] request, _ in
                started.yield()
                for await _ in release { break }
                if Task.isCancelled {
                    cancelled.yield()
                    throw CancellationError()
                }
                var response = Flygate_Machines_V1_ShowResponse()
                response.body.id = request.machineID
                return response
            }
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
        let (startedSignals, started) = AsyncStream<Void>.makeStream()
        let (cancelledSignals, cancelled) = AsyncStream<Void>.makeStream()
        let (release, releaseSource) = AsyncStream<Void>.makeStream()
        defer { releaseSource.finish() }
        let call = HangingCall(started: started, cancelled: cancelled, release: release)
        try await Self.withCoalescer { coalescer in
            let request = showRequest("a")
            let wakeup = await coalescer.join(
                try ReadKey(request), request: request, context: Self.context, next: call.next,
                deadline: .now + .milliseconds(100))
            guard case .left = wakeup else {
                Issue.record("the waiter woke \(wakeup), not at its deadline")
                return
            }
            var startedIterator = startedSignals.makeAsyncIterator()
            #expect(await startedIterator.next() != nil, "the shared call started")
            // Nobody waits any more: the call's task is cancelled (a hanging call ends only so).
            releaseSource.yield()
            var cancelledIterator = cancelledSignals.makeAsyncIterator()
            #expect(await cancelledIterator.next() != nil, "the shared call saw its cancellation")
            #expect(coalescer.flightCount == 0)
            #expect(coalescer.waiterCount == 0)
        }
    }

    @Test("one waiter's deadline leaves the shared call to the others, who get its answer", .timeLimit(.minutes(1)))
    func theOthersKeepTheSharedCall() async throws {
        let (startedSignals, started) = AsyncStream<Void>.makeStream()
        let (_, cancelled) = AsyncStream<Void>.makeStream()
        let (release, releaseSource) = AsyncStream<Void>.makeStream()
        defer { releaseSource.finish() }
        let call = HangingCall(started: started, cancelled: cancelled, release: release)
        try await Self.withCoalescer { coalescer in
            let request = showRequest("b")
            let key = try ReadKey(request)
            let patient = Task {
                await coalescer.join(key, request: request, context: Self.context, next: call.next, deadline: .now + .seconds(50))
            }
            var startedIterator = startedSignals.makeAsyncIterator()
            #expect(await startedIterator.next() != nil, "the first caller started the shared call")
            let hasty = await coalescer.join(key, request: request, context: Self.context, next: call.next, deadline: .now + .milliseconds(50))
            guard case .left = hasty else {
                Issue.record("the hasty waiter woke \(hasty), not at its deadline")
                return
            }
            #expect(coalescer.flightCount == 1, "the call goes on for the one still waiting")
            releaseSource.yield()
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
