import Synchronization

/// A one-shot signal carrying the listening address (or the failure to listen) to any waiters.
final class ListeningSignal: Sendable {
    private enum State {
        case waiting([CheckedContinuation<String, any Error>])
        case done(Result<String, any Error>)
    }

    private let state = Mutex(State.waiting([]))

    /// A signal no one has fired yet.
    init() {}

    /// Fires the signal; later calls are ignored.
    func complete(_ result: Result<String, any Error>) {
        let waiters: [CheckedContinuation<String, any Error>] = self.state.withLock { state in
            guard case .waiting(let waiters) = state else { return [] }
            state = .done(result)
            return waiters
        }
        for waiter in waiters {
            waiter.resume(with: result)
        }
    }

    /// Waits until the signal fires.
    func wait() async throws -> String {
        try await withCheckedThrowingContinuation { continuation in
            let result: Result<String, any Error>? = self.state.withLock { state in
                switch state {
                case .waiting(var waiters):
                    waiters.append(continuation)
                    state = .waiting(waiters)
                    return nil
                case .done(let result):
                    return result
                }
            }
            if let result {
                continuation.resume(with: result)
            }
        }
    }
}
