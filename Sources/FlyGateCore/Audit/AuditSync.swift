import Dispatch
import Synchronization

/// Group commit: callers that need their record durable wait here; one `fdatasync` on a
/// dedicated queue covers every record written before it started, however many callers wait.
///
/// No thread of the cooperative pool ever blocks on the disk.
package final class AuditSync: Sendable {
    /// Where the records go: the current file and the last sequence number written to it.
    typealias Source = @Sendable () -> (file: AuditFile?, seq: UInt64)

    private struct State {
        var synced: UInt64 = 0
        var running = false
        var failure: AuditError?
        var waiters: [(seq: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    }

    private typealias Waiter = (seq: UInt64, continuation: CheckedContinuation<Void, any Error>)

    private let state = Mutex(State())
    private let queue = DispatchQueue(label: "flygate.audit.sync")
    /// Syncs done, for tests and the benchmark (fewer than durable records means commits were grouped).
    private let syncCount = Atomic<Int>(0)

    init() {}

    /// How many `fdatasync` calls ran.
    package var syncs: Int { syncCount.load(ordering: .relaxed) }

    /// Returns once record `seq` is on disk; throws when the sync failed.
    func waitDurable(seq: UInt64, source: @escaping Source) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            enum Next { case done, failed(AuditError), wait, start }
            let next: Next = state.withLock { state in
                if let failure = state.failure { return .failed(failure) }
                if state.synced >= seq { return .done }
                state.waiters.append((seq, continuation))
                if state.running { return .wait }
                state.running = true
                return .start
            }
            switch next {
            case .done: continuation.resume()
            case .failed(let error): continuation.resume(throwing: error)
            case .wait: break
            case .start: queue.async { self.drain(source) }
            }
        }
    }

    /// Notes that everything up to `seq` is durable already (a rotation synced the old file).
    func markSynced(upTo seq: UInt64) {
        let ready = state.withLock { state in
            state.synced = max(state.synced, seq)
            return take(&state, upTo: state.synced)
        }
        for waiter in ready { waiter.continuation.resume() }
    }

    /// Syncs until nobody waits; runs on `queue`.
    private func drain(_ source: Source) {
        while true {
            let (file, target) = source()
            var failure: AuditError?
            if let file {
                do { try file.sync() } catch { failure = error }
                syncCount.add(1, ordering: .relaxed)
            } else {
                failure = AuditError(.unavailable, "the audit log is closed")
            }
            let (ready, failed, more) = state.withLock { state -> ([Waiter], [Waiter], Bool) in
                if let failure {
                    state.failure = failure
                    let all = state.waiters
                    state.waiters = []
                    state.running = false
                    return ([], all, false)
                }
                state.synced = max(state.synced, target)
                let ready = take(&state, upTo: state.synced)
                state.running = !state.waiters.isEmpty
                return (ready, [], state.running)
            }
            for waiter in ready { waiter.continuation.resume() }
            for waiter in failed { waiter.continuation.resume(throwing: failure!) }
            if !more { return }
        }
    }

    private func take(_ state: inout State, upTo seq: UInt64) -> [(seq: UInt64, continuation: CheckedContinuation<Void, any Error>)] {
        let ready = state.waiters.filter { $0.seq <= seq }
        state.waiters.removeAll { $0.seq <= seq }
        return ready
    }
}
