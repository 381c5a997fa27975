/// A moment as the lease book reads it, from two clocks at once: the wall clock in Unix
/// seconds, the scale of Fly's `expires_at` and of what the book shows (ListLeases) and
/// persists (leases.json); and the monotonic clock, which decides when a lease lapses locally,
/// so that a step of the wall clock neither drops a held lease nor keeps a lapsed one.
///
/// A wall-clock expiry becomes a local instant once, when it reaches the book (a lease taken or
/// refreshed, or read back from leases.json after a restart, where earlier instants mean nothing).
package struct LeaseTime: Sendable, Equatable {
    /// The wall clock, whole Unix seconds.
    package var unixSeconds: Int64
    /// The monotonic clock at the same moment.
    package var instant: ContinuousClock.Instant

    /// A reading of both clocks.
    package init(unixSeconds: Int64, instant: ContinuousClock.Instant) {
        self.unixSeconds = unixSeconds
        self.instant = instant
    }

    /// The local instant at which wall-clock time `unix` (an expiry, Unix seconds) comes, as this
    /// reading sees it; an absurd expiry is held to within about 35,000 years.
    package func instant(atUnix unix: Int64) -> ContinuousClock.Instant {
        let bound: Int64 = 1 << 40
        let (delta, overflow) = unix.subtractingReportingOverflow(unixSeconds)
        let seconds = overflow ? (unix < 0 ? -bound : bound) : min(max(delta, -bound), bound)
        return instant + .seconds(seconds)
    }
}
