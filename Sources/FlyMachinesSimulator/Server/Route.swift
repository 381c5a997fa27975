/// A request matched to an operation, with its path parameters.
package struct Route: Sendable, Equatable {
    /// The operation.
    package var operation: SimulatorOperation
    /// `{app_name}`, or `{org_slug}` for the organisation listing.
    package var app: String
    /// `{machine_id}`, empty for app- and org-level operations.
    package var machineID: String = ""
    /// `{key}` for the per-key metadata operations.
    package var key: String = ""

    /// Matches `method` and the path segments (starting with `v1`); nil when no operation fits.
    package static func match(method: String, segments: [String]) -> Route? {
        guard segments.count >= 4, segments[0] == "v1", segments[3] == "machines", !segments[2].isEmpty else {
            return nil
        }
        let owner = segments[2]
        if segments[1] == "orgs" {
            return segments.count == 4 && method == "GET" ? Route(operation: .orgList, app: owner) : nil
        }
        guard segments[1] == "apps" else { return nil }
        let rest = Array(segments.dropFirst(4))
        func route(_ operation: SimulatorOperation, key: String = "") -> Route {
            Route(operation: operation, app: owner, machineID: rest.first ?? "", key: key)
        }
        switch (method, rest.count) {
        case ("GET", 0): return route(.list)
        case ("POST", 0): return route(.create)
        case ("GET", 1): return route(.show)
        case ("POST", 1): return route(.update)
        case ("DELETE", 1): return route(.delete)
        default: break
        }
        guard rest.count >= 2, !rest[0].isEmpty else { return nil }
        switch (method, rest[1], rest.count) {
        case ("POST", "cordon", 2): return route(.cordon)
        case ("POST", "uncordon", 2): return route(.uncordon)
        case ("POST", "start", 2): return route(.start)
        case ("POST", "stop", 2): return route(.stop)
        case ("POST", "suspend", 2): return route(.suspend)
        case ("POST", "restart", 2): return route(.restart)
        case ("POST", "signal", 2): return route(.signal)
        case ("GET", "events", 2): return route(.listEvents)
        case ("POST", "exec", 2): return route(.exec)
        case ("GET", "lease", 2): return route(.showLease)
        case ("POST", "lease", 2): return route(.createLease)
        case ("DELETE", "lease", 2): return route(.releaseLease)
        case ("GET", "memory", 2): return route(.getMemory)
        case ("PUT", "memory", 2): return route(.setMemoryLimit)
        case ("POST", "memory", 3) where rest[2] == "reclaim": return route(.reclaimMemory)
        case ("GET", "metadata", 2): return route(.showMetadata)
        case ("PUT", "metadata", 2), ("PATCH", "metadata", 2): return route(.updateMetadata)
        case ("GET", "metadata", 3): return route(.getMetadataKey, key: rest[2])
        case ("POST", "metadata", 3): return route(.upsertMetadata, key: rest[2])
        case ("DELETE", "metadata", 3): return route(.deleteMetadata, key: rest[2])
        case ("GET", "ps", 2): return route(.listProcesses)
        case ("GET", "versions", 2): return route(.listVersions)
        case ("GET", "wait", 2): return route(.wait)
        default: return nil
        }
    }
}
