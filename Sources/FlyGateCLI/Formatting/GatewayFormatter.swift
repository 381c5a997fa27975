import FlyMachinesProto

/// The daemon's own answers (health, counters, lease book) as text for people.
package enum GatewayFormatter {
    /// status, version, upstream, simulator, uptime, pid, then the connection counters.
    package static func health(_ health: Flygate_Gateway_V1_HealthResponse, stats: Flygate_Gateway_V1_StatsResponse) -> String {
        var fields = FieldList()
        fields.append("status", health.status)
        fields.append("version", health.version)
        fields.append("upstream", health.upstream + (health.simulator ? " (simulator)" : ""))
        fields.append("simulator", health.simulator ? "yes" : "no")
        fields.append("uptime", TimeFormat.duration(seconds: health.uptimeSeconds))
        fields.append("pid", String(health.pid))
        fields.append("connections", "\(stats.connectionsOpen) open, \(stats.connectionsTotal) since start")
        fields.append("in flight", String(stats.callsInFlight))
        fields.append("watches", "\(stats.watchesOpen) open, \(stats.watchLoops) upstream loops")
        return fields.render()
    }

    /// One line per method: METHOD, CALLS (by code, OK first), UPSTREAM, RETRIES, JOINED, CACHE HITS.
    package static func stats(_ stats: Flygate_Gateway_V1_StatsResponse) -> String {
        var table = TableFormatter(headers: ["METHOD", "CALLS", "UPSTREAM", "RETRIES", "JOINED", "CACHE HITS"])
        for method in stats.methods.sorted(by: { $0.method < $1.method }) {
            let name = method.method.split(separator: "/").last.map(String.init) ?? method.method
            let calls = method.callsByCode.sorted { lhs, rhs in
                lhs.key == "OK" || (rhs.key != "OK" && lhs.key < rhs.key)
            }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
            table.append([
                name, calls, String(method.upstreamCalls), String(method.upstreamRetries), String(method.joinedCalls),
                String(method.cacheHits),
            ])
        }
        return table.render()
    }

    /// The lease book: APP, MACHINE, NONCE (prefix), EXPIRES (relative to `now`), HOLDER, RENEW, LAST ERROR.
    package static func leases(_ leases: [Flygate_Gateway_V1_LeaseEntry], now: Int64) -> String {
        var table = TableFormatter(headers: ["APP", "MACHINE", "NONCE", "EXPIRES", "HOLDER", "RENEW", "LAST ERROR"])
        for lease in leases {
            table.append([
                lease.appName, lease.machineID, lease.noncePrefix.isEmpty ? "" : lease.noncePrefix + "…",
                TimeFormat.relative(unixSeconds: lease.expiresAt, now: now),
                "uid \(lease.holderUid) pid \(lease.holderPid)", lease.renew ? "yes" : "no", lease.lastRefreshError,
            ])
        }
        return table.render()
    }
}
