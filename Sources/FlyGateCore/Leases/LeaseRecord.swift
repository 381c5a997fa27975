/// One lease the daemon took for a local caller: where, the nonce, how long, and who holds it.
///
/// The nonce is a secret: `description`-style output and logs use ``noncePrefix`` only.
package struct LeaseRecord: Sendable, Hashable, Codable {
    /// Where a lease is in its life.
    package enum Phase: String, Sendable, Hashable, Codable {
        /// Held for a holder (connected, or not yet released).
        case held
        /// A release is in flight.
        case releasing
        /// Every release attempt failed; the lease leaves the book when it expires (or a restart retries).
        case releaseFailed
    }

    /// The Fly app.
    package var app: String
    /// The machine id.
    package var machine: String
    /// The lease nonce (secret).
    package var nonce: String
    /// The TTL the lease was taken (and is refreshed) with, in seconds.
    package var ttlSeconds: Int64
    /// When the lease lapses, Unix seconds, as Fly said: shown and persisted (the book times the
    /// lapse on the monotonic clock, ``LeaseTime``).
    package var expiresAt: Int64
    /// What the holder said the lease is for.
    package var description: String
    /// The local caller holding it.
    package var holder: LeaseHolder
    /// The daemon refreshes it while the holder stays connected.
    package var renew: Bool
    /// Held, being released, or failed to release.
    package var phase: Phase
    /// The last refresh or release failure, nil when none.
    package var lastError: String?

    /// A held lease with no failure yet.
    package init(
        app: String, machine: String, nonce: String, ttlSeconds: Int64, expiresAt: Int64, description: String,
        holder: LeaseHolder, renew: Bool, phase: Phase = .held, lastError: String? = nil
    ) {
        self.app = app
        self.machine = machine
        self.nonce = nonce
        self.ttlSeconds = ttlSeconds
        self.expiresAt = expiresAt
        self.description = description
        self.holder = holder
        self.renew = renew
        self.phase = phase
        self.lastError = lastError
    }

    /// The machine the lease is on.
    package var key: LeaseKey { LeaseKey(app: app, machine: machine) }

    /// The first characters of the nonce: enough to tell leases apart, too few to use one.
    package var noncePrefix: String { Self.prefix(of: nonce) }

    /// The shown part of any nonce.
    package static func prefix(of nonce: String) -> String { String(nonce.prefix(4)) }

    /// A nonce as an answer shows it to a caller who does not hold it: the prefix and an
    /// ellipsis (as `flygate leases` prints it), which no guard takes for the nonce.
    package static func redacted(_ nonce: String) -> String { prefix(of: nonce) + "…" }
}

/// A machine, as the book keys its leases.
package struct LeaseKey: Sendable, Hashable, Codable, CustomStringConvertible {
    /// The Fly app.
    package var app: String
    /// The machine id.
    package var machine: String

    /// The key of `machine` in `app`.
    package init(app: String, machine: String) {
        self.app = app
        self.machine = machine
    }

    /// `app/machine`.
    package var description: String { "\(app)/\(machine)" }
}

/// Who holds a lease: the connection that took it and its peer.
package struct LeaseHolder: Sendable, Hashable, Codable {
    /// The owning connection; nil once it is gone (closed, or before a restart).
    package var connectionID: UInt64?
    /// The peer's uid.
    package var uid: UInt32
    /// The peer's pid.
    package var pid: Int32

    /// A holder from its parts.
    package init(connectionID: UInt64?, uid: UInt32, pid: Int32) {
        self.connectionID = connectionID
        self.uid = uid
        self.pid = pid
    }
}
