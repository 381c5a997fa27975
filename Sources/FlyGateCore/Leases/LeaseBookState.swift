/// The lease book's state machine: which leases the daemon holds, for which connection, and
/// what must happen next. Pure: the caller passes the time, persists, and does the I/O each
/// mutating method asks for.
///
/// Each lease lapses locally at a monotonic instant, fixed from its wall-clock `expiresAt` when
/// it is booked, refreshed or restored (``LeaseTime``); `expiresAt` stays as Fly said it, for
/// what is shown and persisted.
package struct LeaseBookState: Sendable {
    /// What a mutation of a booked machine may do.
    package enum Decision: Sendable, Equatable {
        /// Nothing booked (or the caller brought the nonce itself): send it as it is.
        case pass
        /// The caller holds the lease: send it with this nonce.
        case attach(nonce: String)
        /// Another local caller holds it: refuse without going upstream.
        case refuse(LeaseRecord)
    }

    /// What to do after recording a lease just taken.
    package enum TakeAction: Sendable, Equatable {
        /// Booked; renew it when asked.
        case booked(renew: Bool)
        /// The holder disconnected while the lease was being taken: release it now.
        case release(LeaseRecord)
    }

    /// The next step of a renewal loop.
    package enum RenewalStep: Sendable, Equatable {
        /// Refresh with this TTL and description.
        case refresh(ttlSeconds: Int64, description: String)
        /// The lease is gone, released, or its holder left: stop renewing.
        case stop
    }

    /// The leases, one per machine.
    package private(set) var leases: [LeaseKey: LeaseRecord] = [:]
    /// When each lease lapses, on the monotonic clock.
    private var lapses: [LeaseKey: ContinuousClock.Instant] = [:]
    private var openConnections: Set<UInt64> = []

    /// An empty book.
    package init() {}

    /// The leases in a stable order (app, machine).
    package var sortedLeases: [LeaseRecord] {
        leases.values.sorted { ($0.app, $0.machine) < ($1.app, $1.machine) }
    }

    /// The leases still unexpired at `now`, ordered by app and machine; changes nothing (the
    /// next change sweeps the lapsed ones out for good).
    package func sortedLeases(unexpiredAt now: LeaseTime) -> [LeaseRecord] {
        sortedLeases.filter { !isLapsed($0.key, at: now) }
    }

    /// True once the lease on `key` has lapsed at `now` (by the monotonic clock), or when none is booked.
    package func isLapsed(_ key: LeaseKey, at now: LeaseTime) -> Bool {
        lapses[key].map { $0 <= now.instant } ?? true
    }

    /// Notes an open connection; only open connections can hold leases.
    package mutating func connectionOpened(_ id: UInt64) {
        openConnections.insert(id)
    }

    /// The connection closed: its held leases are to be released at once (returned, now `releasing`).
    package mutating func connectionClosed(_ id: UInt64) -> [LeaseRecord] {
        openConnections.remove(id)
        var released: [LeaseRecord] = []
        for (key, var record) in leases where record.holder.connectionID == id {
            record.holder.connectionID = nil
            if record.phase == .held {
                record.phase = .releasing
                released.append(record)
            }
            leases[key] = record
        }
        return released
    }

    /// What a mutation of `key` by `connectionID`, bringing `nonce` (empty for none), may do.
    package func decide(_ key: LeaseKey, connectionID: UInt64, nonce: String, now: LeaseTime) -> Decision {
        guard let record = leases[key], !isLapsed(key, at: now) else { return .pass }
        if record.holder.connectionID == connectionID {
            return nonce.isEmpty ? .attach(nonce: record.nonce) : .pass
        }
        return nonce == record.nonce ? .pass : .refuse(record)
    }

    /// True when `connectionID` holds the unexpired lease on `key` whose nonce is `nonce`.
    package func holds(_ key: LeaseKey, nonce: String, connectionID: UInt64, now: LeaseTime) -> Bool {
        guard let record = leases[key], !isLapsed(key, at: now), record.nonce == nonce else { return false }
        return record.holder.connectionID == connectionID
    }

    /// Books a lease just taken for `record.holder` (replacing any older lease on the machine).
    package mutating func take(_ record: LeaseRecord, now: LeaseTime) -> TakeAction {
        var record = record
        lapses[record.key] = now.instant(atUnix: record.expiresAt)
        guard let connection = record.holder.connectionID, openConnections.contains(connection) else {
            record.holder.connectionID = nil
            record.phase = .releasing
            leases[record.key] = record
            return .release(record)
        }
        leases[record.key] = record
        return .booked(renew: record.renew)
    }

    /// A refresh (by the renewal loop or the holder) moved the expiry; true when booked.
    @discardableResult
    package mutating func refreshed(_ key: LeaseKey, nonce: String, expiresAt: Int64, now: LeaseTime) -> Bool {
        let booked = update(key, nonce: nonce) {
            $0.expiresAt = expiresAt
            $0.lastError = nil
        }
        if booked { lapses[key] = now.instant(atUnix: expiresAt) }
        return booked
    }

    /// A refresh failed; the book reports `message` until the next success.
    @discardableResult
    package mutating func refreshFailed(_ key: LeaseKey, nonce: String, message: String) -> Bool {
        update(key, nonce: nonce) { $0.lastError = message }
    }

    /// The lease with `nonce` is gone upstream (released, or "lease not found"): it leaves the book.
    @discardableResult
    package mutating func released(_ key: LeaseKey, nonce: String) -> Bool {
        guard leases[key]?.nonce == nonce else { return false }
        leases[key] = nil
        lapses[key] = nil
        return true
    }

    /// Every release attempt failed: kept (reported) until it expires or a restart retries.
    @discardableResult
    package mutating func releaseFailed(_ key: LeaseKey, nonce: String, message: String) -> Bool {
        update(key, nonce: nonce) {
            $0.phase = .releaseFailed
            $0.lastError = message
        }
    }

    /// Whether the renewal loop of `key`/`nonce` goes on.
    package func renewal(_ key: LeaseKey, nonce: String, now: LeaseTime) -> RenewalStep {
        guard let record = leases[key], record.nonce == nonce, record.renew, record.phase == .held,
            let connection = record.holder.connectionID, openConnections.contains(connection),
            !isLapsed(key, at: now)
        else { return .stop }
        return .refresh(ttlSeconds: record.ttlSeconds, description: record.description)
    }

    /// Drops leases that have lapsed; true when any did.
    package mutating func sweep(now: LeaseTime) -> Bool {
        let lapsed = leases.keys.filter { isLapsed($0, at: now) }
        for key in lapsed {
            leases[key] = nil
            lapses[key] = nil
        }
        return !lapsed.isEmpty
    }

    /// Shutdown: every lease not already being released is to be released now.
    package mutating func releaseAll() -> [LeaseRecord] {
        var released: [LeaseRecord] = []
        for (key, var record) in leases where record.phase != .releasing {
            record.holder.connectionID = nil
            record.phase = .releasing
            leases[key] = record
            released.append(record)
        }
        return released
    }

    /// Start-up: the leases a previous run left (none of whose holders survived it) are booked
    /// as `releasing` and returned for release; lapsed ones are dropped. Their local lapse comes
    /// from the persisted wall-clock expiry: the previous run's monotonic instants mean nothing now.
    package mutating func restore(_ records: [LeaseRecord], now: LeaseTime) -> [LeaseRecord] {
        var released: [LeaseRecord] = []
        for var record in records where record.expiresAt > now.unixSeconds {
            record.holder.connectionID = nil
            record.phase = .releasing
            leases[record.key] = record
            lapses[record.key] = now.instant(atUnix: record.expiresAt)
            released.append(record)
        }
        return released
    }

    private mutating func update(_ key: LeaseKey, nonce: String, _ change: (inout LeaseRecord) -> Void) -> Bool {
        guard var record = leases[key], record.nonce == nonce else { return false }
        change(&record)
        leases[key] = record
        return true
    }
}
