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
            sleeper.armed(eventLoop.scheduleTask(at: deadline) { sleeper.end(with: nil) })
        }
    } onCancel: {
        sleeper.end(with: CancellationError())
    }
}

extension EventLoop {
    /// Runs `task` on this loop once `deadline` has passed (at once when it has), on a timer
    /// that cancelling the returned `Scheduled` takes off the loop.
    package func scheduleTask(
        at deadline: ContinuousClock.Instant, _ task: @escaping @Sendable () -> Void
    ) -> Scheduled<Void> {
        let left = max(.zero, deadline - .now)
        return self.scheduleTask(in: .nanoseconds(left.clampedNanoseconds), task)
    }
}

/// One ``sleep(until:on:)``: the continuation to resume once, and the timer to take off the
/// event loop when it is cancelled first.
private final class DeadlineSleeper: Sendable {
    private enum State {
        case idle
        case sleeping(CheckedContinuation<Void, any Error>, timer: Scheduled<Void>?)
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
    func armed(_ timer: Scheduled<Void>) {
        let keep = self.state.withLock { state in
            guard case .sleeping(let continuation, nil) = state else { return false }
            state = .sleeping(continuation, timer: timer)
            return true
        }
        if !keep { timer.cancel() }
    }

    /// Ends the sleep: the deadline passed (`error` nil) or the task was cancelled.
    func end(with error: (any Error)?) {
        let ended: (CheckedContinuation<Void, any Error>, Scheduled<Void>?)? = self.state.withLock { state in
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

/// Runs `operation` in a child task against `deadline`, and passes `whenFirst` whichever comes
/// first: the operation's value, or `expired()` once the deadline passes. It then cancels the
/// operation and returns when that has ended. Cancelling the caller cancels the operation, and
/// its value (what it answers cancelled) is the one passed on, unless the deadline came first.
///
/// The deadline is a timer on a NIO event loop, not a second task sleeping: racing each call
/// with two tasks cost about 10,000 instructions more a call (flygate-bench `--only callgrind`).
package func race<Value: Sendable>(
    _ deadline: ContinuousClock.Instant,
    expired: @escaping @Sendable () -> Value,
    operation: @escaping @Sendable () async -> Value,
    whenFirst: (Value) async -> Void
) async {
    await withTaskGroup(of: Void.self) { group in
        let first = FirstValue<Value>()
        group.addTask { first.offer(await operation()) }
        let timer = MultiThreadedEventLoopGroup.singleton.any().scheduleTask(at: deadline) { first.offer(expired()) }
        let value = await first.value()
        timer.cancel()
        group.cancelAll()
        await whenFirst(value)
    }
}

/// The first value offered, to one waiter; later offers are dropped.
private final class FirstValue<Value: Sendable>: Sendable {
    private enum State {
        case open
        case awaited(CheckedContinuation<Value, Never>)
        case offered(Value)
        case taken
    }

    private let state = Mutex(State.open)

    func offer(_ value: Value) {
        let waiter: CheckedContinuation<Value, Never>? = self.state.withLock { state in
            switch state {
            case .open:
                state = .offered(value)
                return nil
            case .awaited(let continuation):
                state = .taken
                return continuation
            case .offered, .taken:
                return nil
            }
        }
        waiter?.resume(returning: value)
    }

    func value() async -> Value {
        await withCheckedContinuation { (continuation: CheckedContinuation<Value, Never>) in
            let offered: Value? = self.state.withLock { state in
                guard case .offered(let value) = state else {
                    state = .awaited(continuation)
                    return nil
                }
                state = .taken
                return value
            }
            if let offered { continuation.resume(returning: offered) }
        }
    }
}
