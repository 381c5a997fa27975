/// The lease book's state machine: which leases the daemon holds, for which connection, and
/// what must happen next. Pure: the caller passes the time, persists, and does the I/O each
/// mutating method asks for.
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
    private var openConnections: Set<UInt64> = []

    /// An empty book.
    package init() {}

    /// The leases in a stable order (app, machine).
    package var sortedLeases: [LeaseRecord] {
        leases.values.sorted { ($0.app, $0.machine) < ($1.app, $1.machine) }
    }

    /// The leases still unexpired at `now`, ordered by app and machine; changes nothing (the
    /// next change sweeps the lapsed ones out for good).
    package func sortedLeases(unexpiredAt now: Int64) -> [LeaseRecord] {
        sortedLeases.filter { !$0.isExpired(at: now) }
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
    package func decide(_ key: LeaseKey, connectionID: UInt64, nonce: String, now: Int64) -> Decision {
        guard let record = leases[key], !record.isExpired(at: now) else { return .pass }
        if record.holder.connectionID == connectionID {
            return nonce.isEmpty ? .attach(nonce: record.nonce) : .pass
        }
        return nonce == record.nonce ? .pass : .refuse(record)
    }

    /// True when `connectionID` holds the unexpired lease on `key` whose nonce is `nonce`.
    package func holds(_ key: LeaseKey, nonce: String, connectionID: UInt64, now: Int64) -> Bool {
        guard let record = leases[key], !record.isExpired(at: now), record.nonce == nonce else { return false }
        return record.holder.connectionID == connectionID
    }

    /// Books a lease just taken for `record.holder` (replacing any older lease on the machine).
    package mutating func take(_ record: LeaseRecord) -> TakeAction {
        var record = record
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
    package mutating func refreshed(_ key: LeaseKey, nonce: String, expiresAt: Int64) -> Bool {
        update(key, nonce: nonce) {
            $0.expiresAt = expiresAt
            $0.lastError = nil
        }
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
    package func renewal(_ key: LeaseKey, nonce: String, now: Int64) -> RenewalStep {
        guard let record = leases[key], record.nonce == nonce, record.renew, record.phase == .held,
            let connection = record.holder.connectionID, openConnections.contains(connection),
            !record.isExpired(at: now)
        else { return .stop }
        return .refresh(ttlSeconds: record.ttlSeconds, description: record.description)
    }

    /// Drops leases that have lapsed; true when any did.
    package mutating func sweep(now: Int64) -> Bool {
        let before = leases.count
        leases = leases.filter { !$0.value.isExpired(at: now) }
        return leases.count != before
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
    /// as `releasing` and returned for release; lapsed ones are dropped.
    package mutating func restore(_ records: [LeaseRecord], now: Int64) -> [LeaseRecord] {
        var released: [LeaseRecord] = []
        for var record in records where !record.isExpired(at: now) {
            record.holder.connectionID = nil
            record.phase = .releasing
            leases[record.key] = record
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
