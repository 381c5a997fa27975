import FlyMachinesProto
import Synchronization

/// Token buckets per (rpc, machine or app) at Fly's documented rates, so the daemon queues
/// within a caller's deadline instead of earning 429s. A `Mutex`-protected state machine decides
/// "go now", "wait until T" or "cannot make it"; the caller sleeps outside the lock.
///
/// Fair between callers: each caller (the daemon passes the peer's uid) may hold at most
/// ``Configuration/maxQueuedPerCaller`` reserved slots of one bucket, so one caller's flood
/// delays another's call by at most that many slots per flooding caller; and a caller that
/// gives up before its slot hands the slot back (``cancel(_:)``).
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
        /// Most slots of one bucket one caller may have reserved and be waiting for; more are
        /// refused at once (RESOURCE_EXHAUSTED with a retry-after).
        package var maxQueuedPerCaller: Int

        /// Every field.
        package init(
            enabled: Bool, defaultRate: Rate, overrides: [MachinesRPC: Rate], maxBuckets: Int, safetyMargin: Duration,
            maxQueuedPerCaller: Int = 8
        ) {
            self.enabled = enabled
            self.defaultRate = defaultRate
            self.overrides = overrides
            self.maxBuckets = maxBuckets
            self.safetyMargin = safetyMargin
            self.maxQueuedPerCaller = maxQueuedPerCaller
        }

        /// Fly's documented limits (FLY_API.md §7): 1/s burst 3 per action and machine or app;
        /// Show (Get Machine) 5/s burst 10; app deletions 100 a minute (one bucket for every
        /// app); 10,000 buckets; 50 ms margin; 8 queued slots per caller and bucket.
        package static var defaults: Configuration {
            Configuration(
                enabled: true, defaultRate: Rate(perSecond: 1, burst: 3),
                overrides: [.show: Rate(perSecond: 5, burst: 10), .deleteApp: Rate(perSecond: 100.0 / 60, burst: 100)],
                maxBuckets: 10_000, safetyMargin: .milliseconds(50),
                maxQueuedPerCaller: 8)
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
            guard maxQueuedPerCaller >= 1 else { throw .configuration("rateLimits.maxQueuedPerCaller must be at least 1") }
        }
    }

    /// What the limiter decided for one request.
    package enum Decision: Sendable, Equatable {
        /// Send now.
        case go
        /// A token is reserved at `instant`: sleep until then, then ``settle(_:)`` it and send;
        /// ``cancel(_:)`` it when giving up first.
        case waitUntil(ContinuousClock.Instant, Reservation)
        /// The deadline comes before the next token, or the caller has as many slots of this
        /// bucket reserved as it may; nothing was reserved. Retry after `retryAfter`.
        case refuse(retryAfter: Duration)
    }

    /// A slot reserved by one caller, to be settled (used) or cancelled (handed back).
    package struct Reservation: Sendable, Hashable {
        fileprivate var key: Key
        fileprivate var caller: String
    }

    fileprivate struct Key: Hashable, Sendable {
        var rpc: MachinesRPC
        var scope: String
    }

    private struct Bucket {
        /// May go negative: tokens reserved by callers now waiting.
        var tokens: Double
        var updated: ContinuousClock.Instant
        /// Slots reserved and not yet settled or cancelled, by caller.
        var queued: [String: Int] = [:]

        mutating func release(_ caller: String) {
            guard let count = queued[caller] else { return }
            queued[caller] = count > 1 ? count - 1 : nil
        }
    }

    private struct State {
        var buckets: [Key: Bucket] = [:]

        mutating func decide(
            _ key: Key, caller: String, rate: Rate, now: ContinuousClock.Instant, deadline: ContinuousClock.Instant?,
            maxBuckets: Int, margin: Duration, maxQueued: Int
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
            if bucket.queued[caller, default: 0] >= maxQueued {
                buckets[key] = bucket
                // Its own queue: it may try again once one of its slots has come.
                return .refuse(retryAfter: UpstreamRateLimiter.duration(seconds: 1 / rate.perSecond) + margin)
            }
            bucket.tokens -= 1
            bucket.queued[caller, default: 0] += 1
            buckets[key] = bucket
            return .waitUntil(now + wait, Reservation(key: key, caller: caller))
        }

        /// The reserved slot came and was used.
        mutating func settle(_ reservation: Reservation) {
            guard var bucket = buckets[reservation.key] else { return }
            bucket.release(reservation.caller)
            buckets[reservation.key] = bucket
        }

        /// The caller gave up before its slot: the token goes back to the bucket.
        mutating func cancel(_ reservation: Reservation, now: ContinuousClock.Instant, rate: Rate) {
            guard var bucket = buckets[reservation.key], bucket.queued[reservation.caller] != nil else { return }
            bucket.release(reservation.caller)
            bucket.tokens = min(Double(rate.burst), bucket.tokens + 1)
            buckets[reservation.key] = bucket
        }

        /// Drops buckets untouched for a minute (refilled at any rate >= 1/min); then the least recently used.
        mutating func evict(now: ContinuousClock.Instant, maxBuckets: Int) {
            let idle = buckets.filter { _, bucket in
                bucket.tokens >= 0 && bucket.queued.isEmpty && now - bucket.updated >= UpstreamRateLimiter.duration(seconds: 60)
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

    /// Decides for one request of `rpc` on `scope` (machine id or app) that `caller` must send
    /// by `deadline`.
    package func decide(
        _ rpc: MachinesRPC, scope: String, caller: String = "", now: ContinuousClock.Instant = .now,
        deadline: ContinuousClock.Instant?
    ) -> Decision {
        guard configuration.enabled else { return .go }
        let rate = configuration.rate(for: rpc)
        let (maxBuckets, margin, maxQueued) = (configuration.maxBuckets, configuration.safetyMargin, configuration.maxQueuedPerCaller)
        return state.withLock {
            $0.decide(
                Key(rpc: rpc, scope: scope), caller: caller, rate: rate, now: now, deadline: deadline, maxBuckets: maxBuckets,
                margin: margin, maxQueued: maxQueued)
        }
    }

    /// The reserved slot came: it is used.
    package func settle(_ reservation: Reservation) {
        state.withLock { $0.settle(reservation) }
    }

    /// The caller gave up waiting for its slot: it goes back to the bucket.
    package func cancel(_ reservation: Reservation, now: ContinuousClock.Instant = .now) {
        let rate = configuration.rate(for: reservation.key.rpc)
        state.withLock { $0.cancel(reservation, now: now, rate: rate) }
    }

    /// Slots `caller` has reserved in all buckets and not yet settled or cancelled (for tests).
    package func queued(by caller: String) -> Int {
        state.withLock { $0.buckets.values.reduce(0) { $0 + ($1.queued[caller] ?? 0) } }
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
