import FlyGateWire
import NIOCore
import NIOPosix
import Synchronization

/// Sleeps until `deadline`, or until the task is cancelled (then throws `CancellationError`),
/// like `Task.sleep(until:clock:)` — but a cancelled sleep leaves nothing behind.
///
/// `Task.sleep` hands its wake-up to a dispatch timer that stays armed, holding about 300 bytes,
/// until the deadline passes however early the sleep is cancelled. Racing every call against
/// its deadline that way keeps one timer for every call of the last deadline's length: a watch
/// with an hour's deadline keeps its timer for the hour after it ends. This sleep's timer is a
/// task scheduled on a NIO event loop, which cancelling takes off the loop at once.
package func sleep(
    until deadline: ContinuousClock.Instant, on eventLoop: any EventLoop = MultiThreadedEventLoopGroup.singleton.any()
) async throws {
    let sleeper = DeadlineSleeper()
    try await withTaskCancellationHandler {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            guard sleeper.begin(continuation) else { return }
            sleeper.armed(eventLoop.scheduleTimer(at: deadline) { sleeper.end(with: nil) })
        }
    } onCancel: {
        sleeper.end(with: CancellationError())
    }
}

/// A callback on an event loop at a deadline; cancelling it takes it off the loop.
///
/// NIO's `scheduleCallback`, not `scheduleTask`: no promise and future are made for it, which
/// was about half of a timer's cost, and every call with a deadline has one or two.
package struct LoopTimer: Sendable {
    fileprivate let callback: NIOScheduledCallback?

    package func cancel() {
        callback?.cancel()
    }
}

extension EventLoop {
    /// Runs `task` on this loop once `deadline` has passed (at once when it has). A loop that
    /// is shutting down takes no timer: it never runs.
    package func scheduleTimer(at deadline: ContinuousClock.Instant, _ task: @escaping @Sendable () -> Void) -> LoopTimer {
        let left = max(.zero, deadline - .now)
        let due = NIODeadline.now() + .nanoseconds(left.clampedNanoseconds)
        return LoopTimer(callback: try? self.scheduleCallback(at: due, handler: TimerCallback(fire: task)))
    }
}

private struct TimerCallback: NIOScheduledCallbackHandler, Sendable {
    let fire: @Sendable () -> Void

    func handleScheduledCallback(eventLoop: some EventLoop) {
        fire()
    }
}

/// One ``sleep(until:on:)``: the continuation to resume once, and the timer to take off the
/// event loop when it is cancelled first.
private final class DeadlineSleeper: Sendable {
    private enum State {
        case idle
        case sleeping(CheckedContinuation<Void, any Error>, timer: LoopTimer?)
        /// Cancelled before it began, or ended (fired or cancelled).
        case over
    }

    private let state = Mutex(State.idle)

    /// Takes the continuation; false (having resumed it) when the sleep was cancelled already.
    func begin(_ continuation: CheckedContinuation<Void, any Error>) -> Bool {
        let sleeping = self.state.withLock { state in
            guard case .idle = state else { return false }
            state = .sleeping(continuation, timer: nil)
            return true
        }
        if !sleeping { continuation.resume(throwing: CancellationError()) }
        return sleeping
    }

    /// Keeps the timer, or cancels it when the sleep ended while it was being armed.
    func armed(_ timer: LoopTimer) {
        let keep = self.state.withLock { state in
            guard case .sleeping(let continuation, nil) = state else { return false }
            state = .sleeping(continuation, timer: timer)
            return true
        }
        if !keep { timer.cancel() }
    }

    /// Ends the sleep: the deadline passed (`error` nil) or the task was cancelled.
    func end(with error: (any Error)?) {
        let ended: (CheckedContinuation<Void, any Error>, LoopTimer?)? = self.state.withLock { state in
            defer { state = .over }
            guard case .sleeping(let continuation, let timer) = state else { return nil }
            return (continuation, timer)
        }
        guard let (continuation, timer) = ended else { return }
        if let error {
            timer?.cancel()
            continuation.resume(throwing: error)
        } else {
            continuation.resume()
        }
    }
}

/// Runs `operation` against `deadline` in the calling task, and passes `whenFirst` whichever
/// comes first: the operation's value, or `expired()` once the deadline passes. At the deadline
/// the calling task is cancelled, so the operation ends early, and `whenFirst(expired())` goes
/// out at once from a task of its own (on `executor`); the race returns once both have ended.
/// Cancelling the caller cancels the operation, and its value (what it answers cancelled) is
/// the one passed on, unless the deadline came first.
///
/// The deadline is a timer on a NIO event loop, and the operation runs where it was called:
/// racing each call with a second task sleeping cost about 10,000 instructions more a call, and
/// running the operation in a child task about 9,000 (flygate-bench `--only callgrind`).
package func race<Value: Sendable>(
    _ deadline: ContinuousClock.Instant,
    on executor: (any TaskExecutor)? = nil,
    expired: @escaping @Sendable () -> Value,
    operation: () async -> Value,
    whenFirst: @escaping @Sendable (Value) async -> Void
) async {
    let race = withUnsafeCurrentTask { DeadlineRace($0) }
    let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTimer(at: deadline) {
        race.expire { Task.detached(executorPreference: executor) { await whenFirst(expired()) } }
    }
    let value = await operation()
    timer.cancel()
    if let reply = race.finish() {
        await reply.value
    } else {
        await whenFirst(value)
    }
}

/// Which of a ``race(_:on:expired:operation:whenFirst:)``'s operation and deadline came first.
///
/// It keeps the racing task to cancel it at the deadline, and uses it only under its lock
/// while the race has not finished, that is while the task is still running the race:
/// hence `@unchecked Sendable`.
private final class DeadlineRace: @unchecked Sendable {
    private enum State: @unchecked Sendable {
        case running(UnsafeCurrentTask?)
        /// The deadline came first; the task sends its answer.
        case expired(reply: Task<Void, Never>)
        case finished
    }

    private let state: Mutex<State>

    init(_ task: UnsafeCurrentTask?) {
        self.state = Mutex(.running(task))
    }

    /// The deadline passed: unless the operation finished, starts the deadline's answer and
    /// cancels the racing task.
    func expire(_ reply: () -> Task<Void, Never>) {
        self.state.withLock { state in
            guard case .running(let task) = state else { return }
            state = .expired(reply: reply())
            task?.cancel()
        }
    }

    /// The operation ended: nil when it came first, else the deadline's answer to wait for.
    func finish() -> Task<Void, Never>? {
        self.state.withLock { state in
            defer { state = .finished }
            guard case .expired(let reply) = state else { return nil }
            return reply
        }
    }
}
