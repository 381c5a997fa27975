import FlyGateJSON

/// One IP address assigned to an app.
package struct IPAssignmentRecord: Sendable {
    /// What kind of address to allocate (`assignIPRequest.type`, FLYGO's `IPAssignmentType`).
    package enum Kind: String, Sendable, CaseIterable {
        /// A dedicated public IPv4 address.
        case v4
        /// A dedicated public IPv6 address.
        case v6
        /// The anycast IPv4 address shared with other apps.
        case sharedV4 = "shared_v4"
        /// A Flycast address on the organisation's private network.
        case privateV6 = "private_v6"
    }

    /// The address as Fly writes it.
    package var ip: String
    /// What kind it is.
    package var kind: Kind
    /// `global` for anycast addresses, else the requested region.
    package var region: String
    /// The service it routes to, if one was named.
    package var serviceName: String
    /// When it was allocated.
    package var createdAt: WallClock

    /// The `IPAssignment` object.
    package var json: JSONValue {
        var object = JSONObject()
        object.append("ip", .string(ip))
        object.append("region", .string(region))
        object.append("service_name", .string(serviceName))
        object.append("shared", .bool(kind == .sharedV4))
        object.append("created_at", .string(createdAt.rfc3339))
        return .object(object)
    }
}
