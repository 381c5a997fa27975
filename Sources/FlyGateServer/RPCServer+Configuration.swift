import FlyGateWire

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

        /// Where connections come from.
        package var listener: Listener
        /// A group (name or number) whose members may connect too; `nil` for the owner only.
        package var socketGroup: String?
        /// The largest frame data accepted or sent, in bytes.
        package var maxFrameBytes: Int
        /// Calls one connection may have in flight; more get RESOURCE_EXHAUSTED.
        package var maxInFlightPerConnection: Int
        /// Connections open at once; more are closed on accept.
        package var maxConnections: Int
        /// Metadata entries one call may carry; more get RESOURCE_EXHAUSTED.
        package var maxMetadataEntries: Int
        /// Bytes queued for a connection before its writes wait and its reading pauses.
        package var maxOutboundBufferBytes: Int
        /// How long a graceful shutdown lets calls in flight finish before closing their connections.
        package var shutdownGracePeriod: Duration

        /// Creates a configuration from every field.
        package init(
            listener: Listener,
            socketGroup: String?,
            maxFrameBytes: Int,
            maxInFlightPerConnection: Int,
            maxConnections: Int,
            maxMetadataEntries: Int,
            maxOutboundBufferBytes: Int,
            shutdownGracePeriod: Duration
        ) {
            self.listener = listener
            self.socketGroup = socketGroup
            self.maxFrameBytes = maxFrameBytes
            self.maxInFlightPerConnection = maxInFlightPerConnection
            self.maxConnections = maxConnections
            self.maxMetadataEntries = maxMetadataEntries
            self.maxOutboundBufferBytes = maxOutboundBufferBytes
            self.shutdownGracePeriod = shutdownGracePeriod
        }

        /// The defaults: the environment-free default socket path (the executable applies
        /// `SocketPath.default(environment:)`), no group, 4 MiB frames, 64 calls per connection,
        /// 1024 connections, 64 metadata entries, 1 MiB of queued output, 10 s of grace. The
        /// daemon's defaults for these settings are these (docs/wire.md states them).
        package static var defaults: Configuration {
            Configuration(
                listener: .socketPath(SocketPath.default(environment: [:])),
                socketGroup: nil,
                maxFrameBytes: TTRPCFrame.defaultMaxDataBytes,
                maxInFlightPerConnection: 64,
                maxConnections: 1024,
                maxMetadataEntries: 64,
                maxOutboundBufferBytes: 1024 * 1024,
                shutdownGracePeriod: .seconds(10)
            )
        }

        /// Throws when a field is out of range or the socket path is too long.
        package func validate() throws(ServerError) {
            if case .socketPath(let path) = self.listener {
                do {
                    try SocketPath.validate(path)
                } catch {
                    throw ServerError(code: .invalidConfiguration, message: error.message)
                }
            }
            guard (1...TTRPCFrame.largestEncodableDataBytes).contains(self.maxFrameBytes) else {
                throw Self.invalid("maxFrameBytes must be between 1 and \(TTRPCFrame.largestEncodableDataBytes)")
            }
            guard self.maxInFlightPerConnection >= 1 else { throw Self.invalid("maxInFlightPerConnection must be at least 1") }
            guard self.maxConnections >= 1 else { throw Self.invalid("maxConnections must be at least 1") }
            guard self.maxMetadataEntries >= 0 else { throw Self.invalid("maxMetadataEntries must not be negative") }
            guard self.maxOutboundBufferBytes >= 1024 else { throw Self.invalid("maxOutboundBufferBytes must be at least 1024") }
            guard self.shutdownGracePeriod >= .zero else { throw Self.invalid("shutdownGracePeriod must not be negative") }
            if let group = self.socketGroup, group.isEmpty {
                throw Self.invalid("socketGroup must not be empty")
            }
        }

        private static func invalid(_ message: String) -> ServerError {
            ServerError(code: .invalidConfiguration, message: message)
        }
    }
}
