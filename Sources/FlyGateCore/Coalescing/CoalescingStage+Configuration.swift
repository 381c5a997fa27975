extension CoalescingStage {
    /// Whether reads are coalesced and how large the read cache may grow.
    package struct Configuration: Sendable, Equatable {
        /// Coalesce identical reads and keep the cache; false passes every call straight on.
        package var enabled: Bool
        /// Most cached answers (0 keeps none; coalescing still works).
        package var maxCacheEntries: Int
        /// Most bytes of cached answers and keys.
        package var maxCacheBytes: Int
        /// The longest a shared call runs, whoever waits (longer than Fly's 60 s wait).
        package var maxFlightDuration: Duration
        /// Most times a waiter starts over after a transient failure of a call it joined.
        package var maxRejoins: Int

        /// Every field.
        package init(enabled: Bool, maxCacheEntries: Int, maxCacheBytes: Int, maxFlightDuration: Duration, maxRejoins: Int) {
            self.enabled = enabled
            self.maxCacheEntries = maxCacheEntries
            self.maxCacheBytes = maxCacheBytes
            self.maxFlightDuration = maxFlightDuration
            self.maxRejoins = maxRejoins
        }

        /// On; 10,000 entries and 64 MiB; shared calls of at most 2 minutes; 3 fresh starts.
        package static var defaults: Configuration {
            Configuration(
                enabled: true, maxCacheEntries: 10_000, maxCacheBytes: 64 << 20, maxFlightDuration: .seconds(120),
                maxRejoins: 3)
        }

        /// Refuses bounds that cannot work.
        package func validate() throws(DaemonError) {
            guard maxCacheEntries >= 0, maxCacheBytes >= 0 else {
                throw DaemonError(code: .invalidArgument, message: "cache bounds must not be negative")
            }
            guard maxFlightDuration > .zero, maxRejoins >= 0 else {
                throw DaemonError(code: .invalidArgument, message: "maxFlightDuration must be positive, maxRejoins not negative")
            }
        }
    }
}
