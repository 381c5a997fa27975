/// What the daemon learns about a successful upstream call, for the audit log and metrics.
package struct UpstreamCallInfo: Sendable, Equatable {
    /// The HTTP status of the answer used.
    package var httpStatus: Int
    /// Its `fly-request-id`, when Fly sent one.
    package var flyRequestID: String?
    /// HTTP requests sent (retries and repeated waits included).
    package var attempts: Int
    /// Time spent queued by the client-side rate limiter.
    package var rateLimitDelay: Duration

    /// Every field.
    package init(httpStatus: Int, flyRequestID: String?, attempts: Int, rateLimitDelay: Duration = .zero) {
        self.httpStatus = httpStatus
        self.flyRequestID = flyRequestID
        self.attempts = attempts
        self.rateLimitDelay = rateLimitDelay
    }
}
