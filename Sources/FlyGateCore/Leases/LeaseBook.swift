import FlyGateServer
import Foundation
import Logging
import Synchronization

/// Work the book hands to the ``LeaseKeeper``, which runs it in the daemon's task group.
package enum LeaseWork: Sendable, Equatable {
    /// Keep refreshing this lease for `holder` while it stays connected.
    case renew(LeaseKey, nonce: String, holder: LeaseHolder)
    /// Release these leases upstream now.
    case release([LeaseRecord])
}

/// The daemon's lease book: the leases taken through the daemon, who holds them, and the
/// work (renewals, releases) they call for. Persisted on every change; it hears of connections
/// closing so that leases never outlive their holders.
package final class LeaseBook: ConnectionObserver {
    private struct Locked {
        var state = LeaseBookState()
        var generation: UInt64 = 0
    }

    private let locked = Mutex(Locked())
    private let file: LeaseBookFile?
    private let logger: Logger
    private let clock: @Sendable () -> Int64
    private let monotonicClock: @Sendable () -> ContinuousClock.Instant
    /// Renewals and releases to run, in order; finishes at ``shutDown()``.
    package let work: AsyncStream<LeaseWork>
    private let workContinuation: AsyncStream<LeaseWork>.Continuation

    /// A book persisted in `file` (nil: memory only), telling wall-clock time (Unix seconds, for
    /// expiries shown and persisted) with `clock` and timing lapses with `monotonicClock`.
    package init(
        file: LeaseBookFile?, logger: Logger, clock: @escaping @Sendable () -> Int64 = LeaseBook.unixNow,
        monotonicClock: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }
    ) {
        self.file = file
        self.logger = logger
        self.clock = clock
        self.monotonicClock = monotonicClock
        (self.work, self.workContinuation) = AsyncStream.makeStream(of: LeaseWork.self)
    }

    /// The wall clock in whole Unix seconds.
    package static func unixNow() -> Int64 {
        Int64(Date().timeIntervalSince1970.rounded(.down))
    }

    /// The current wall-clock time as the book tells it, Unix seconds.
    package var now: Int64 { clock() }

    /// Both clocks, read together.
    private func time() -> LeaseTime {
        LeaseTime(unixSeconds: clock(), instant: monotonicClock())
    }

    /// The leases in the book (lapsed ones left out), ordered by app and machine.
    ///
    /// A pure read of memory: `Gateway/ListLeases` answers with it on the connection's read
    /// loop, where nothing may write a file. Lapsed leases leave the file at the next change.
    package var leases: [LeaseRecord] {
        let now = time()
        return locked.withLock { $0.state.sortedLeases(unexpiredAt: now) }
    }

    /// The lease on `key`, if booked.
    package func lease(_ key: LeaseKey) -> LeaseRecord? {
        leases.first { $0.key == key }
    }

    package func connectionOpened(id: UInt64, peer: PeerCredentials) {
        locked.withLock { $0.state.connectionOpened(id) }
    }

    package func connectionClosed(id: UInt64, peer: PeerCredentials) {
        let released = apply { state, _ in
            let released = state.connectionClosed(id)
            return (released, !released.isEmpty)
        }
        guard !released.isEmpty else { return }
        logger.info(
            "lease holder disconnected; releasing its leases",
            metadata: ["flygate.connection.id": "\(id)", "flygate.peer.pid": "\(peer.pid)", "flygate.lease.count": "\(released.count)"])
        workContinuation.yield(.release(released))
    }

    /// A lease holder (`lease create --hold`) sends nothing while it holds: its connection
    /// must outlive the server's idle timeout for as long as it holds a booked lease.
    package func keepsIdleConnectionOpen(id: UInt64) -> Bool {
        leases.contains { $0.holder.connectionID == id }
    }

    /// What a mutation of `key` from `connectionID` bringing `nonce` may do.
    package func decide(_ key: LeaseKey, connectionID: UInt64, nonce: String) -> LeaseBookState.Decision {
        let now = time()
        return locked.withLock { $0.state.decide(key, connectionID: connectionID, nonce: nonce, now: now) }
    }

    /// True when `connectionID` holds the lease on `key` whose nonce is `nonce` (a pure read of memory).
    package func holds(_ key: LeaseKey, nonce: String, connectionID: UInt64) -> Bool {
        let now = time()
        return locked.withLock { $0.state.holds(key, nonce: nonce, connectionID: connectionID, now: now) }
    }

    /// Books a lease just taken, persists it, and starts its renewal (or its release, when the
    /// holder is already gone).
    package func take(_ record: LeaseRecord) {
        let action = apply { state, now in (state.take(record, now: now), true) }
        logger.debug("lease booked", metadata: Self.metadata(record))
        switch action {
        case .booked(renew: true): workContinuation.yield(.renew(record.key, nonce: record.nonce, holder: record.holder))
        case .booked(renew: false): break
        case .release(let record): workContinuation.yield(.release([record]))
        }
    }

    /// A refresh succeeded.
    package func refreshed(_ key: LeaseKey, nonce: String, expiresAt: Int64) {
        apply { state, now in ((), state.refreshed(key, nonce: nonce, expiresAt: expiresAt, now: now)) }
    }

    /// A refresh failed with `message` (reported in ListLeases).
    package func refreshFailed(_ key: LeaseKey, nonce: String, message: String) {
        apply { state, _ in ((), state.refreshFailed(key, nonce: nonce, message: message)) }
    }

    /// The lease is gone upstream; it leaves the book.
    package func released(_ key: LeaseKey, nonce: String) {
        apply { state, _ in ((), state.released(key, nonce: nonce)) }
    }

    /// Releasing failed with `message` after every attempt.
    package func releaseFailed(_ key: LeaseKey, nonce: String, message: String) {
        apply { state, _ in ((), state.releaseFailed(key, nonce: nonce, message: message)) }
    }

    /// Whether a renewal loop goes on, and with what.
    package func renewal(_ key: LeaseKey, nonce: String) -> LeaseBookState.RenewalStep {
        let now = time()
        return locked.withLock { $0.state.renewal(key, nonce: nonce, now: now) }
    }

    /// Reads what a previous run left in the file and queues its release (its holders are gone).
    package func restore() {
        guard let file else { return }
        let records: [LeaseRecord]
        do {
            records = try file.read()
        } catch {
            logger.error("cannot read the lease book; leases of the last run will lapse on their own", metadata: ["error": "\(error)"])
            return
        }
        let released = apply { state, now in
            let released = state.restore(records, now: now)
            return (released, true)
        }
        guard !released.isEmpty else { return }
        logger.notice("releasing leases left by the previous run", metadata: ["flygate.lease.count": "\(released.count)"])
        workContinuation.yield(.release(released))
    }

    /// Shutdown: queues the release of everything still held, then ends the work stream.
    package func shutDown() {
        let released = apply { state, _ in
            let released = state.releaseAll()
            return (released, !released.isEmpty)
        }
        if !released.isEmpty {
            logger.info("releasing every lease before stopping", metadata: ["flygate.lease.count": "\(released.count)"])
            workContinuation.yield(.release(released))
        }
        workContinuation.finish()
    }

    /// Log metadata of a lease: where, the nonce's prefix (never the nonce), the holder.
    static func metadata(_ record: LeaseRecord) -> Logger.Metadata {
        [
            "flygate.app": "\(record.app)",
            "flygate.machine": "\(record.machine)",
            "flygate.lease.nonce_prefix": "\(record.noncePrefix)",
            "flygate.peer.uid": "\(record.holder.uid)",
            "flygate.peer.pid": "\(record.holder.pid)",
        ]
    }

    /// Runs `change` on the state at the time now (lapsed leases swept too) and persists when
    /// anything changed.
    @discardableResult
    private func apply<Result: Sendable>(_ change: (inout LeaseBookState, LeaseTime) -> (Result, changed: Bool)) -> Result {
        let now = time()
        let (result, snapshot) = locked.withLock { locked -> (Result, (leases: [LeaseRecord], generation: UInt64)?) in
            let (result, changed) = change(&locked.state, now)
            let swept = locked.state.sweep(now: now)
            guard changed || swept else { return (result, nil) }
            locked.generation += 1
            return (result, (locked.state.sortedLeases, locked.generation))
        }
        if let snapshot, let file {
            do {
                try file.save(snapshot.leases, generation: snapshot.generation)
            } catch {
                logger.error("cannot write the lease book", metadata: ["error": "\(error)"])
            }
        }
        return result
    }
}
