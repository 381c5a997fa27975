import FlyGateJSON

extension DaemonConfiguration {
    /// The effective configuration as the config file would write it, for `--print-config`.
    ///
    /// - Parameter token: what to say about the token; never the token itself.
    package func effectiveJSON(token: String) -> JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map { .string($0) } ?? .null }
        let rules: [JSONValue] = rules.map { rule in
            var object = JSONObject()
            object.append("name", .string(rule.name))
            object.append("uids", .array(rule.uids.sorted().map { .int($0) }))
            object.append("gids", .array(rule.gids.sorted().map { .int($0) }))
            object.append("classes", .array(rule.classes.map(\.rawValue).sorted().map { .string($0) }))
            object.append("apps", rule.apps.map { .array($0.sorted().map { .string($0) }) } ?? .null)
            return .object(object)
        }
        return [
            "socket": [
                "path": .string(socketPath),
                "grpc_path": optional(grpcSocketPath),
                "group": optional(socketGroup),
                "max_frame_bytes": .int(maxFrameBytes),
                "max_connections": .int(maxConnections),
                "max_in_flight_per_connection": .int(maxInFlightPerConnection),
                "max_metadata_entries": .int(maxMetadataEntries),
                "max_connections_per_uid": .int(maxConnectionsPerUID),
                "first_frame_timeout_seconds": .int(firstFrameTimeout?.components.seconds ?? 0),
                "idle_timeout_seconds": .int(idleTimeout?.components.seconds ?? 0),
                "max_buffered_bytes": .int(maxBufferedBytes),
            ],
            "shutdown_grace_seconds": .int(shutdownGrace.components.seconds),
            "event_loop_threads": .int(eventLoopThreads),
            "upstream": [
                "url": optional(upstreamURL),
                "token": .string(token),
                "token_file": optional(tokenFile),
                "rate_limits": .bool(upstreamRateLimits),
                "max_connections": .int(upstreamMaxConnections),
            ],
            "state_directory": .string(stateDirectory),
            "log": ["level": .string(logLevel), "format": .string(logFormat.rawValue)],
            "metrics": ["listen": optional(metricsListen)],
            "policy": ["rules": .array(rules)],
            "simulator": [
                "transition_delay_ms": .int(simulatorTransitionDelay.components.seconds * 1000
                    + simulatorTransitionDelay.components.attoseconds / 1_000_000_000_000_000),
                "rate_limits": .bool(simulatorRateLimits),
            ],
            "coalescing": ["enabled": .bool(coalescingEnabled)],
            "cache": ["max_entries": .int(cacheMaxEntries), "max_bytes": .int(cacheMaxBytes)],
            "audit": ["enabled": .bool(auditEnabled), "path": .string(auditLogPath), "max_bytes": .int(auditMaxBytes), "max_files": .int(auditMaxFiles)],
            "watch": ["poll_interval_seconds": .int(watchPollInterval.components.seconds), "max_per_uid": .int(watchMaxPerUID)],
        ]
    }
}

extension JSONValue {
    /// Indented JSON text for people.
    package var prettyPrinted: String {
        var out = ""
        prettyPrint(into: &out, indent: "")
        return out
    }

    private func prettyPrint(into out: inout String, indent: String) {
        let inner = indent + "  "
        switch self {
        case .array(let items) where !items.isEmpty:
            out += "[\n"
            for (index, item) in items.enumerated() {
                out += inner
                item.prettyPrint(into: &out, indent: inner)
                out += index < items.count - 1 ? ",\n" : "\n"
            }
            out += indent + "]"
        case .object(let object) where !object.isEmpty:
            out += "{\n"
            for (index, member) in object.members.enumerated() {
                out += inner + JSONValue.string(member.key).serialized + ": "
                member.value.prettyPrint(into: &out, indent: inner)
                out += index < object.count - 1 ? ",\n" : "\n"
            }
            out += indent + "}"
        default:
            out += serialized
        }
    }
}
