import FlyGateServer
import FlyGateWire
import FlyMachinesProto
import NIOCore
import NIOPosix
import SwiftProtobuf
import Synchronization

/// Shares one upstream call among identical concurrent reads and keeps the read cache.
///
/// Shared calls run in tasks of the daemon's (``OwnedTasks``; ``run()`` waits for them), never
/// in a caller's task: a caller that leaves takes nothing with it. A call is cancelled when its
/// last waiter leaves; each waiter leaves at its own deadline or cancellation.
package final class Coalescer: Sendable {
    /// What wakes a waiting caller.
    typealias Waiter = CheckedContinuation<FlightWakeup, Never>

    private let state: Mutex<CoalescerState<Waiter>>
    /// The shared calls.
    private let jobs = OwnedTasks()
    private let nextWaiterID = Atomic<UInt64>(1)
    /// The longest a shared call may run, whoever waits for it.
    let maxFlightDuration: Duration

    /// A coalescer with a cache bounded as given.
    package init(maxCacheEntries: Int, maxCacheBytes: Int, maxFlightDuration: Duration) {
        self.state = Mutex(CoalescerState(maxCacheEntries: maxCacheEntries, maxCacheBytes: maxCacheBytes))
        self.maxFlightDuration = maxFlightDuration
    }

    /// Returns once ``finish()`` was called and the shared calls in progress have ended;
    /// cancelling it cancels them.
    package func run() async {
        await jobs.run()
    }

    /// Takes no new shared calls; ``run()`` returns once those in progress end.
    package func finish() {
        jobs.finish()
    }

    /// The cached answer for `key` if at most `maxAge` old.
    func cachedAnswer(for key: ReadKey, maxAge: Duration) -> ReadCache.Answer? {
        state.withLock { $0.cachedAnswer(for: key, maxAge: maxAge, now: .now) }
    }

    /// Entries and bytes in the cache.
    package var cacheUsage: (entries: Int, bytes: Int) {
        state.withLock { ($0.cache.count, $0.cache.bytes) }
    }

    /// Shared calls in progress.
    package var flightCount: Int { state.withLock { $0.flightCount } }

    /// Callers waiting for a shared call.
    package var waiterCount: Int { state.withLock { $0.waiterCount } }

    /// Marks `scopes` stale (see ``CoalescerState/invalidate(_:)``).
    func invalidate(_ scopes: [ReadScope]) {
        state.withLock { $0.invalidate(scopes) }
    }

    /// Joins the shared call for `key` (starting it with `request` through `next` when there
    /// is none) and waits for it, until the caller is cancelled or its `deadline` passes (then
    /// it wakes `.left`).
    ///
    /// The deadline is a timer on the event loop, not a task racing the wait: a read that
    /// coalesces costs its caller no task of its own. A call the server cancels at that very
    /// deadline (``CallContext/cancelledAtDeadline``) leaves by its cancellation, with no timer.
    func join<Request: MachinesRPCRequest>(
        _ key: ReadKey,
        request: Request,
        context: CallContext,
        next: MachinesNext<Request>,
        deadline: ContinuousClock.Instant?
    ) async -> FlightWakeup {
        let waiterID = nextWaiterID.wrappingAdd(1, ordering: .relaxed).oldValue
        let timed = deadline.flatMap { context.cancelledAtDeadline && context.deadline == $0 ? nil : $0 }
        let timer = timed.map { _ in WaitTimer() }
        let wakeup = await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: Waiter) in
                let now = ContinuousClock.now
                let action = state.withLock {
                    $0.join(key, waiterID: waiterID, continuation: continuation, isCancelled: Task.isCancelled, now: now)
                }
                switch action {
                case .wait:
                    break
                case .resume(let waiter, let wakeup):
                    waiter.resume(returning: wakeup)
                    return
                case .start(let flightID, let cancellation):
                    let job = makeJob(flightID, request, context, next, deadline: now + maxFlightDuration)
                    if let task = jobs.submit(on: context.executor, job) {
                        cancellation.attach(task)
                    } else {
                        fail(flightID, deadline: now, message: "the daemon is shutting down")
                    }
                }
                if let timed, let timer {
                    timer.arm(MultiThreadedEventLoopGroup.singleton.any().scheduleTimer(at: timed) { self.leave(waiterID) })
                }
            }
        } onCancel: {
            self.leave(waiterID)
        }
        timer?.cancel()
        return wakeup
    }

    /// Takes waiter `waiterID` out of its flight and wakes it `.left`; the last waiter out
    /// cancels the shared call.
    private func leave(_ waiterID: UInt64) {
        let action = state.withLock { $0.leave(waiterID: waiterID) }
        action.waiter?.resume(returning: .left)
        action.cancel?.cancel()
    }

    /// The shared call: the rest of the pipeline under the flight's own deadline and annotations.
    /// It runs in a task of ``jobs``, which the last waiter leaving cancels.
    private func makeJob<Request: MachinesRPCRequest>(
        _ flightID: UInt64,
        _ request: Request,
        _ leader: CallContext,
        _ next: MachinesNext<Request>,
        deadline: ContinuousClock.Instant
    ) -> OwnedTasks.Body {
        { [self] in
            var flight = CallContext(
                service: leader.service, method: leader.method, peer: leader.peer, connectionID: leader.connectionID,
                streamID: leader.streamID, deadline: deadline, metadata: leader.metadata)
            flight.executor = leader.executor
            let context = flight
            let result: Result<any SwiftProtobuf.Message, any Error>
            do { result = .success(try await next(request, context)) } catch { result = .failure(error) }
            // Only cacheable reads are stored: a Wait's answer is about a moment, never cached.
            // Its size is its encoding's, counted in one pass without writing it (SwiftProtobuf
            // encodes it, sizing each nested message again: a tenth of a Show's instructions).
            var answerBytes: Int?
            if Request.rpc.traits.cacheable, case .success(let response) = result {
                answerBytes = try? response.singlePassSerializedSize()
            }
            let outcome = FlightOutcome(result: result, upstream: context.annotations.values.upstream, deadline: deadline)
            let wakeups = state.withLock { $0.complete(flightID: flightID, outcome: outcome, answerBytes: answerBytes) }
            for (waiter, wakeup) in wakeups { waiter.resume(returning: wakeup) }
        }
    }

    private func fail(_ flightID: UInt64, deadline: ContinuousClock.Instant, message: String) {
        let outcome = FlightOutcome(
            result: .failure(DaemonError(code: .unavailable, message: message)), upstream: nil, deadline: deadline)
        let wakeups = state.withLock { $0.complete(flightID: flightID, outcome: outcome, answerBytes: nil) }
        for (waiter, wakeup) in wakeups { waiter.resume(returning: wakeup) }
    }
}

/// A waiter's deadline: armed while it waits, taken off the event loop once it woke.
private final class WaitTimer: Sendable {
    private let scheduled = Mutex<LoopTimer?>(nil)

    func arm(_ timer: LoopTimer) {
        scheduled.withLock { $0 = timer }
    }

    func cancel() {
        scheduled.withLock { $0 }?.cancel()
    }
}
