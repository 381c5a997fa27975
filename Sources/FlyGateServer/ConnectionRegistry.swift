import FlyGateWire
import NIOCore
import Synchronization

/// The server's open connections and their calls in flight, and the limits on both: the
/// connection limit, the per-uid connection limit, calls per connection, and the first-frame
/// and idle timeouts.
///
/// A state machine behind one `Mutex`: each method makes one transition and returns what the
/// caller must do (close a channel, log a burst) outside the lock. What happens on every frame
/// and call (activity, calls in flight) is kept in the connection's own ``ConnectionSlot``, behind
/// a lock of its own, so that connections on different event loops never wait for each other.
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

    private struct State {
        var connections: [UInt64: ConnectionSlot] = [:]
        var perUID: [UInt32: Int] = [:]
        var nextID: UInt64 = 1
        var rejectingBurst = false
        var rejectingUIDs: Set<UInt32> = []
        var acceptedTotal: UInt64 = 0
    }

    let limits: Limits
    private let state = Mutex(State())
    /// Whether the server has begun to shut down; set under `state`'s lock, read without it on
    /// every call.
    private let draining = Atomic<Bool>(false)

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
            if self.draining.load(ordering: .acquiring) {
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
            state.connections[id] = ConnectionSlot(channel: channel, uid: uid, accepted: now)
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

    /// The slot of connection `id`, which its serving code keeps for the per-frame and per-call
    /// bookkeeping; nil once it is removed.
    func slot(of id: UInt64) -> ConnectionSlot? {
        self.state.withLock { $0.connections[id] }
    }

    /// Takes a call slot on `connection` if one is free.
    func startCall(on connection: ConnectionSlot) -> CallAdmission {
        guard !self.draining.load(ordering: .acquiring) else { return .draining }
        guard connection.startCall(limit: self.limits.maxCallsPerConnection) else { return .overLimit }
        // Draining may have begun since the check above and counted this connection busy: give
        // the slot back as a finished call would, closing the connection if it was the last.
        if self.draining.load(ordering: .acquiring) {
            self.endCall(on: connection)
            return .draining
        }
        return .admitted
    }

    /// Gives back a call slot and, when draining left the connection idle, closes it, flushing
    /// first: a close fails the writes still pending, and the last call's answer may be one of them.
    func endCall(on connection: ConnectionSlot) {
        guard let idle = self.finishCall(on: connection) else { return }
        idle.flush()
        idle.close(promise: nil)
    }

    /// Gives back a call slot; returns the channel to close when draining left it idle.
    func finishCall(on connection: ConnectionSlot, now: ContinuousClock.Instant = .now) -> (any Channel)? {
        let left = connection.finishCall(now: now)
        return left == 0 && self.draining.load(ordering: .acquiring) ? connection.channel : nil
    }

    /// Connections past a timeout at `now`: those with no frame within the first-frame timeout
    /// of accept, and those with no call in flight and no frame for the idle timeout.
    func expired(at now: ContinuousClock.Instant = .now) -> [(id: UInt64, expiry: Expiry)] {
        self.state.withLock { state in
            state.connections.compactMap { id, connection in
                self.expiry(of: connection.activity, at: now).map { (id, $0) }
            }
        }
    }

    /// Takes connection `id` out of service if it is still expired at `now` (nothing arrived
    /// since ``expired(at:)`` listed it); returns its channel to close.
    func closeIfStillExpired(_ id: UInt64, at now: ContinuousClock.Instant = .now) -> (any Channel)? {
        self.state.withLock { state in
            guard let connection = state.connections[id], self.expiry(of: connection.activity, at: now) != nil else {
                return nil
            }
            return connection.channel
        }
    }

    private func expiry(of entry: ConnectionSlot.Activity, at now: ContinuousClock.Instant) -> Expiry? {
        if !entry.sawFrame, let timeout = self.limits.firstFrameTimeout, now - entry.lastActivity >= timeout {
            return .noFirstFrame
        }
        if entry.sawFrame, entry.callsInFlight == 0, let timeout = self.limits.idleTimeout, now - entry.lastActivity >= timeout {
            return .idle
        }
        return nil
    }

    /// Stops admitting connections and calls, and ends every open server stream with
    /// UNAVAILABLE (a stream would otherwise hold its connection open for the whole grace
    /// period); returns the idle channels to close now and the busy ones, which close when
    /// their last call finishes or the grace period ends.
    func beginDraining() -> (idle: [any Channel], busy: [any Channel]) {
        let (idle, busy, streams) = self.state.withLock { state in
            self.draining.store(true, ordering: .releasing)
            var idle: [any Channel] = []
            var busy: [any Channel] = []
            var streams: [RPCStreamStop] = []
            for connection in state.connections.values {
                if connection.activity.callsInFlight == 0 {
                    idle.append(connection.channel)
                } else {
                    busy.append(connection.channel)
                }
                streams += connection.streams
            }
            return (idle, busy, streams)
        }
        for stream in streams { stream.stop(Self.shuttingDown) }
        return (idle, busy)
    }

    /// The status a stream ends with when the server drains.
    private static let shuttingDown = RPCError(code: .unavailable, message: "server is shutting down")

    /// Counts an open server stream on `connection` (which holds a call slot for it already),
    /// to be ended when the server drains; ends it at once if draining has begun.
    func openStream(_ stream: RPCStreamStop, on connection: ConnectionSlot) {
        connection.addStream(stream)
        // Checked after adding: either beginDraining saw the stream, or this sees draining.
        if self.draining.load(ordering: .acquiring) { stream.stop(Self.shuttingDown) }
    }

    /// Forgets a server stream that has ended.
    func closeStream(_ stream: RPCStreamStop, on connection: ConnectionSlot) {
        connection.removeStream(stream)
    }

    /// Server streams open now, across all connections.
    var openStreams: Int {
        self.state.withLock { state in state.connections.values.reduce(0) { $0 + $1.streams.count } }
    }

    /// Whether the server has begun to shut down.
    var isDraining: Bool {
        self.draining.load(ordering: .acquiring)
    }

    /// Connections open now from `uid`.
    func connections(of uid: UInt32) -> Int {
        self.state.withLock { $0.perUID[uid, default: 0] }
    }

    /// Counts for the Stats rpc: open connections, accepted since start, calls in flight.
    package var counts: (open: Int, acceptedTotal: UInt64, callsInFlight: Int) {
        self.state.withLock { state in
            (state.connections.count, state.acceptedTotal, state.connections.values.reduce(0) { $0 + $1.activity.callsInFlight })
        }
    }
}

