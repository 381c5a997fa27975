import FlyGateWire

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension RPCServer {
    /// Where the server listens and the limits it enforces.
    package struct Configuration: Sendable {
        /// Where connections come from.
        package enum Listener: Sendable, Hashable {
            /// Bind a Unix socket at this path, managing the file and its directory.
            case socketPath(String)
            /// Serve an already bound and listening socket (systemd's fd 3); its file is not ours.
            case inheritedSocket(descriptor: Int32)
        }

        /// Where connections come from; they may speak ttrpc or gRPC (told by their first bytes).
        package var listener: Listener
        /// A second socket that serves gRPC only: a connection whose first bytes are not the
        /// HTTP/2 preface is closed, unanswered. `nil` for none. It shares the first socket's
        /// group, limits, connection registry, buffer budget and router.
        package var grpcOnlyListener: Listener?
        /// A group (name or number) whose members may connect too; `nil` for the owner only.
        package var socketGroup: String?
        /// The largest frame data accepted or sent, in bytes.
        package var maxFrameBytes: Int
        /// Calls one connection may have in flight; more get RESOURCE_EXHAUSTED.
        package var maxInFlightPerConnection: Int
        /// Connections open at once; more are closed on accept.
        package var maxConnections: Int
        /// Connections one uid may have open at once; more are closed on accept.
        package var maxConnectionsPerUID: Int
        /// Uids ``maxConnectionsPerUID`` does not apply to.
        package var uncappedUIDs: Set<UInt32>
        /// A connection that sends no complete frame within this of accept is closed; nil for never.
        package var firstFrameTimeout: Duration?
        /// A connection with no call in flight and no frame for this long is closed (unless its
        /// observer keeps it open); nil for never.
        package var idleTimeout: Duration?
        /// Bytes of partially received frames plus queued output, across all connections,
        /// before connections holding some stop reading (see ``BufferBudget``).
        package var maxBufferedBytes: Int
        /// Metadata entries one call may carry; more get RESOURCE_EXHAUSTED.
        package var maxMetadataEntries: Int
        /// Bytes queued for a connection before its writes wait and its reading pauses.
        package var maxOutboundBufferBytes: Int
        /// How long a graceful shutdown lets calls in flight finish before closing their connections.
        package var shutdownGracePeriod: Duration

        /// Creates a configuration from every field.
        package init(
            listener: Listener,
            grpcOnlyListener: Listener?,
            socketGroup: String?,
            maxFrameBytes: Int,
            maxInFlightPerConnection: Int,
            maxConnections: Int,
            maxConnectionsPerUID: Int,
            uncappedUIDs: Set<UInt32>,
            firstFrameTimeout: Duration?,
            idleTimeout: Duration?,
            maxBufferedBytes: Int,
            maxMetadataEntries: Int,
            maxOutboundBufferBytes: Int,
            shutdownGracePeriod: Duration
        ) {
            self.listener = listener
            self.grpcOnlyListener = grpcOnlyListener
            self.socketGroup = socketGroup
            self.maxFrameBytes = maxFrameBytes
            self.maxInFlightPerConnection = maxInFlightPerConnection
            self.maxConnections = maxConnections
            self.maxConnectionsPerUID = maxConnectionsPerUID
            self.uncappedUIDs = uncappedUIDs
            self.firstFrameTimeout = firstFrameTimeout
            self.idleTimeout = idleTimeout
            self.maxBufferedBytes = maxBufferedBytes
            self.maxMetadataEntries = maxMetadataEntries
            self.maxOutboundBufferBytes = maxOutboundBufferBytes
            self.shutdownGracePeriod = shutdownGracePeriod
        }

        /// The defaults: the environment-free default socket path (the executable applies
        /// `SocketPath.default(environment:)`), no gRPC-only socket (the one socket serves gRPC
        /// too; a second is for deployments that want one protocol per path), no group, 4 MiB
        /// frames, 64 calls per connection, 1024 connections, 64 metadata entries, 1 MiB of
        /// queued output, 10 s of grace. The daemon's defaults for these settings are these
        /// (docs/wire.md states them).
        ///
        /// Against local abuse: 128 connections per uid (an eighth of the slots: eight users can
        /// never fill the server, one can still run a large pool), the process's own uid and
        /// root uncapped (they can stop the daemon anyway); 60 s for the first frame (client
        /// libraries may connect ahead of their first call — the lease tests' observer does — and
        /// a silent connection costs only a slot of its own uid's share); 300 s idle (long
        /// enough for a pool kept open between bursts, short enough that abandoned connections
        /// free their slots; a lease holder is kept open by the lease book); 64 MiB buffered
        /// across all connections (sixteen largest frames at once, instead of 1024 × 4 MiB).
        package static var defaults: Configuration {
            Configuration(
                listener: .socketPath(SocketPath.default(environment: [:])),
                grpcOnlyListener: nil,
                socketGroup: nil,
                maxFrameBytes: TTRPCFrame.defaultMaxDataBytes,
                maxInFlightPerConnection: 64,
                maxConnections: 1024,
                maxConnectionsPerUID: 128,
                uncappedUIDs: [0, UInt32(getuid())],
                firstFrameTimeout: .seconds(60),
                idleTimeout: .seconds(300),
                maxBufferedBytes: 64 * 1024 * 1024,
                maxMetadataEntries: 64,
                maxOutboundBufferBytes: 1024 * 1024,
                shutdownGracePeriod: .seconds(10)
            )
        }

        /// Throws when a field is out of range, a socket path is too long, or the gRPC-only
        /// socket is the first socket.
        package func validate() throws(ServerError) {
            for (which, listener) in [("", self.listener), ("gRPC-only ", self.grpcOnlyListener)] {
                guard case .socketPath(let path)? = listener else { continue }
                do {
                    try SocketPath.validate(path)
                } catch {
                    throw ServerError(code: .invalidConfiguration, message: which + error.message)
                }
            }
            if let grpcOnly = self.grpcOnlyListener, Self.sameListener(grpcOnly, self.listener) {
                throw Self.invalid("the gRPC-only socket must not be the socket itself (\(grpcOnly))")
            }
            guard (1...TTRPCFrame.largestEncodableDataBytes).contains(self.maxFrameBytes) else {
                throw Self.invalid("maxFrameBytes must be between 1 and \(TTRPCFrame.largestEncodableDataBytes)")
            }
            guard self.maxInFlightPerConnection >= 1 else { throw Self.invalid("maxInFlightPerConnection must be at least 1") }
            guard self.maxConnections >= 1 else { throw Self.invalid("maxConnections must be at least 1") }
            guard self.maxConnectionsPerUID >= 1 else { throw Self.invalid("maxConnectionsPerUID must be at least 1") }
            for (name, timeout) in [("firstFrameTimeout", self.firstFrameTimeout), ("idleTimeout", self.idleTimeout)] {
                if let timeout, timeout <= .zero { throw Self.invalid("\(name) must be positive (nil for none)") }
            }
            guard self.maxBufferedBytes >= 64 * 1024 else { throw Self.invalid("maxBufferedBytes must be at least 65536") }
            guard self.maxMetadataEntries >= 0 else { throw Self.invalid("maxMetadataEntries must not be negative") }
            guard self.maxOutboundBufferBytes >= 1024 else { throw Self.invalid("maxOutboundBufferBytes must be at least 1024") }
            guard self.shutdownGracePeriod >= .zero else { throw Self.invalid("shutdownGracePeriod must not be negative") }
            if let group = self.socketGroup, group.isEmpty {
                throw Self.invalid("socketGroup must not be empty")
            }
        }

        /// Whether `a` and `b` name the same socket as written: one descriptor, or paths that
        /// differ only in repeated slashes or `.` components. (A path that reaches the same file
        /// another way, through `..` or a link, is caught when the second socket is bound.)
        package static func sameListener(_ a: Listener, _ b: Listener) -> Bool {
            switch (a, b) {
            case (.inheritedSocket(let one), .inheritedSocket(let other)):
                return one == other
            case (.socketPath(let one), .socketPath(let other)):
                return Self.lexicallyNormalized(one) == Self.lexicallyNormalized(other)
            default:
                return false
            }
        }

        /// `path` without repeated slashes, `.` components or a trailing slash.
        static func lexicallyNormalized(_ path: String) -> String {
            let components = path.split(separator: "/", omittingEmptySubsequences: true).filter { $0 != "." }
            let joined = components.joined(separator: "/")
            return path.hasPrefix("/") ? "/" + joined : joined
        }

        private static func invalid(_ message: String) -> ServerError {
            ServerError(code: .invalidConfiguration, message: message)
        }
    }
}

extension RPCServer.Configuration.Listener: CustomStringConvertible {
    /// The socket's path, or nil for an inherited descriptor.
    package var path: String? {
        guard case .socketPath(let path) = self else { return nil }
        return path
    }

    /// The path, or `fd:N` for an inherited descriptor: what the logs and the ready line show.
    package var description: String {
        switch self {
        case .socketPath(let path): path
        case .inheritedSocket(let descriptor): "fd:\(descriptor)"
        }
    }
}
