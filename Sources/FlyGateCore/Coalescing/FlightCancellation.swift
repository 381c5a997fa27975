import Synchronization

/// How a shared call is cancelled when its last waiter leaves: it cancels the call's task,
/// which may be attached only after the cancel came (then it is cancelled as it is attached).
package final class FlightCancellation: Sendable {
    private enum State {
        case waiting(task: Task<Void, Never>?)
        case cancelled
    }

    private let state = Mutex(State.waiting(task: nil))

    package init() {}

    /// The shared call's task, cancelled at once when the flight was cancelled already.
    func attach(_ task: Task<Void, Never>) {
        let cancelNow = state.withLock { state in
            guard case .waiting = state else { return true }
            state = .waiting(task: task)
            return false
        }
        if cancelNow { task.cancel() }
    }

    /// Cancels the shared call (now, or when its task is attached).
    package func cancel() {
        let task: Task<Void, Never>? = state.withLock { state in
            defer { state = .cancelled }
            guard case .waiting(let task) = state else { return nil }
            return task
        }
        task?.cancel()
    }
}
