import NIOCore
import Synchronization

/// The one place the simulator's state lives: a `Mutex` around `StoreState`, plus the timers that
/// advance transient states and the waiters they wake.
package final class MachineStore: Sendable {
    private let state: Mutex<StoreState>
    private let eventLoop: any EventLoop
    private let transitionDelay: Duration

    /// A store whose transient states last `transitionDelay`, timed on `eventLoop`.
    package init(leaseOwner: String, transitionDelay: Duration, eventLoop: any EventLoop) {
        self.state = Mutex(StoreState(leaseOwner: leaseOwner))
        self.transitionDelay = transitionDelay
        self.eventLoop = eventLoop
    }

    /// Reads the state.
    package func read<Result: Sendable>(
        _ body: (StoreState) throws(SimulatorError) -> Result
    ) throws(SimulatorError) -> Result {
        try state.withLock { (state: inout StoreState) throws(SimulatorError) -> Result in try body(state) }
    }

    /// Changes the state at the current time and carries out the effects (timers, wake-ups).
    package func change<Result: Sendable>(
        _ body: (inout StoreState, WallClock) throws(SimulatorError) -> (Result, StoreEffects)
    ) throws(SimulatorError) -> Result {
        let (result, effects) = try state.withLock { (state: inout StoreState) throws(SimulatorError) in
            try body(&state, WallClock.now())
        }
        perform(effects)
        return result
    }

    /// Changes the state when there are no effects to carry out.
    package func update<Result: Sendable>(
        _ body: (inout StoreState, WallClock) throws(SimulatorError) -> Result
    ) throws(SimulatorError) -> Result {
        try state.withLock { (state: inout StoreState) throws(SimulatorError) -> Result in
            try body(&state, WallClock.now())
        }
    }

    /// Waits, without polling, until the machine reaches one of `states`, the timeout runs out, or the
    /// calling task is cancelled.
    package func wait(
        app: String, id: String, states: Set<String>, version: String?, fromEventID: String?, timeout: Duration
    ) async -> WaitOutcome {
        let registration = Mutex<(waiterID: Int?, cancelled: Bool)>((nil, false))
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<WaitOutcome, Never>) in
                let (outcome, waiterID) = state.withLock {
                    $0.beginWait(
                        app: app, id: id, states: states, version: version, fromEventID: fromEventID,
                        continuation: continuation)
                }
                if let outcome {
                    continuation.resume(returning: outcome)
                    return
                }
                guard let waiterID else { return }
                let cancelled = registration.withLock { registration in
                    registration.waiterID = waiterID
                    return registration.cancelled
                }
                if cancelled {
                    end(waiterID, with: .shutdown)
                    return
                }
                eventLoop.scheduleTask(in: Self.timeAmount(timeout)) { [self] in
                    end(waiterID, with: .timedOut)
                }
            }
        } onCancel: {
            let waiterID = registration.withLock { registration in
                registration.cancelled = true
                return registration.waiterID
            }
            if let waiterID { end(waiterID, with: .shutdown) }
        }
    }

    /// Ends every pending wait; later waits end at once.
    package func shutdown() {
        let pending = state.withLock { state in
            state.isShutDown = true
            let continuations = state.waiters.values.map(\.continuation)
            state.waiters.removeAll()
            return continuations
        }
        for continuation in pending { continuation.resume(returning: .shutdown) }
    }

    private func end(_ waiterID: Int, with outcome: WaitOutcome) {
        if let continuation = state.withLock({ $0.endWait(waiterID) }) {
            continuation.resume(returning: outcome)
        }
    }

    private func perform(_ effects: StoreEffects) {
        for (continuation, outcome) in effects.resumptions { continuation.resume(returning: outcome) }
        for timer in effects.timers {
            eventLoop.scheduleTask(in: Self.timeAmount(transitionDelay)) { [self] in
                let next = state.withLock { $0.advance(machineID: timer.machineID, generation: timer.generation, now: .now()) }
                perform(next)
            }
        }
    }

    /// A NIO time amount from a Swift duration.
    package static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(seconds * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
