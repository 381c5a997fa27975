/// How a `Wait` call is served: Fly's wait takes 1–60 s, so a longer one repeats the upstream
/// wait on 408 until the whole wait's deadline. Pure.
package struct WaitPlan: Sendable, Equatable {
    /// Fly's longest wait.
    package static let maxUpstreamSeconds: Int64 = 60
    /// Fly's default wait.
    package static let defaultSeconds: Int64 = 60

    /// When the whole wait ends: the caller's deadline, shortened by the request's own `timeout`
    /// when it set one; with no caller deadline, the request's timeout (default 60 s).
    package let deadline: ContinuousClock.Instant

    /// Plans a wait asking for `requestedSeconds` (nil: not set) for a caller bound by `callerDeadline`.
    package init(requestedSeconds: Int64?, callerDeadline: ContinuousClock.Instant?, now: ContinuousClock.Instant) {
        let own = now + .seconds(max(1, requestedSeconds ?? Self.defaultSeconds))
        switch (callerDeadline, requestedSeconds) {
        case (nil, _): deadline = own
        case (let caller?, nil): deadline = caller
        case (let caller?, _?): deadline = min(caller, own)
        }
    }

    /// Time spent between planning and sending that still counts as a whole second left.
    package static let tolerance = Duration.milliseconds(50)

    /// The upstream `timeout` (whole seconds, 1…60) for the next request: what is left, rounded
    /// down (within `tolerance`). The first request always goes (at least 1 s); a repeat only when
    /// a second is left.
    package func upstreamSeconds(now: ContinuousClock.Instant, isFirst: Bool) -> Int64? {
        let remaining = deadline - now + Self.tolerance
        if remaining < .seconds(1) { return isFirst ? 1 : nil }
        return min(Self.maxUpstreamSeconds, max(1, remaining.components.seconds))
    }
}
