import SwiftProtobuf

/// How a shared upstream call ended, as each of its waiters receives it.
package struct FlightOutcome: Sendable {
    /// The response, or the error the rest of the pipeline threw.
    package var result: Result<any SwiftProtobuf.Message, any Error>
    /// What the upstream said (status, request id, attempts), when it was reached.
    package var upstream: CallAnnotations.Upstream?
    /// The shared call's own deadline.
    package var deadline: ContinuousClock.Instant
}

/// Why a waiter woke up.
package enum FlightWakeup: Sendable {
    /// The shared call ended; `joined` is false for the waiter that started it.
    case finished(FlightOutcome, joined: Bool)
    /// The waiter left (its task was cancelled) before the call ended.
    case left
}
