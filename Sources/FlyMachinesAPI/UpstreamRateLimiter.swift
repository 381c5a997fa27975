import FlyMachinesProto
import Synchronization

/// Token buckets per (rpc, machine or app) at Fly's documented rates, so the daemon queues
/// within a caller's deadline instead of earning 429s. A `Mutex`-protected state machine decides
/// "go now", "wait until T" or "cannot make it"; the caller sleeps outside the lock.
package final class UpstreamRateLimiter: Sendable {
    /// A rate: tokens per second and the bucket size.
    package struct Rate: Sendable, Equatable {
        /// Sustained requests per second.
        package var perSecond: Double
        /// Requests allowed at once.
        package var burst: Int

        /// A rate.
        package init(perSecond: Double, burst: Int) {
            self.perSecond = perSecond
            self.burst = burst
        }
    }

    /// Rates and bounds.
    package struct Configuration: Sendable, Equatable {
        /// Off: every call goes at once.
        package var enabled: Bool
        /// The rate of every rpc not in `overrides`.
        package var defaultRate: Rate
        /// Per-rpc rates.
        package var overrides: [MachinesRPC: Rate]
        /// Most buckets kept; idle (full) buckets are evicted first, then the least recently used.
        package var maxBuckets: Int
        /// Added to every queued wait, so our bucket never runs ahead of Fly's (clocks and network differ).
        package var safetyMargin: Duration

        /// Every field.
        package init(
            enabled: Bool, defaultRate: Rate, overrides: [MachinesRPC: Rate], maxBuckets: Int, safetyMargin: Duration
        ) {
            self.enabled = enabled
            self.defaultRate = defaultRate
            self.overrides = overrides
            self.maxBuckets = maxBuckets
            self.safetyMargin = safetyMargin
        }

        /// Fly's documented limits (FLY_API.md §7): 1/s burst 3; Show (Get Machine) 5/s burst 10;
        /// 10,000 buckets; 50 ms margin.
        package static var defaults: Configuration {
            Configuration(
                enabled: true, defaultRate: Rate(perSecond: 1, burst: 3),
                overrides: [.show: Rate(perSecond: 5, burst: 10)], maxBuckets: 10_000, safetyMargin: .milliseconds(50))
        }

        /// The rate for `rpc`.
        package func rate(for rpc: MachinesRPC) -> Rate { overrides[rpc] ?? defaultRate }

        /// Refuses rates that cannot work.
        package func validate() throws(FlyAPIError) {
            for rate in [defaultRate] + Array(overrides.values) {
                guard rate.perSecond > 0, rate.perSecond.isFinite, rate.burst >= 1 else {
                    throw .configuration("rate limits need perSecond > 0 and burst >= 1")
                }
            }
            guard maxBuckets >= 1 else { throw .configuration("rateLimits.maxBuckets must be at least 1") }
            guard safetyMargin >= .zero else { throw .configuration("rateLimits.safetyMargin must not be negative") }
        }
    }

    /// What the limiter decided for one request.
    package enum Decision: Sendable, Equatable {
        /// Send now.
        case go
        /// A token is reserved at `instant`: sleep until then, then send.
        case waitUntil(ContinuousClock.Instant)
        /// The deadline comes before the next token; nothing was reserved. Retry after `retryAfter`.
        case refuse(retryAfter: Duration)
    }

    private struct Key: Hashable {
        var rpc: MachinesRPC
        var scope: String
    }

    private struct Bucket {
        /// May go negative: tokens reserved by callers now waiting.
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private struct State {
        var buckets: [Key: Bucket] = [:]

        mutating func decide(
            _ key: Key, rate: Rate, now: ContinuousClock.Instant, deadline: ContinuousClock.Instant?, maxBuckets: Int,
            margin: Duration
        ) -> Decision {
            var bucket = buckets[key] ?? Bucket(tokens: Double(rate.burst), updated: now)
            if buckets[key] == nil, buckets.count >= maxBuckets { evict(now: now, maxBuckets: maxBuckets) }
            let elapsed = UpstreamRateLimiter.seconds(now - bucket.updated)
            bucket.tokens = min(Double(rate.burst), bucket.tokens + max(0, elapsed) * rate.perSecond)
            bucket.updated = now
            if bucket.tokens >= 1 {
                bucket.tokens -= 1
                buckets[key] = bucket
                return .go
            }
            let wait = UpstreamRateLimiter.duration(seconds: (1 - bucket.tokens) / rate.perSecond) + margin
            if let deadline, now + wait > deadline {
                buckets[key] = bucket
                return .refuse(retryAfter: wait)
            }
            bucket.tokens -= 1
            buckets[key] = bucket
            return .waitUntil(now + wait)
        }

        /// Drops buckets untouched for a minute (refilled at any rate >= 1/min); then the least recently used.
        mutating func evict(now: ContinuousClock.Instant, maxBuckets: Int) {
            let idle = buckets.filter { _, bucket in
                bucket.tokens >= 0 && now - bucket.updated >= UpstreamRateLimiter.duration(seconds: 60)
            }
            for key in idle.keys { buckets.removeValue(forKey: key) }
            while buckets.count >= maxBuckets, let oldest = buckets.min(by: { $0.value.updated < $1.value.updated }) {
                buckets.removeValue(forKey: oldest.key)
            }
        }
    }

    /// The configuration in force.
    package let configuration: Configuration
    private let state = Mutex(State())

    /// A limiter with `configuration`.
    package init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// Decides for one request of `rpc` on `scope` (machine id or app) that must be sent by `deadline`.
    package func decide(
        _ rpc: MachinesRPC, scope: String, now: ContinuousClock.Instant = .now, deadline: ContinuousClock.Instant?
    ) -> Decision {
        guard configuration.enabled else { return .go }
        let rate = configuration.rate(for: rpc)
        let (maxBuckets, margin) = (configuration.maxBuckets, configuration.safetyMargin)
        return state.withLock {
            $0.decide(Key(rpc: rpc, scope: scope), rate: rate, now: now, deadline: deadline, maxBuckets: maxBuckets, margin: margin)
        }
    }

    /// Buckets held now (for tests and metrics).
    package var bucketCount: Int { state.withLock { $0.buckets.count } }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    static func duration(seconds: Double) -> Duration {
        .nanoseconds(Int64((seconds * 1e9).rounded(.up)))
    }
}
