import Synchronization

/// Tasks the daemon owns and runs for a caller, not in the caller's task: each call of a ttrpc
/// connection, the shared upstream call of coalesced reads, and mutations that run to their
/// end when their caller leaves. A caller that goes takes nothing with it.
///
/// Each is a task of its own, started at once on the executor it was submitted with (the
/// caller's connection's event loop, ``CallContext/executor``), so its code runs on the thread
/// that serves its caller. ``run()`` is where the owner waits for them: it returns once
/// ``finish()`` or ``cancelAll()`` was called and every task has ended, and cancelling it
/// cancels them all.
///
/// Started as children of a task group instead, each had to be handed to the group's task
/// first: through a stream to be scheduled on Swift's global executor (the daemon's tasks), or
/// through the connection's async channel (its calls) (docs/performance.md, seventh round).
package final class OwnedTasks: Sendable {
    package typealias Body = @Sendable () async -> Void

    private struct State {
        var accepting = true
        var running: [UInt64: Task<Void, Never>] = [:]
        var nextID: UInt64 = 0
        /// ``run()``, waiting for the last task once no more are accepted.
        var drained: CheckedContinuation<Void, Never>?

        /// ``run()``'s continuation to resume, when the last task has ended.
        mutating func takeDrainedIfIdle() -> CheckedContinuation<Void, Never>? {
            guard !accepting, running.isEmpty else { return nil }
            defer { drained = nil }
            return drained
        }
    }

    private let state = Mutex(State())

    package init() {}

    /// Waits until ``finish()`` or ``cancelAll()`` has been called and every task has ended;
    /// cancelling it cancels the tasks (it still returns only once they have ended).
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
            self.cancelAll()
        }
    }

    /// Takes no new tasks and cancels those running; ``run()`` returns once they have ended.
    package func cancelAll() {
        let (tasks, idle) = self.state.withLock { state in
            state.accepting = false
            return (Array(state.running.values), state.takeDrainedIfIdle())
        }
        for task in tasks { task.cancel() }
        idle?.resume()
    }

    /// Takes no new tasks; ``run()`` returns once those running have ended.
    package func finish() {
        let idle = self.state.withLock { state in
            state.accepting = false
            return state.takeDrainedIfIdle()
        }
        idle?.resume()
    }

    /// Starts `body` on `executor` (any when nil) and returns its task, which cancelling
    /// cancels; nil, and never run, once no more tasks are taken.
    @discardableResult
    package func submit(on executor: (any TaskExecutor)?, _ body: @escaping Body) -> Task<Void, Never>? {
        // Started under the lock, so the task's end (which takes it too) finds its entry.
        self.state.withLock { state in
            guard state.accepting else { return nil }
            let id = state.nextID
            state.nextID += 1
            let task = Task.detached(executorPreference: executor) {
                await body()
                self.ended(id)
            }
            state.running[id] = task
            return task
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
