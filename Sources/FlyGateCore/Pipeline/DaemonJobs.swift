import Synchronization

/// Work the daemon runs for a caller in tasks it owns, not in the caller's task: shared
/// upstream calls of coalesced reads, and mutations that run to their end when their caller
/// leaves. A caller that goes takes nothing with it.
///
/// Each job is a task of its own, started at once on the executor it was submitted with (the
/// caller's connection's event loop, ``CallContext/executor``), so the job's code runs on the
/// thread that serves its caller. ``run()`` is where the daemon waits for them: it returns
/// once ``finish()`` was called and every job has ended, and cancelling it cancels them all.
///
/// Jobs used to be handed through a stream to ``run()``'s task group, which started each as a
/// child: a job then waited for that task to be scheduled, on Swift's global executor, before
/// it could start (docs/performance.md, seventh round).
package final class DaemonJobs: Sendable {
    package typealias Body = @Sendable () async -> Void

    private struct State {
        var accepting = true
        var running: [UInt64: Task<Void, Never>] = [:]
        var nextID: UInt64 = 0
        /// ``run()``, waiting for the last job once no more are accepted.
        var drained: CheckedContinuation<Void, Never>?

        /// ``run()``'s continuation to resume, when the last job has ended.
        mutating func takeDrainedIfIdle() -> CheckedContinuation<Void, Never>? {
            guard !accepting, running.isEmpty else { return nil }
            defer { drained = nil }
            return drained
        }
    }

    private let state = Mutex(State())

    package init() {}

    /// Waits until ``finish()`` has been called and every job has ended; cancelling it cancels
    /// the jobs (it still returns only once they have ended).
    package func run() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let idle = self.state.withLock { state in
                    state.drained = continuation
                    return state.takeDrainedIfIdle()
                }
                idle?.resume()
            }
        } onCancel: {
            let (jobs, idle) = self.state.withLock { state in
                state.accepting = false
                return (Array(state.running.values), state.takeDrainedIfIdle())
            }
            for job in jobs { job.cancel() }
            idle?.resume()
        }
    }

    /// Takes no new jobs; ``run()`` returns once those running have ended.
    package func finish() {
        let idle = self.state.withLock { state in
            state.accepting = false
            return state.takeDrainedIfIdle()
        }
        idle?.resume()
    }

    /// Starts `body` on `executor` (any when nil) and returns its task, which cancelling
    /// cancels; nil, and never run, once no more jobs are taken.
    @discardableResult
    package func submit(on executor: (any TaskExecutor)?, _ body: @escaping Body) -> Task<Void, Never>? {
        // Started under the lock, so the job's end (which takes it too) finds its entry.
        self.state.withLock { state in
            guard state.accepting else { return nil }
            let id = state.nextID
            state.nextID += 1
            let job = Task.detached(executorPreference: executor) {
                await body()
                self.ended(id)
            }
            state.running[id] = job
            return job
        }
    }

    private func ended(_ id: UInt64) {
        let idle = self.state.withLock { state in
            state.running[id] = nil
            return state.takeDrainedIfIdle()
        }
        idle?.resume()
    }
}
