/// A request matched to an operation, with its path parameters.
package struct Route: Sendable, Equatable {
    /// The operation.
    package var operation: SimulatorOperation
    /// `{app_name}`, or `{org_slug}` for the organisation listings; empty for the app list and the
    /// platform operations.
    package var app: String
    /// `{machine_id}`, empty for the operations that name no machine.
    package var machineID: String = ""
    /// `{key}` for the per-key metadata operations.
    package var key: String = ""
    /// The other resource the path names: `{volume_id}`, `{secret_name}`, `{hostname}` or `{ip}`.
    package var resource: String = ""

    /// The identifier Fly's rate limits count per: the machine, else the app; app deletions count
    /// for the whole organisation.
    package var rateLimitScope: String {
        if operation == .deleteApp { return "" }
        return machineID.isEmpty ? app : machineID
    }

    /// Matches `method` and the path segments (starting with `v1`); nil when no operation fits.
    package static func match(method: String, segments: [String]) -> Route? {
        guard segments.count >= 2, segments[0] == "v1", !segments.contains(where: \.isEmpty) else { return nil }
        let rest = Array(segments.dropFirst(2))
        switch segments[1] {
        case "apps": return matchApps(method, rest)
        case "orgs": return matchOrgs(method, rest)
        case "platform": return matchPlatform(method, rest)
        default: return nil
        }
    }

    /// `/v1/orgs/{org_slug}/machines` and `/v1/orgs/{org_slug}/volumes`.
    private static func matchOrgs(_ method: String, _ rest: [String]) -> Route? {
        guard rest.count == 2, method == "GET" else { return nil }
        switch rest[1] {
        case "machines": return Route(operation: .orgList, app: rest[0])
        case "volumes": return Route(operation: .orgListVolumes, app: rest[0])
        default: return nil
        }
    }

    /// `/v1/platform/regions` and `/v1/platform/placements`.
    private static func matchPlatform(_ method: String, _ rest: [String]) -> Route? {
        switch (method, rest) {
        case ("GET", ["regions"]): Route(operation: .listRegions, app: "")
        case ("POST", ["placements"]): Route(operation: .getPlacements, app: "")
        default: nil
        }
    }

    /// Everything under `/v1/apps`. `deploy_token` is deliberately absent: it mints credentials.
    private static func matchApps(_ method: String, _ rest: [String]) -> Route? {
        guard let app = rest.first else {
            switch method {
            case "GET": return Route(operation: .listApps, app: "")
            case "POST": return Route(operation: .createApp, app: "")
            default: return nil
            }
        }
        guard rest.count >= 2 else {
            switch method {
            case "GET": return Route(operation: .showApp, app: app)
            case "DELETE": return Route(operation: .deleteApp, app: app)
            default: return nil
            }
        }
        let tail = Array(rest.dropFirst(2))
        func route(_ operation: SimulatorOperation, _ resource: String = "") -> Route {
            Route(operation: operation, app: app, resource: resource)
        }
        switch rest[1] {
        case "machines":
            return matchMachines(method, app: app, tail)
        case "ip_assignments":
            switch (method, tail.count) {
            case ("GET", 0): return route(.listIPAssignments)
            case ("POST", 0): return route(.createIPAssignment)
            case ("DELETE", 1): return route(.deleteIPAssignment, tail[0])
            default: return nil
            }
        case "certificates":
            return matchCertificates(method, app: app, tail)
        case "secrets":
            switch (method, tail.count) {
            case ("GET", 0): return route(.listSecrets)
            case ("POST", 0): return route(.updateSecrets)
            case ("GET", 1): return route(.showSecret, tail[0])
            case ("POST", 1): return route(.setSecret, tail[0])
            case ("DELETE", 1): return route(.deleteSecret, tail[0])
            default: return nil
            }
        case "secretkeys":
            return matchSecretKeys(method, app: app, tail)
        case "volumes":
            switch (method, tail.count) {
            case ("GET", 0): return route(.listVolumes)
            case ("POST", 0): return route(.createVolume)
            case ("GET", 1): return route(.showVolume, tail[0])
            case ("PUT", 1): return route(.updateVolume, tail[0])
            case ("DELETE", 1): return route(.deleteVolume, tail[0])
            case ("PUT", 2) where tail[1] == "extend": return route(.extendVolume, tail[0])
            case ("GET", 2) where tail[1] == "snapshots": return route(.listVolumeSnapshots, tail[0])
            case ("POST", 2) where tail[1] == "snapshots": return route(.createVolumeSnapshot, tail[0])
            default: return nil
            }
        default:
            return nil
        }
    }

    /// `/v1/apps/{a}/certificates…`; `acme` and `custom` directly below are the create paths.
    private static func matchCertificates(_ method: String, app: String, _ tail: [String]) -> Route? {
        func route(_ operation: SimulatorOperation, _ hostname: String = "") -> Route {
            Route(operation: operation, app: app, resource: hostname)
        }
        switch (method, tail.count) {
        case ("GET", 0): return route(.listCertificates)
        case ("POST", 1) where tail[0] == "acme": return route(.createACMECertificate)
        case ("POST", 1) where tail[0] == "custom": return route(.createCustomCertificate)
        case ("GET", 1): return route(.showCertificate, tail[0])
        case ("DELETE", 1): return route(.deleteCertificate, tail[0])
        case ("DELETE", 2) where tail[1] == "acme": return route(.deleteACMECertificate, tail[0])
        case ("DELETE", 2) where tail[1] == "custom": return route(.deleteCustomCertificate, tail[0])
        case ("POST", 2) where tail[1] == "check": return route(.checkCertificate, tail[0])
        default: return nil
        }
    }

    /// `/v1/apps/{a}/secretkeys…`.
    private static func matchSecretKeys(_ method: String, app: String, _ tail: [String]) -> Route? {
        func route(_ operation: SimulatorOperation, _ name: String = "") -> Route {
            Route(operation: operation, app: app, resource: name)
        }
        switch (method, tail.count) {
        case ("GET", 0): return route(.listSecretKeys)
        case ("GET", 1): return route(.showSecretKey, tail[0])
        case ("POST", 1): return route(.setSecretKey, tail[0])
        case ("DELETE", 1): return route(.deleteSecretKey, tail[0])
        case ("POST", 2):
            switch tail[1] {
            case "decrypt": return route(.decryptWithSecretKey, tail[0])
            case "encrypt": return route(.encryptWithSecretKey, tail[0])
            case "generate": return route(.generateSecretKey, tail[0])
            case "sign": return route(.signWithSecretKey, tail[0])
            case "verify": return route(.verifyWithSecretKey, tail[0])
            default: return nil
            }
        default: return nil
        }
    }

    /// `/v1/apps/{a}/machines…`.
    private static func matchMachines(_ method: String, app: String, _ rest: [String]) -> Route? {
        func route(_ operation: SimulatorOperation, key: String = "") -> Route {
            Route(operation: operation, app: app, machineID: rest.first ?? "", key: key)
        }
        switch (method, rest.count) {
        case ("GET", 0): return route(.list)
        case ("POST", 0): return route(.create)
        case ("GET", 1): return route(.show)
        case ("POST", 1): return route(.update)
        case ("DELETE", 1): return route(.delete)
        default: break
        }
        guard rest.count >= 2 else { return nil }
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
