import FlyMachinesProto

/// One HTTP attempt, as reported to an `UpstreamObserver`.
package struct UpstreamAttempt: Sendable, Equatable {
    /// How the attempt ended.
    package enum Outcome: Sendable, Equatable {
        /// Fly answered with this status.
        case status(Int)
        /// No answer: the transport failed (connect, reset, timeout); the text is for logs.
        case transportFailure(String)
        /// The caller went away.
        case cancelled
    }

    /// The rpc.
    package var rpc: MachinesRPC
    /// 1 for the first request of a call.
    package var number: Int
    /// How it ended.
    package var outcome: Outcome
    /// From sending to the end of the answer (or the failure).
    package var duration: Duration

    /// Every field.
    package init(rpc: MachinesRPC, number: Int, outcome: Outcome, duration: Duration) {
        self.rpc = rpc
        self.number = number
        self.outcome = outcome
        self.duration = duration
    }
}

/// Told about every HTTP attempt (the daemon's metrics). Called on the calling task; keep it quick.
package protocol UpstreamObserver: Sendable {
    /// One attempt ended.
    func attemptFinished(_ attempt: UpstreamAttempt)
}

/// An `UpstreamObserver` made of a closure.
package struct ClosureUpstreamObserver: UpstreamObserver {
    private let body: @Sendable (UpstreamAttempt) -> Void

    /// Calls `body` for every attempt.
    package init(_ body: @escaping @Sendable (UpstreamAttempt) -> Void) {
        self.body = body
    }

    /// Calls the closure.
    package func attemptFinished(_ attempt: UpstreamAttempt) { body(attempt) }
}
