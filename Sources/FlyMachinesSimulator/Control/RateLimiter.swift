/// Fly's documented limits: a token bucket per (action, machine or app), 1 req/s with bursts of 3;
/// Show gets 5 req/s with bursts of 10; app deletions 100 a minute.
package struct RateLimiter: Sendable {
    private struct Bucket: Sendable {
        var tokens: Double
        var updatedMillis: Int64
    }

    private var buckets: [String: Bucket] = [:]

    /// An empty limiter.
    package init() {}

    /// Rate and burst for an operation.
    package static func limits(for operation: SimulatorOperation) -> (perSecond: Double, burst: Double) {
        switch operation {
        case .show: (5, 10)
        case .deleteApp: (100.0 / 60, 100)
        default: (1, 3)
        }
    }

    /// Takes a token for `operation` on `scope`; false means answer 429. `retryAfter` is whole seconds.
    package mutating func admit(_ operation: SimulatorOperation, scope: String, nowMillis: Int64) -> (
        admitted: Bool, retryAfter: Int
    ) {
        let (rate, burst) = Self.limits(for: operation)
        let key = operation.rawValue + "|" + scope
        var bucket = buckets[key] ?? Bucket(tokens: burst, updatedMillis: nowMillis)
        let elapsed = Double(max(0, nowMillis - bucket.updatedMillis)) / 1000
        bucket.tokens = min(burst, bucket.tokens + elapsed * rate)
        bucket.updatedMillis = nowMillis
        defer { buckets[key] = bucket }
        if bucket.tokens >= 1 {
            bucket.tokens -= 1
            return (true, 0)
        }
        return (false, max(1, Int(((1 - bucket.tokens) / rate).rounded(.up))))
    }
}
