import NIOCore
import Synchronization

/// The server's open connections and their calls in flight, and the limits on both: the
/// connection limit, the per-uid connection limit, calls per connection, and the first-frame
/// and idle timeouts.
///
/// A state machine behind one `Mutex`: each method makes one transition and returns what the
/// caller must do (close a channel, log a burst) outside the lock.
///
/// The server makes its own unless given one; a daemon that reports the counts (its Stats
/// method) makes it first and hands it to the server.
package final class ConnectionRegistry: Sendable {
    /// What to do with a newly accepted connection.
    enum Admission: Equatable {
        /// Serve it under this id.
        case admitted(id: UInt64)
        /// Over the connection limit: close it; log when this is the first of a burst.
        case overLimit(firstOfBurst: Bool)
        /// Over the per-uid limit for this peer's uid: close it; log when the first of its burst.
        case overUIDLimit(firstOfBurst: Bool)
        /// The server is shutting down: close it.
        case draining
    }

    /// Whether a new call on a connection may start.
    enum CallAdmission: Equatable {
        case admitted
        case overLimit
        case draining
    }

    /// Why the sweep picked a connection to close.
    enum Expiry: Equatable {
        /// No complete frame within the first-frame timeout of accept.
        case noFirstFrame
        /// No call in flight and no frame for the idle timeout.
        case idle
    }

    /// The limits the registry enforces.
    struct Limits: Sendable {
        var maxConnections: Int
        var maxConnectionsPerUID: Int
        /// Uids the per-uid limit does not apply to (the daemon's own and root, by default).
        var uncappedUIDs: Set<UInt32>
        var maxCallsPerConnection: Int
        /// nil: no first-frame timeout.
        var firstFrameTimeout: Duration?
        /// nil: no idle timeout.
        var idleTimeout: Duration?
    }

    private struct Entry {
        let channel: any Channel
        let uid: UInt32
        var callsInFlight: Int = 0
        var sawFrame = false
        /// Accept, the last frame, or the end of the last call, whichever is latest.
        var lastActivity: ContinuousClock.Instant
    }

    private struct State {
        var connections: [UInt64: Entry] = [:]
        var perUID: [UInt32: Int] = [:]
        var nextID: UInt64 = 1
        var draining = false
        var rejectingBurst = false
        var rejectingUIDs: Set<UInt32> = []
        var acceptedTotal: UInt64 = 0
    }

    let limits: Limits
    private let state = Mutex(State())

    /// A registry enforcing `limits`.
    init(limits: Limits) {
        self.limits = limits
    }

    /// A registry enforcing only the connection and per-connection call limits.
    convenience init(maxConnections: Int, maxCallsPerConnection: Int) {
        self.init(limits: Limits(
            maxConnections: maxConnections, maxConnectionsPerUID: maxConnections, uncappedUIDs: [],
            maxCallsPerConnection: maxCallsPerConnection, firstFrameTimeout: nil, idleTimeout: nil))
    }

    /// A registry enforcing the limits of `configuration`.
    package convenience init(limitsOf configuration: RPCServer.Configuration) {
        self.init(limits: Limits(
            maxConnections: configuration.maxConnections,
            maxConnectionsPerUID: configuration.maxConnectionsPerUID,
            uncappedUIDs: configuration.uncappedUIDs,
            maxCallsPerConnection: configuration.maxInFlightPerConnection,
            firstFrameTimeout: configuration.firstFrameTimeout,
            idleTimeout: configuration.idleTimeout
        ))
    }

    /// Admits `channel`, whose peer is `uid`, or says why not.
    func admit(_ channel: any Channel, uid: UInt32, now: ContinuousClock.Instant = .now) -> Admission {
        self.state.withLock { state in
            if state.draining {
                return .draining
            }
            guard state.connections.count < self.limits.maxConnections else {
                let first = !state.rejectingBurst
                state.rejectingBurst = true
                return .overLimit(firstOfBurst: first)
            }
            let ofUID = state.perUID[uid, default: 0]
            if !self.limits.uncappedUIDs.contains(uid), ofUID >= self.limits.maxConnectionsPerUID {
                return .overUIDLimit(firstOfBurst: state.rejectingUIDs.insert(uid).inserted)
            }
            state.rejectingBurst = false
            state.rejectingUIDs.remove(uid)
            let id = state.nextID
            state.nextID += 1
            state.acceptedTotal += 1
            state.perUID[uid] = ofUID + 1
            state.connections[id] = Entry(channel: channel, uid: uid, lastActivity: now)
            return .admitted(id: id)
        }
    }

    /// Forgets a closed connection.
    func remove(_ id: UInt64) {
        self.state.withLock { state in
            guard let entry = state.connections.removeValue(forKey: id) else { return }
            let left = state.perUID[entry.uid, default: 1] - 1
            state.perUID[entry.uid] = left > 0 ? left : nil
        }
    }

    /// Notes that a complete frame (or an oversized frame's header) arrived on connection `id`.
    func frameArrived(on id: UInt64, now: ContinuousClock.Instant = .now) {
        self.state.withLock { state in
            guard state.connections[id] != nil else { return }
            state.connections[id]!.sawFrame = true
            state.connections[id]!.lastActivity = now
        }
    }

    /// Takes a call slot on connection `id` if one is free.
    func startCall(on id: UInt64) -> CallAdmission {
        self.state.withLock { state in
            guard !state.draining else { return .draining }
            guard let entry = state.connections[id], entry.callsInFlight < self.limits.maxCallsPerConnection else {
                return .overLimit
            }
            state.connections[id]!.callsInFlight += 1
            return .admitted
        }
    }

    /// Gives back a call slot; returns the channel to close when draining left it idle.
    func finishCall(on id: UInt64, now: ContinuousClock.Instant = .now) -> (any Channel)? {
        self.state.withLock { state in
            guard var entry = state.connections[id] else { return nil }
            entry.callsInFlight -= 1
            entry.lastActivity = now
            state.connections[id] = entry
            return state.draining && entry.callsInFlight == 0 ? entry.channel : nil
        }
    }

    /// Connections past a timeout at `now`: those with no frame within the first-frame timeout
    /// of accept, and those with no call in flight and no frame for the idle timeout.
    func expired(at now: ContinuousClock.Instant = .now) -> [(id: UInt64, expiry: Expiry)] {
        self.state.withLock { state in
            state.connections.compactMap { id, entry in
                self.expiry(of: entry, at: now).map { (id, $0) }
            }
        }
    }

    /// Takes connection `id` out of service if it is still expired at `now` (nothing arrived
    /// since ``expired(at:)`` listed it); returns its channel to close.
    func closeIfStillExpired(_ id: UInt64, at now: ContinuousClock.Instant = .now) -> (any Channel)? {
        self.state.withLock { state in
            guard let entry = state.connections[id], self.expiry(of: entry, at: now) != nil else { return nil }
            return entry.channel
        }
    }

    private func expiry(of entry: Entry, at now: ContinuousClock.Instant) -> Expiry? {
        if !entry.sawFrame, let timeout = self.limits.firstFrameTimeout, now - entry.lastActivity >= timeout {
            return .noFirstFrame
        }
        if entry.sawFrame, entry.callsInFlight == 0, let timeout = self.limits.idleTimeout, now - entry.lastActivity >= timeout {
            return .idle
        }
        return nil
    }

    /// Stops admitting connections and calls; returns the idle channels to close now and the
    /// busy ones, which close when their last call finishes or the grace period ends.
    func beginDraining() -> (idle: [any Channel], busy: [any Channel]) {
        self.state.withLock { state in
            state.draining = true
            var idle: [any Channel] = []
            var busy: [any Channel] = []
            for entry in state.connections.values {
                if entry.callsInFlight == 0 {
                    idle.append(entry.channel)
                } else {
                    busy.append(entry.channel)
                }
            }
            return (idle, busy)
        }
    }

    /// Whether the server has begun to shut down.
    var isDraining: Bool {
        self.state.withLock { $0.draining }
    }

    /// Connections open now from `uid`.
    func connections(of uid: UInt32) -> Int {
        self.state.withLock { $0.perUID[uid, default: 0] }
    }

    /// Counts for the Stats rpc: open connections, accepted since start, calls in flight.
    package var counts: (open: Int, acceptedTotal: UInt64, callsInFlight: Int) {
        self.state.withLock { state in
            (state.connections.count, state.acceptedTotal, state.connections.values.reduce(0) { $0 + $1.callsInFlight })
        }
    }
}
