import FlyGateJSON

/// Everything the simulator knows about one app: its organisation and the resources it owns.
/// Machines live in `StoreState.machines` (by id); the app keeps their ids.
package struct SimulatedApp: Sendable {
    /// The app name, unique across the simulator (Fly's names are global).
    package var name: String
    /// `internal_numeric_id`.
    package var numericID: Int
    /// The organisation slug; `personal` for apps registered by a machine operation.
    package var orgSlug: String
    /// The 6PN network name.
    package var network: String
    /// When it was created or first used.
    package var createdAt: WallClock
    /// Its machines' ids, in creation order.
    package var machineIDs: [String] = []
    /// Its volumes, in creation order, destroyed ones included.
    package var volumes: [SimulatedVolume] = []
    /// Its secrets (names and digests only: values are never kept).
    package var secrets: [AppSecretRecord] = []
    /// Its secret keys.
    package var secretKeys: [SecretKeyRecord] = []
    /// The secrets version, shared by secrets and secret keys; every change bumps it.
    package var secretsVersion = 0
    /// Its TLS certificates by hostname, in creation order.
    package var certificates: [CertificateRecord] = []
    /// Its IP addresses, in allocation order.
    package var ipAssignments: [IPAssignmentRecord] = []

    /// The `App` object; `machineCount` and `volumeCount` count live ones.
    package func json(organization: JSONValue, machineCount: Int, deployed: Bool) -> JSONValue {
        var object = JSONObject()
        object.append("id", .string(name))
        object.append("name", .string(name))
        object.append("internal_numeric_id", .int(numericID))
        object.append("network", .string(network))
        object.append("organization", organization)
        object.append("status", .string(deployed ? "deployed" : "pending"))
        object.append("machine_count", .int(machineCount))
        object.append("volume_count", .int(volumes.count { $0.isLive }))
        return .object(object)
    }

    /// The index of the live volume `id`.
    package func volumeIndex(_ id: String) -> Int? {
        volumes.firstIndex { $0.id == id && $0.isLive }
    }
}
