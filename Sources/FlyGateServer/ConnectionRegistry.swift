import NIOCore
import Synchronization

/// The server's open connections and their calls in flight, and the limits on both.
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
        /// The server is shutting down: close it.
        case draining
    }

    /// Whether a new call on a connection may start.
    enum CallAdmission: Equatable {
        case admitted
        case overLimit
        case draining
    }

    private struct Entry {
        let channel: any Channel
        var callsInFlight: Int
    }

    private struct State {
        var connections: [UInt64: Entry] = [:]
        var nextID: UInt64 = 1
        var draining = false
        var rejectingBurst = false
        var acceptedTotal: UInt64 = 0
    }

    private let maxConnections: Int
    private let maxCallsPerConnection: Int
    private let state = Mutex(State())

    /// A registry enforcing the two limits.
    init(maxConnections: Int, maxCallsPerConnection: Int) {
        self.maxConnections = maxConnections
        self.maxCallsPerConnection = maxCallsPerConnection
    }

    /// A registry enforcing the limits of `configuration`.
    package convenience init(limitsOf configuration: RPCServer.Configuration) {
        self.init(maxConnections: configuration.maxConnections, maxCallsPerConnection: configuration.maxInFlightPerConnection)
    }

    /// Admits `channel` or says why not.
    func admit(_ channel: any Channel) -> Admission {
        self.state.withLock { state in
            if state.draining {
                return .draining
            }
            guard state.connections.count < self.maxConnections else {
                let first = !state.rejectingBurst
                state.rejectingBurst = true
                return .overLimit(firstOfBurst: first)
            }
            state.rejectingBurst = false
            let id = state.nextID
            state.nextID += 1
            state.acceptedTotal += 1
            state.connections[id] = Entry(channel: channel, callsInFlight: 0)
            return .admitted(id: id)
        }
    }

    /// Forgets a closed connection.
    func remove(_ id: UInt64) {
        self.state.withLock { state in
            _ = state.connections.removeValue(forKey: id)
        }
    }

    /// Takes a call slot on connection `id` if one is free.
    func startCall(on id: UInt64) -> CallAdmission {
        self.state.withLock { state in
            guard !state.draining else { return .draining }
            guard let entry = state.connections[id], entry.callsInFlight < self.maxCallsPerConnection else {
                return .overLimit
            }
            state.connections[id]!.callsInFlight += 1
            return .admitted
        }
    }

    /// Gives back a call slot; returns the channel to close when draining left it idle.
    func finishCall(on id: UInt64) -> (any Channel)? {
        self.state.withLock { state in
            guard var entry = state.connections[id] else { return nil }
            entry.callsInFlight -= 1
            state.connections[id] = entry
            return state.draining && entry.callsInFlight == 0 ? entry.channel : nil
        }
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

    /// Counts for the Stats rpc: open connections, accepted since start, calls in flight.
    package var counts: (open: Int, acceptedTotal: UInt64, callsInFlight: Int) {
        self.state.withLock { state in
            (state.connections.count, state.acceptedTotal, state.connections.values.reduce(0) { $0 + $1.callsInFlight })
        }
    }
}
