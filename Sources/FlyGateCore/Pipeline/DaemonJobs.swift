/// Work the daemon runs for a caller in tasks it owns, not in the caller's task: shared
/// upstream calls of coalesced reads, and mutations that run to their end when their caller
/// leaves. A caller that goes takes nothing with it.
///
/// Each job runs in a child task of ``run()``'s group, on the executor it was submitted with
/// (the caller's connection's event loop, ``CallContext/executor``), so the job's code runs
/// on the thread that serves its caller.
package final class DaemonJobs: Sendable {
    package typealias Body = @Sendable () async -> Void

    private struct Job: Sendable {
        let executor: (any TaskExecutor)?
        let body: Body
    }

    private let jobs: AsyncStream<Job>
    private let queue: AsyncStream<Job>.Continuation

    package init() {
        (self.jobs, self.queue) = AsyncStream.makeStream(of: Job.self)
    }

    /// Runs the jobs until ``finish()``, then waits for those still running.
    package func run() async {
        await withDiscardingTaskGroup { group in
            for await job in self.jobs {
                group.addTask(executorPreference: job.executor) { await job.body() }
            }
        }
    }

    /// Takes no new jobs; ``run()`` returns once those running have ended.
    package func finish() {
        self.queue.finish()
    }

    /// Queues `body` to run on `executor` (any when nil); false, and never run, after ``finish()``.
    package func submit(on executor: (any TaskExecutor)?, _ body: @escaping Body) -> Bool {
        if case .terminated = self.queue.yield(Job(executor: executor, body: body)) { return false }
        return true
    }
}
