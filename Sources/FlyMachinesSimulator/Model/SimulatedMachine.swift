import FlyGateJSON

/// Everything the simulator knows about one machine.
package struct SimulatedMachine: Sendable {
    /// One stored version of the machine's config (`MachineVersion`).
    package struct Version: Sendable {
        /// The version ULID (`instance_id` while it is current).
        package var version: String
        /// The config as the user gave it.
        package var config: JSONValue
    }

    /// A state the machine will reach after the transition delay, with the event that records it.
    package struct Step: Sendable {
        /// The state to enter.
        package var state: MachineState
        /// The event type to log.
        package var eventType: String
        /// The event source to log.
        package var source: String = "flyd"
        /// Details for the event.
        package var request: JSONValue? = nil
    }

    /// 14 hex digits.
    package var id: String
    /// The user's or a generated name.
    package var name: String
    /// The app the machine belongs to.
    package var appName: String
    /// The region code, `iad` unless the request named one.
    package var region: String
    /// The 6PN address.
    package var privateIP: String
    /// The current version ULID.
    package var instanceID: String
    /// The current state.
    package var state: MachineState
    /// The config as the user gave it (unknown members kept), with `autostop` written as Fly answers it.
    package var config: JSONValue
    /// When the machine was created.
    package var createdAt: WallClock
    /// When anything about it last changed.
    package var updatedAt: WallClock
    /// Versions, oldest first; the last is current.
    package var versions: [Version]
    /// Events, oldest first.
    package var events: [MachineEventRecord] = []
    /// The lease, if one was taken (it may have lapsed).
    package var lease: LeaseRecord?
    /// Whether the proxy should send it traffic.
    package var cordoned = false
    /// The memory limit set through the memory API.
    package var memoryLimitMB: Int
    /// Memory given back by reclaim since the last start.
    package var reclaimedMB = 0
    /// Bumped on each new transition, so a stale timer does nothing.
    package var generation = 0
    /// States still to come in the current transition.
    package var pendingSteps: [Step] = []

    /// The guest's configured memory, 256 MB when the config names none.
    package var configuredMemoryMB: Int {
        Int(config["guest"]?["memory_mb"]?.int64Value ?? 256)
    }

    /// The config's `metadata` map as strings.
    package var metadata: [(key: String, value: String)] {
        (config["metadata"]?.objectValue?.members ?? []).compactMap { member in
            member.value.stringValue.map { (member.key, $0) }
        }
    }

    /// Replaces the config's `metadata` member.
    package mutating func setMetadata(_ entries: [(key: String, value: String)]) {
        guard var object = config.objectValue else { return }
        object["metadata"] = .object(JSONObject(entries.map { (key: $0.key, value: JSONValue.string($0.value)) }))
        config = .object(object)
    }

    /// The `Machine` JSON object; `summary` drops config, checks, events and host status like Fly's list.
    package func json(summary: Bool = false, nonce: String? = nil) -> JSONValue {
        var object = JSONObject()
        object.append("id", .string(id))
        object.append("name", .string(name))
        object.append("state", .string(state.rawValue))
        object.append("region", .string(region))
        object.append("image_ref", ImageReference(parsing: config["image"]?.stringValue ?? "").json)
        object.append("instance_id", .string(instanceID))
        object.append("private_ip", .string(privateIP))
        object.append("created_at", .string(createdAt.rfc3339))
        object.append("updated_at", .string(updatedAt.rfc3339))
        if !summary {
            object.append("config", config)
            object.append("events", .array(events.reversed().prefix(10).map(\.json)))
            object.append("checks", .array(checkStatuses))
            object.append("host_status", "ok")
        }
        if cordoned { object.append("cordoned", true) }
        if let nonce { object.append("nonce", .string(nonce)) }
        return .object(object)
    }

    /// The `OrgMachine` JSON object.
    package func orgJSON(summary: Bool) -> JSONValue {
        var object = JSONObject()
        object.append("id", .string(id))
        object.append("name", .string(name))
        object.append("app_name", .string(appName))
        object.append("state", .string(state.rawValue))
        object.append("region", .string(region))
        object.append("private_ip", .string(privateIP))
        object.append("created_at", .string(createdAt.rfc3339))
        object.append("updated_at", .string(updatedAt.rfc3339))
        object.append("version", .string(instanceID))
        object.append("instance_id", .string(instanceID))
        if !summary {
            var overview = JSONObject()
            for key in ["image", "guest", "metadata"] {
                if let value = config[key] { overview.append(key, value) }
            }
            object.append("config", .object(overview))
        }
        return .object(object)
    }

    /// One passing `CheckStatus` per configured top-level check while the machine is started.
    private var checkStatuses: [JSONValue] {
        guard state == .started, let checks = config["checks"]?.objectValue else { return [] }
        return checks.keys.map { name in
            ["name": .string(name), "status": "passing", "output": "Success", "updated_at": .string(updatedAt.rfc3339)]
        }
    }

    /// Writes `autostop` the way Fly answers it: `"off"` as false and `"stop"` as true, at any service.
    package static func normalizedConfig(_ config: JSONValue) -> JSONValue {
        guard var object = config.objectValue, let services = object["services"]?.arrayValue else { return config }
        object["services"] = .array(
            services.map { service in
                guard var serviceObject = service.objectValue else { return service }
                switch serviceObject["autostop"]?.stringValue {
                case "off": serviceObject["autostop"] = false
                case "stop": serviceObject["autostop"] = true
                default: break
                }
                return .object(serviceObject)
            })
        return .object(object)
    }
}
