import NIOCore

/// A Swift concurrency task executor that runs its jobs on one NIO event loop.
///
/// Each connection's task prefers the executor of its channel's event loop, and so do the
/// tasks that serve its calls (child tasks inherit the preference, and ``CallContext/executor``
/// carries it to the work the daemon starts on a call's behalf). A call's code then runs on
/// the thread that read its request and that will write its answer, with the upstream HTTP
/// connection on that same loop where the pool has one: no thread is woken to hand a call on.
/// Code isolated to an actor still runs on that actor's executor.
package final class EventLoopTaskExecutor: TaskExecutor, Sendable {
    /// The loop the jobs run on.
    package let eventLoop: any EventLoop

    package init(_ eventLoop: any EventLoop) {
        self.eventLoop = eventLoop
    }

    package func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        self.eventLoop.execute {
            job.runSynchronously(on: self.asUnownedTaskExecutor())
        }
    }
}
