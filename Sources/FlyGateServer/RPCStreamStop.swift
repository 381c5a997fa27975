import FlyGateWire
import Synchronization

/// Ends a server stream from outside its handler: the server draining, or the client
/// breaking the stream's protocol (or giving it up). The first reason wins; once the stream
/// has finished, stopping it does nothing.
final class RPCStreamStop: Sendable {
    private enum State {
        case open(waiter: CheckedContinuation<RPCError?, Never>?)
        case stopped(RPCError)
        case finished
    }

    private let state = Mutex(State.open(waiter: nil))

    init() {}

    /// Whether the stream has neither been stopped nor finished.
    var isOpen: Bool {
        self.state.withLock { if case .open = $0 { true } else { false } }
    }

    /// Ends the stream with `reason` (its status on the wire), if it is still open.
    func stop(_ reason: RPCError) {
        let waiter: CheckedContinuation<RPCError?, Never>? = self.state.withLock { state in
            guard case .open(let waiter) = state else { return nil }
            state = .stopped(reason)
            return waiter
        }
        waiter?.resume(returning: reason)
    }

    /// The stream ended: later stops are ignored.
    func finish() {
        let waiter: CheckedContinuation<RPCError?, Never>? = self.state.withLock { state in
            defer { state = .finished }
            if case .open(let waiter) = state { return waiter }
            return nil
        }
        waiter?.resume(returning: nil)
    }

    /// Waits for a stop and returns its reason; nil when the task is cancelled or the stream
    /// finished first. One waiter at a time.
    func wait() async -> RPCError? {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<RPCError?, Never>) in
                let immediate: RPCError?? = self.state.withLock { state in
                    switch state {
                    case .open(let waiter):
                        precondition(waiter == nil, "one waiter at a time")
                        guard !Task.isCancelled else { return .some(nil) }
                        state = .open(waiter: continuation)
                        return nil
                    case .stopped(let reason):
                        return .some(reason)
                    case .finished:
                        return .some(nil)
                    }
                }
                if let immediate { continuation.resume(returning: immediate) }
            }
        } onCancel: {
            let waiter: CheckedContinuation<RPCError?, Never>? = self.state.withLock { state in
                guard case .open(let waiter?) = state else { return nil }
                state = .open(waiter: nil)
                return waiter
            }
            waiter?.resume(returning: nil)
        }
    }
}
