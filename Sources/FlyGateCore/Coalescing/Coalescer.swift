import FlyGateServer
import FlyGateWire
import FlyMachinesProto
import SwiftProtobuf
import Synchronization

/// Shares one upstream call among identical concurrent reads and keeps the read cache.
///
/// Shared calls run as children of ``run()``'s task group (the daemon runs it next to the
/// server), never in a caller's task: a caller that leaves takes nothing with it. A call is
/// cancelled when its last waiter leaves; each waiter leaves at its own deadline or cancellation.
package final class Coalescer: Sendable {
    /// What wakes a waiting caller.
    typealias Waiter = CheckedContinuation<FlightWakeup, Never>

    private let state: Mutex<CoalescerState<Waiter>>
    /// The shared calls.
    private let jobs = DaemonJobs()
    private let nextWaiterID = Atomic<UInt64>(1)
    /// The longest a shared call may run, whoever waits for it.
    let maxFlightDuration: Duration

    /// A coalescer with a cache bounded as given.
    package init(maxCacheEntries: Int, maxCacheBytes: Int, maxFlightDuration: Duration) {
        self.state = Mutex(CoalescerState(maxCacheEntries: maxCacheEntries, maxCacheBytes: maxCacheBytes))
        self.maxFlightDuration = maxFlightDuration
    }

    /// Runs shared calls until ``finish()`` (then waits for those in progress) or cancellation.
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
    /// is none) and waits for it, or for the caller's cancellation.
    func join<Request: MachinesRPCRequest>(
        _ key: ReadKey,
        request: Request,
        context: CallContext,
        next: MachinesNext<Request>
    ) async -> FlightWakeup {
        let waiterID = nextWaiterID.wrappingAdd(1, ordering: .relaxed).oldValue
        return await withTaskCancellationHandler {
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
                case .start(let flightID, let cancelled):
                    let job = makeJob(flightID, request, context, next, cancelled, deadline: now + maxFlightDuration)
                    if !jobs.submit(on: context.executor, job) {
                        fail(flightID, deadline: now, message: "the daemon is shutting down")
                    }
                }
            }
        } onCancel: {
            let action = state.withLock { $0.leave(waiterID: waiterID) }
            action.waiter?.resume(returning: .left)
            action.cancel?.finish()
        }
    }

    /// The shared call: the rest of the pipeline under the flight's own deadline and annotations,
    /// raced against the signal that its last waiter left.
    private func makeJob<Request: MachinesRPCRequest>(
        _ flightID: UInt64,
        _ request: Request,
        _ leader: CallContext,
        _ next: MachinesNext<Request>,
        _ cancelled: AsyncStream<Never>,
        deadline: ContinuousClock.Instant
    ) -> DaemonJobs.Body {
        { [self] in
            var flight = CallContext(
                service: leader.service, method: leader.method, peer: leader.peer, connectionID: leader.connectionID,
                streamID: leader.streamID, deadline: deadline, metadata: leader.metadata)
            flight.executor = leader.executor
            let context = flight
            let result = await withTaskGroup(of: Result<any SwiftProtobuf.Message, any Error>?.self) { group in
                group.addTask {
                    do { return .success(try await next(request, context)) } catch { return .failure(error) }
                }
                group.addTask {
                    for await _ in cancelled {}
                    return nil
                }
                let first = await group.next() ?? nil
                group.cancelAll()
                return first ?? .failure(CancellationError())
            }
            // Only cacheable reads are stored: a Wait's answer is about a moment, never cached.
            var answerBytes: Int?
            if Request.rpc.traits.cacheable, case .success(let response) = result {
                answerBytes = (try? response.serializedBytes() as [UInt8])?.count
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
