import FlyMachinesProto

/// When a failed attempt is tried again, and after how long. Pure: the client feeds it outcomes.
///
/// - A transport failure before the request was written (connect refused or timed out): any rpc.
/// - A transport failure after, or 502/503/504: only reads (GET) and lease release.
/// - 429: any rpc, after `Retry-After` when given, else exponential backoff with jitter.
/// - Anything else, and a mutating call after a 5xx or an ambiguous failure: never.
package struct UpstreamRetryPolicy: Sendable, Equatable {
    /// Most HTTP requests per call (the first included); 1 disables retries.
    package var maxAttempts: Int
    /// The first backoff.
    package var initialBackoff: Duration
    /// The largest backoff.
    package var maxBackoff: Duration

    /// Every field.
    package init(maxAttempts: Int, initialBackoff: Duration, maxBackoff: Duration) {
        self.maxAttempts = maxAttempts
        self.initialBackoff = initialBackoff
        self.maxBackoff = maxBackoff
    }

    /// 4 attempts, 100 ms doubling to at most 2 s.
    package static var defaults: UpstreamRetryPolicy {
        UpstreamRetryPolicy(maxAttempts: 4, initialBackoff: .milliseconds(100), maxBackoff: .seconds(2))
    }

    /// Refuses a policy that cannot work.
    package func validate() throws(FlyAPIError) {
        guard maxAttempts >= 1 else { throw .configuration("retry.maxAttempts must be at least 1") }
        guard initialBackoff > .zero, maxBackoff >= initialBackoff else {
            throw .configuration("retry backoffs must be positive and initialBackoff <= maxBackoff")
        }
    }

    /// How one attempt ended, as far as retrying is concerned.
    package enum Outcome: Sendable, Equatable {
        /// An HTTP answer with this status (and `Retry-After`, if it had one).
        case status(Int, retryAfter: Duration?)
        /// The request never left: connect refused, connect timeout, no connection from the pool.
        case notSent
        /// The request may have reached Fly: reset, closed or timed out after writing.
        case ambiguous
    }

    /// Whether `rpc` may be retried after `outcome` at all.
    package static func isRetryable(_ rpc: MachinesRPC, after outcome: Outcome) -> Bool {
        let replayable = rpc.traits.replayable
        switch outcome {
        case .notSent: return true
        case .ambiguous: return replayable
        case .status(429, _): return true
        case .status(502, _), .status(503, _), .status(504, _): return replayable
        case .status: return false
        }
    }

    /// The delay before attempt `attempt + 1` after `outcome`; nil when no retry is allowed.
    package func delay(
        for rpc: MachinesRPC, after outcome: Outcome, attempt: Int,
        random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }
    ) -> Duration? {
        guard attempt < maxAttempts, Self.isRetryable(rpc, after: outcome) else { return nil }
        if case .status(429, let retryAfter?) = outcome { return retryAfter }
        return backoff(attempt: attempt, random: random)
    }

    /// Exponential backoff with jitter: `initialBackoff * 2^(attempt-1)`, capped, times 0.5…1.
    package func backoff(attempt: Int, random: (ClosedRange<Double>) -> Double = { Double.random(in: $0) }) -> Duration {
        var base = initialBackoff
        for _ in 1..<max(1, attempt) where base < maxBackoff { base *= 2 }
        if base > maxBackoff { base = maxBackoff }
        return base * random(0.5...1.0)
    }
}
