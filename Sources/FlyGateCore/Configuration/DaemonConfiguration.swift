import FlyGateServer
import FlyGateWire
import FlyMachinesAPI
import FlyMachinesSimulator

/// Everything `flygate serve` can be told. Built from layers (defaults, config file,
/// environment, flags — later wins) by ``ConfigurationLoader``; only the executable reads them.
package struct DaemonConfiguration: Sendable, Equatable {
    package enum LogFormat: String, Sendable, Equatable, CaseIterable {
        /// One line per event for a terminal.
        case text
        /// One JSON object per line for a service manager or log shipper.
        case json
    }

    /// One access rule as configured (names already resolved to ids).
    package typealias Rule = AccessPolicy.Rule

    package var socketPath: String
    /// A second socket that serves gRPC only (ttrpc and gRPC stay on ``socketPath``); nil for none.
    package var grpcSocketPath: String?
    /// A group that may connect too, to either socket (socket 0660, directory 0750).
    package var socketGroup: String?
    package var maxFrameBytes: Int
    package var maxConnections: Int
    /// Connections one uid (other than the daemon's own and root) may have open at once.
    package var maxConnectionsPerUID: Int
    /// Close a connection that sends no complete frame this long after accept; nil for never.
    package var firstFrameTimeout: Duration?
    /// Close a connection with no call in flight and no frame for this long (a lease holder
    /// stays); nil for never.
    package var idleTimeout: Duration?
    /// Bytes of partial frames and queued output across all connections (see `BufferBudget`).
    package var maxBufferedBytes: Int
    package var maxInFlightPerConnection: Int
    package var maxMetadataEntries: Int
    /// How long in-flight calls may run after SIGTERM before they are cut off.
    package var shutdownGrace: Duration
    /// Threads serving the sockets and the upstream connections (NIO's event loops), set once at
    /// start; see ``defaultEventLoopThreads``.
    package var eventLoopThreads: Int

    /// The Machines API base URL (without `/v1`); nil: Fly's with a token, the built-in simulator without.
    package var upstreamURL: String?
    /// A file holding the token (must not be readable by group or others).
    package var tokenFile: String?
    /// Pace calls at Fly's documented rate limits.
    package var upstreamRateLimits: Bool
    /// HTTP/1.1 connections kept to the upstream at most, shared among the event loops (an
    /// `https://` upstream that speaks HTTP/2 is called over one connection; Wait and Exec have
    /// connections of their own). Read at start.
    package var upstreamMaxConnections: Int

    /// Where the lease book and the audit log live.
    package var stateDirectory: String
    package var logLevel: String
    package var logFormat: LogFormat
    /// `host:port` for the Prometheus endpoint; nil for none.
    package var metricsListen: String?
    /// Rules beyond the built-in one (the daemon's own uid and root may do everything).
    package var rules: [Rule]

    /// The built-in simulator's transient-state delay, when it is used.
    package var simulatorTransitionDelay: Duration
    /// The built-in simulator enforces Fly's rate limits.
    package var simulatorRateLimits: Bool

    /// Coalesce identical reads and keep the read cache.
    package var coalescingEnabled: Bool
    /// Most answers the read cache keeps.
    package var cacheMaxEntries: Int
    /// Most bytes the read cache keeps.
    package var cacheMaxBytes: Int
    /// Write the audit log (turning it off is for benchmarks and throwaway setups).
    package var auditEnabled: Bool
    /// The audit log file; nil: `<stateDirectory>/audit.log`.
    package var auditPath: String?
    /// Rotate the audit log once it reaches this size.
    package var auditMaxBytes: Int
    /// Rotated audit files kept.
    package var auditMaxFiles: Int
    /// The longest a watch loop goes without reading upstream when nothing rings it: the most
    /// a change made behind the daemon's back waits to reach its watchers.
    package var watchPollInterval: Duration
    /// The most watches one uid may have open at once.
    package var watchMaxPerUID: Int

    package init(
        socketPath: String,
        grpcSocketPath: String? = RPCServer.Configuration.defaults.grpcOnlyListener?.path,
        socketGroup: String? = nil,
        maxFrameBytes: Int,
        maxConnections: Int,
        maxConnectionsPerUID: Int = RPCServer.Configuration.defaults.maxConnectionsPerUID,
        firstFrameTimeout: Duration? = RPCServer.Configuration.defaults.firstFrameTimeout,
        idleTimeout: Duration? = RPCServer.Configuration.defaults.idleTimeout,
        maxBufferedBytes: Int = RPCServer.Configuration.defaults.maxBufferedBytes,
        maxInFlightPerConnection: Int,
        maxMetadataEntries: Int,
        shutdownGrace: Duration,
        eventLoopThreads: Int = DaemonConfiguration.defaultEventLoopThreads,
        upstreamURL: String? = nil,
        tokenFile: String? = nil,
        upstreamRateLimits: Bool,
        upstreamMaxConnections: Int = FlyMachinesClient.Configuration.defaults.maxConnectionsPerHost,
        stateDirectory: String,
        logLevel: String,
        logFormat: LogFormat,
        metricsListen: String? = nil,
        rules: [Rule] = [],
        simulatorTransitionDelay: Duration,
        simulatorRateLimits: Bool,
        coalescingEnabled: Bool = CoalescingStage.Configuration.defaults.enabled,
        cacheMaxEntries: Int = CoalescingStage.Configuration.defaults.maxCacheEntries,
        cacheMaxBytes: Int = CoalescingStage.Configuration.defaults.maxCacheBytes,
        auditEnabled: Bool = true,
        auditPath: String? = nil,
        auditMaxBytes: Int = AuditLog.Configuration.defaultMaxBytes,
        auditMaxFiles: Int = AuditLog.Configuration.defaultMaxRotatedFiles,
        watchPollInterval: Duration = WatchHub.Configuration.defaults.pollInterval,
        watchMaxPerUID: Int = WatchHub.Configuration.defaults.maxWatchesPerUID
    ) {
        self.socketPath = socketPath
        self.grpcSocketPath = grpcSocketPath
        self.socketGroup = socketGroup
        self.maxFrameBytes = maxFrameBytes
        self.maxConnections = maxConnections
        self.maxConnectionsPerUID = maxConnectionsPerUID
        self.firstFrameTimeout = firstFrameTimeout
        self.idleTimeout = idleTimeout
        self.maxBufferedBytes = maxBufferedBytes
        self.maxInFlightPerConnection = maxInFlightPerConnection
        self.maxMetadataEntries = maxMetadataEntries
        self.shutdownGrace = shutdownGrace
        self.eventLoopThreads = eventLoopThreads
        self.upstreamURL = upstreamURL
        self.tokenFile = tokenFile
        self.upstreamRateLimits = upstreamRateLimits
        self.upstreamMaxConnections = upstreamMaxConnections
        self.stateDirectory = stateDirectory
        self.logLevel = logLevel
        self.logFormat = logFormat
        self.metricsListen = metricsListen
        self.rules = rules
        self.simulatorTransitionDelay = simulatorTransitionDelay
        self.simulatorRateLimits = simulatorRateLimits
        self.coalescingEnabled = coalescingEnabled
        self.cacheMaxEntries = cacheMaxEntries
        self.cacheMaxBytes = cacheMaxBytes
        self.auditEnabled = auditEnabled
        self.auditPath = auditPath
        self.auditMaxBytes = auditMaxBytes
        self.auditMaxFiles = auditMaxFiles
        self.watchPollInterval = watchPollInterval
        self.watchMaxPerUID = watchMaxPerUID
    }

    /// One event loop, whatever the number of cores.
    ///
    /// A call runs on its connection's loop from the request to the answer, upstream request
    /// included (the HTTP/1.1 pool keeps its connections per loop), so a second loop adds no
    /// parallelism to a call, only to the daemon as a whole; and the daemon shares the host with
    /// its callers and, for the simulator, its upstream. Measured with the Go client on 2 cores
    /// (docs/performance.md, ninth round), one loop took 20% less CPU per Show over 4
    /// connections × 4 in flight than two, with more calls a second and the same p50 at one in
    /// flight; the pool's 8 upstream connections are shared among the loops, so one loop also
    /// keeps all 8 for the calls that need them. One loop serves some 150,000 Health calls or
    /// 10,000 proxied Shows a second, far above Fly's own rate limits. A host whose callers need
    /// more raises `event_loop_threads`.
    package static let defaultEventLoopThreads = 1

    /// Where the audit log is written.
    package var auditLogPath: String { auditPath ?? stateDirectory + "/audit.log" }

    /// The audit log's configuration.
    package var auditLog: AuditLog.Configuration { AuditLog.Configuration(path: auditLogPath, maxBytes: auditMaxBytes, maxRotatedFiles: auditMaxFiles) }

    /// The defaults, for a daemon whose socket path follows the shared rule for `environment`.
    ///
    /// Each component's settings default to that component's own defaults (the server's, the
    /// upstream client's, the simulator's, the cache's, the audit log's): a default is defined
    /// once, where the component is.
    package static func defaults(environment: [String: String], userID: UInt32) -> DaemonConfiguration {
        let socketPath = SocketPath.default(environment: environment, userID: userID)
        let stateDirectory: String
        if let state = environment["STATE_DIRECTORY"], !state.isEmpty {
            stateDirectory = state  // systemd's StateDirectory=
        } else if userID == 0 {
            stateDirectory = "/var/lib/flygate"
        } else if let home = environment["XDG_STATE_HOME"], !home.isEmpty {
            stateDirectory = home + "/flygate"
        } else if let home = environment["HOME"], !home.isEmpty {
            stateDirectory = home + "/.local/state/flygate"
        } else {
            // Like the socket's fallback, used only if it passes PrivateDirectory's check.
            stateDirectory = "/tmp/flygate-\(userID)/state"
        }
        // The server's limits are the server's own defaults: defined once, there.
        let server = RPCServer.Configuration.defaults
        return DaemonConfiguration(
            socketPath: socketPath,
            grpcSocketPath: server.grpcOnlyListener?.path,
            maxFrameBytes: server.maxFrameBytes,
            maxConnections: server.maxConnections,
            maxConnectionsPerUID: server.maxConnectionsPerUID,
            firstFrameTimeout: server.firstFrameTimeout,
            idleTimeout: server.idleTimeout,
            maxBufferedBytes: server.maxBufferedBytes,
            maxInFlightPerConnection: server.maxInFlightPerConnection,
            maxMetadataEntries: server.maxMetadataEntries,
            shutdownGrace: server.shutdownGracePeriod,
            upstreamRateLimits: FlyMachinesClient.Configuration.defaults.rateLimits.enabled,
            stateDirectory: stateDirectory,
            logLevel: "info",
            logFormat: .text,
            simulatorTransitionDelay: FlyMachinesSimulator.Configuration.defaults.transitionDelay,
            simulatorRateLimits: FlyMachinesSimulator.Configuration.defaults.rateLimits
        )
    }

    /// The coalescing stage's configuration these settings make.
    package var coalescing: CoalescingStage.Configuration {
        var configuration = CoalescingStage.Configuration.defaults
        configuration.enabled = coalescingEnabled
        configuration.maxCacheEntries = cacheMaxEntries
        configuration.maxCacheBytes = cacheMaxBytes
        return configuration
    }

    /// The watch hub's configuration these settings make.
    package var watch: WatchHub.Configuration {
        var configuration = WatchHub.Configuration.defaults
        configuration.pollInterval = watchPollInterval
        configuration.maxWatchesPerUID = watchMaxPerUID
        return configuration
    }

    /// The upstream client's configuration these settings make, calling `baseURL`.
    package func upstreamClientConfiguration(baseURL: String) -> FlyMachinesClient.Configuration {
        var configuration = FlyMachinesClient.Configuration.defaults
        configuration.baseURL = baseURL
        configuration.rateLimits.enabled = upstreamRateLimits
        configuration.maxConnectionsPerHost = upstreamMaxConnections
        return configuration
    }

    /// The built-in simulator's configuration these settings make.
    package var simulatorConfiguration: FlyMachinesSimulator.Configuration {
        var configuration = FlyMachinesSimulator.Configuration.defaults
        configuration.transitionDelay = simulatorTransitionDelay
        configuration.rateLimits = simulatorRateLimits
        return configuration
    }

    /// The socket server's configuration these settings make: the configured socket path, or
    /// `inheritedSocket` (systemd's) when there is one; the gRPC-only socket is always a path
    /// the daemon binds.
    package func serverConfiguration(inheritedSocket: Int32?) -> RPCServer.Configuration {
        var configuration = RPCServer.Configuration.defaults
        configuration.listener = inheritedSocket.map { .inheritedSocket(descriptor: $0) } ?? .socketPath(socketPath)
        configuration.grpcOnlyListener = grpcSocketPath.map { .socketPath($0) }
        configuration.socketGroup = socketGroup
        configuration.maxFrameBytes = maxFrameBytes
        configuration.maxInFlightPerConnection = maxInFlightPerConnection
        configuration.maxConnections = maxConnections
        configuration.maxConnectionsPerUID = maxConnectionsPerUID
        configuration.firstFrameTimeout = firstFrameTimeout
        configuration.idleTimeout = idleTimeout
        configuration.maxBufferedBytes = maxBufferedBytes
        configuration.maxMetadataEntries = maxMetadataEntries
        configuration.shutdownGracePeriod = shutdownGrace
        return configuration
    }

    /// The access policy these rules make for a daemon running as `daemonUID`.
    package func accessPolicy(daemonUID: UInt32) -> AccessPolicy {
        var policy = AccessPolicy.ownerOnly(daemonUID: daemonUID)
        policy.rules += rules
        return policy
    }
}
