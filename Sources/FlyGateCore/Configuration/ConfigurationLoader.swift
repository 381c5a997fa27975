import FlyGateJSON
import FlyGateServer
import FlyGateWire

#if canImport(Glibc)
import Glibc
#endif

/// Builds a ``DaemonConfiguration`` from layers: defaults, then the config file, then the
/// environment, then flags; a later layer wins field by field.
///
/// The config file is JSON (see README.md, "Configuration"): the daemon already carries an exact
/// JSON parser that reports byte offsets, so the file format costs no dependency, and every
/// tool that writes configuration writes JSON. Unknown fields are refused, so a typo is an
/// error at start, not a silently ignored setting.
package struct ConfigurationLoader: Sendable {
    /// One value and where it came from.
    struct Setting {
        var value: JSONValue
        var source: String
    }

    /// Environment variables and the field each sets (later entries win).
    package static let environmentVariables: [(variable: String, field: String)] = [
        ("FLYGATE_SOCKET", "socket.path"),
        ("FLYGATE_GRPC_SOCKET", "socket.grpc_path"),
        ("FLYGATE_SOCKET_GROUP", "socket.group"),
        ("FLY_FLAPS_BASE_URL", "upstream.url"),
        ("FLYGATE_UPSTREAM", "upstream.url"),
        ("FLYGATE_TOKEN_FILE", "upstream.token_file"),
        ("FLYGATE_STATE_DIRECTORY", "state_directory"),
        ("FLYGATE_LOG_LEVEL", "log.level"),
        ("FLYGATE_LOG_FORMAT", "log.format"),
        ("FLYGATE_METRICS_LISTEN", "metrics.listen"),
        ("FLYGATE_AUDIT_LOG", "audit.path"),
    ]

    /// Every field the file may set.
    static let fields: Set<String> = [
        "socket.path", "socket.grpc_path", "socket.group", "socket.max_frame_bytes", "socket.max_connections",
        "socket.max_in_flight_per_connection", "socket.max_metadata_entries", "socket.max_connections_per_uid",
        "socket.first_frame_timeout_seconds", "socket.idle_timeout_seconds", "socket.max_buffered_bytes", "shutdown_grace_seconds",
        "event_loop_threads",
        "upstream.url", "upstream.token_file", "upstream.rate_limits", "upstream.max_connections", "state_directory", "log.level", "log.format",
        "metrics.listen", "policy.rules", "simulator.transition_delay_ms", "simulator.rate_limits",
        "coalescing.enabled", "cache.max_entries", "cache.max_bytes",
        "audit.enabled", "audit.path", "audit.max_bytes", "audit.max_files",
        "watch.poll_interval_seconds", "watch.max_per_uid",
    ]

    private var settings: [String: Setting] = [:]
    private let environment: [String: String]
    private let userID: UInt32

    package init(environment: [String: String], userID: UInt32) {
        self.environment = environment
        self.userID = userID
        for (variable, field) in Self.environmentVariables {
            if let value = environment[variable], !value.isEmpty {
                settings[field] = Setting(value: .string(value), source: variable)
            }
        }
    }

    /// Adds the config file's settings below the environment's (call before ``applyFlags(_:)``).
    package mutating func applyFile(_ bytes: [UInt8], path: String) throws(ConfigurationError) {
        let source = "config file \(path)"
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw ConfigurationError(field: "(file)", source: source, message: error.description)
        }
        guard case .object(let root) = json else {
            throw ConfigurationError(field: "(file)", source: source, message: "the file must hold a JSON object")
        }
        var fromFile: [String: Setting] = [:]
        try Self.flatten(root, prefix: "", source: source, into: &fromFile)
        for (field, setting) in fromFile where settings[field] == nil {
            settings[field] = setting
        }
    }

    /// Adds flag values (field -> text) above everything else.
    package mutating func applyFlags(_ flags: [(field: String, value: String, flag: String)]) {
        for (field, value, flag) in flags {
            settings[field] = Setting(value: .string(value), source: flag)
        }
    }

    private static func flatten(_ object: JSONObject, prefix: String, source: String, into result: inout [String: Setting]) throws(ConfigurationError) {
        for (key, value) in object.members {
            let field = prefix.isEmpty ? key : "\(prefix).\(key)"
            if fields.contains(field) {
                result[field] = Setting(value: value, source: source)
            } else if case .object(let nested) = value, fields.contains(where: { $0.hasPrefix(field + ".") }) {
                try flatten(nested, prefix: field, source: source, into: &result)
            } else {
                throw ConfigurationError(field: field, source: source, message: "unknown field")
            }
        }
    }

    /// The configuration, validated.
    package func load() throws(ConfigurationError) -> DaemonConfiguration {
        var configuration = DaemonConfiguration.defaults(environment: environment, userID: userID)
        var reader = Reader(settings: settings)
        if let path = try reader.string("socket.path") { configuration.socketPath = path }
        if let path = try reader.string("socket.grpc_path") {
            do {
                try SocketPath.validate(path)
            } catch {
                throw reader.error("socket.grpc_path", error.message)
            }
            // Checked here, not only when the server starts, to name the field and its source.
            let same = RPCServer.Configuration.sameListener(.socketPath(path), .socketPath(configuration.socketPath))
            try reader.check(
                "socket.grpc_path", !same,
                "must differ from socket.path (\(configuration.socketPath)): it names a second socket, serving gRPC only")
            configuration.grpcSocketPath = path
        }
        configuration.socketGroup = try reader.string("socket.group") ?? configuration.socketGroup
        if let value = try reader.int("socket.max_frame_bytes", in: 1024...16_777_215) { configuration.maxFrameBytes = value }
        if let value = try reader.int("socket.max_connections", in: 1...1_000_000) { configuration.maxConnections = value }
        if let value = try reader.int("socket.max_in_flight_per_connection", in: 1...100_000) {
            configuration.maxInFlightPerConnection = value
        }
        if let value = try reader.int("socket.max_metadata_entries", in: 0...10_000) { configuration.maxMetadataEntries = value }
        if let value = try reader.int("socket.max_connections_per_uid", in: 1...1_000_000) { configuration.maxConnectionsPerUID = value }
        // 0 turns a timeout off.
        if let value = try reader.int("socket.first_frame_timeout_seconds", in: 0...86_400) {
            configuration.firstFrameTimeout = value == 0 ? nil : .seconds(value)
        }
        if let value = try reader.int("socket.idle_timeout_seconds", in: 0...604_800) {
            configuration.idleTimeout = value == 0 ? nil : .seconds(value)
        }
        if let value = try reader.int("socket.max_buffered_bytes", in: 65_536...(1 << 40)) { configuration.maxBufferedBytes = value }
        if let value = try reader.int("shutdown_grace_seconds", in: 0...3600) { configuration.shutdownGrace = .seconds(value) }
        if let value = try reader.int("event_loop_threads", in: 1...256) { configuration.eventLoopThreads = value }
        if let url = try reader.string("upstream.url") {
            try reader.check("upstream.url", url.hasPrefix("https://") || url.hasPrefix("http://"), "must be an http:// or https:// URL")
            configuration.upstreamURL = url
        }
        configuration.tokenFile = try reader.string("upstream.token_file") ?? configuration.tokenFile
        if let value = try reader.bool("upstream.rate_limits") { configuration.upstreamRateLimits = value }
        if let value = try reader.int("upstream.max_connections", in: 1...1024) { configuration.upstreamMaxConnections = value }
        if let value = try reader.string("state_directory") { configuration.stateDirectory = value }
        if let level = try reader.string("log.level") {
            let levels = ["trace", "debug", "info", "notice", "warning", "error", "critical"]
            try reader.check("log.level", levels.contains(level), "must be one of \(levels.joined(separator: ", "))")
            configuration.logLevel = level
        }
        if let format = try reader.string("log.format") {
            guard let value = DaemonConfiguration.LogFormat(rawValue: format) else {
                throw reader.error("log.format", "must be text or json")
            }
            configuration.logFormat = value
        }
        if let listen = try reader.string("metrics.listen") {
            try reader.check("metrics.listen", HostPort(listen) != nil, "must be host:port, e.g. 127.0.0.1:9464")
            configuration.metricsListen = listen
        }
        if let value = try reader.int("simulator.transition_delay_ms", in: 0...60_000) {
            configuration.simulatorTransitionDelay = .milliseconds(value)
        }
        if let value = try reader.bool("simulator.rate_limits") { configuration.simulatorRateLimits = value }
        if let value = try reader.bool("coalescing.enabled") { configuration.coalescingEnabled = value }
        if let value = try reader.int("cache.max_entries", in: 0...10_000_000) { configuration.cacheMaxEntries = value }
        if let value = try reader.int("cache.max_bytes", in: 0...(1 << 40)) {
            try reader.check("cache.max_bytes", value == 0 || value >= 4096, "must be 0 (no cache) or at least 4096")
            configuration.cacheMaxBytes = value
        }
        configuration.rules = try reader.rules("policy.rules")
        if let value = try reader.bool("audit.enabled") { configuration.auditEnabled = value }
        if let path = try reader.string("audit.path") {
            try reader.check("audit.path", !path.hasSuffix("/"), "must name a file, not a directory")
            configuration.auditPath = path
        }
        if let value = try reader.int("audit.max_bytes", in: 4096...(1 << 40)) { configuration.auditMaxBytes = value }
        if let value = try reader.int("audit.max_files", in: 0...100_000) { configuration.auditMaxFiles = value }
        if let value = try reader.int("watch.poll_interval_seconds", in: 1...3600) { configuration.watchPollInterval = .seconds(value) }
        if let value = try reader.int("watch.max_per_uid", in: 1...1_000_000) { configuration.watchMaxPerUID = value }
        return configuration
    }
}

/// `host:port`, split.
package struct HostPort: Sendable, Equatable {
    package var host: String
    package var port: Int

    package init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (0...65535).contains(port)
        else { return nil }
        let host = String(text[..<colon]).trimmingCharacters(in: ["[", "]"])
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }
}

extension String {
    fileprivate func trimmingCharacters(in set: Set<Character>) -> String {
        String(drop(while: set.contains).reversed().drop(while: set.contains).reversed())
    }
}