/// One open connection's entry in the ``ConnectionRegistry``: its channel and peer uid, and
/// what changes on every frame and call, behind a lock of its own.
final class ConnectionSlot: Sendable {
    struct Activity {
        var callsInFlight = 0
        var sawFrame = false
        /// Accept, the last frame, or the end of the last call, whichever is latest.
        var lastActivity: ContinuousClock.Instant
    }

    let channel: any Channel
    let uid: UInt32
    private let state: Mutex<Activity>
    /// The connection's open server streams.
    private let openStreams = Mutex<[ObjectIdentifier: RPCStreamStop]>([:])

    init(channel: any Channel, uid: UInt32, accepted: ContinuousClock.Instant) {
        self.channel = channel
        self.uid = uid
        self.state = Mutex(Activity(lastActivity: accepted))
    }

    /// Calls in flight now.
    var callsInFlight: Int { self.state.withLock { $0.callsInFlight } }

    /// A copy of the activity now.
    var activity: Activity { self.state.withLock { $0 } }

    /// Notes that a complete frame (or an oversized frame's header) arrived.
    func frameArrived(now: ContinuousClock.Instant = .now) {
        self.state.withLock { state in
            state.sawFrame = true
            state.lastActivity = now
        }
    }

    /// The open server streams.
    var streams: [RPCStreamStop] { self.openStreams.withLock { Array($0.values) } }

    fileprivate func addStream(_ stream: RPCStreamStop) {
        self.openStreams.withLock { $0[ObjectIdentifier(stream)] = stream }
    }

    fileprivate func removeStream(_ stream: RPCStreamStop) {
        self.openStreams.withLock { $0[ObjectIdentifier(stream)] = nil }
    }

    /// Counts a call in if fewer than `limit` are in flight.
    fileprivate func startCall(limit: Int) -> Bool {
        self.state.withLock { state in
            guard state.callsInFlight < limit else { return false }
            state.callsInFlight += 1
            return true
        }
    }

    /// Counts a call out; returns the calls left in flight.
    fileprivate func finishCall(now: ContinuousClock.Instant) -> Int {
        self.state.withLock { state in
            state.callsInFlight -= 1
            state.lastActivity = now
            return state.callsInFlight
        }
    }
}
