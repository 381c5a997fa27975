import FlyGateJSON

extension StoreState {
    /// `Apps_list`: the organisation's apps, oldest first (`app_role` matches none: simulated apps have no role).
    package func listApps(org: String, role: String?) -> JSONValue {
        let selected = role == nil ? appOrder.compactMap { apps[$0] }.filter { $0.orgSlug == org } : []
        return ["apps": .array(selected.map(appJSON)), "total_apps": .int(selected.count)]
    }

    /// `Apps_show`.
    package func showApp(_ name: String) throws(SimulatorError) -> JSONValue {
        appJSON(try app(name))
    }

    /// `Apps_create`: a new app in `org_slug`; 422 `name_taken` when the name is in use anywhere.
    package mutating func createApp(body: JSONValue, now: WallClock) throws(SimulatorError) -> JSONValue {
        guard let name = try Self.optionalString(body, "name") else { throw .invalidArgument("name is required") }
        guard Self.isValidAppName(name) else {
            throw .invalidArgument("invalid app name \(name): use 2 to 63 lower-case letters, digits and dashes")
        }
        guard let org = try Self.optionalString(body, "org_slug") else { throw .invalidArgument("org_slug is required") }
        let network = try Self.optionalString(body, "network") ?? "default"
        _ = try Self.optionalBool(body, "enable_subdomains")
        if apps[name] != nil {
            throw SimulatorError(status: 422, body: ["error": "Validation failed: Name has already been taken", "status": "name_taken"])
        }
        register(name, org: org, network: network, now: now)
        return try showApp(name)
    }

    /// `Apps_delete`: removes the app with its machines (waits on them end as for a destroyed
    /// machine), volumes, secrets, secret keys, certificates and IP addresses.
    package mutating func deleteApp(_ name: String) throws(SimulatorError) -> StoreEffects {
        let record = try app(name)
        var effects = StoreEffects()
        let gone = Set(record.machineIDs)
        for id in gone { machines[id] = nil }
        for (waiterID, waiter) in waiters where gone.contains(waiter.machineID) {
            effects.resumptions.append((waiter.continuation, .gone))
            waiters[waiterID] = nil
        }
        apps[name] = nil
        appOrder.removeAll { $0 == name }
        deletedApps.insert(name)
        return effects
    }

    /// `App_IPAssignments_list`.
    package func listIPAssignments(app: String) throws(SimulatorError) -> JSONValue {
        ["ips": .array(try self.app(app).ipAssignments.map(\.json))]
    }

    /// `App_IPAssignments_create`: a new address of `type` (default `v6`); one shared IPv4 per app.
    package mutating func assignIP(app: String, body: JSONValue, now: WallClock) throws(SimulatorError) -> JSONValue {
        let typeName = try Self.optionalString(body, "type") ?? "v6"
        guard let kind = IPAssignmentRecord.Kind(rawValue: typeName) else {
            let known = IPAssignmentRecord.Kind.allCases.map(\.rawValue).joined(separator: ", ")
            throw .invalidArgument("invalid type \(typeName): the simulator allocates \(known)")
        }
        let region = try Self.optionalString(body, "region") ?? "global"
        if region != "global", PlatformRegions.find(region) == nil { throw .invalidArgument("invalid region: \(region)") }
        let serviceName = try Self.optionalString(body, "service_name") ?? ""
        _ = try Self.optionalString(body, "network")
        if let org = try Self.optionalString(body, "org_slug"), org != apps[app]?.orgSlug {
            throw .invalidArgument("org_slug \(org) is not the app's organisation")
        }
        let address = nextAddress
        let segment = orgSegment
        let assignment = try withApp(app) { record throws(SimulatorError) -> IPAssignmentRecord in
            if kind == .sharedV4, record.ipAssignments.contains(where: { $0.kind == .sharedV4 }) {
                throw .fly(422, "app \(app) already has a shared IPv4 address")
            }
            let ip: String
            switch kind {
            case .sharedV4:
                // Shared with other apps, like Fly's anycast pool: the same address for every app of a slot.
                ip = "66.241.125.\(1 + record.numericID % 254)"
            case .v4:
                ip = "137.66.\(address / 254 % 256).\(1 + address % 254)"
            case .v6:
                ip = "2a09:8280:1::\(String(address / 65536 + 1, radix: 16)):\(String(address % 65536, radix: 16))"
            case .privateV6:
                ip = "fdaa:0:\(segment):0:1::\(String(address % 65536 + 2, radix: 16))"
            }
            let assignment = IPAssignmentRecord(ip: ip, kind: kind, region: region, serviceName: serviceName, createdAt: now)
            record.ipAssignments.append(assignment)
            return assignment
        }
        if kind != .sharedV4 { nextAddress += 1 }
        return assignment.json
    }

    /// `App_IPAssignments_delete`: releases the address; 404 when the app does not hold it.
    package mutating func releaseIP(app: String, ip: String) throws(SimulatorError) {
        try withApp(app) { record throws(SimulatorError) in
            guard let index = record.ipAssignments.firstIndex(where: { $0.ip.lowercased() == ip.lowercased() }) else {
                throw .notFound("ip assignment", ip)
            }
            record.ipAssignments.remove(at: index)
        }
    }

    /// The `App` object with its live counts and organisation.
    private func appJSON(_ record: SimulatedApp) -> JSONValue {
        let live = record.machineIDs.compactMap { machines[$0] }.filter { $0.state != .destroyed }
        let organization: JSONValue = [
            "internal_numeric_id": .int(organizations[record.orgSlug] ?? 0), "name": .string(record.orgSlug),
            "slug": .string(record.orgSlug),
        ]
        return record.json(organization: organization, machineCount: live.count, deployed: !live.isEmpty)
    }

    /// App names: 2 to 63 lower-case letters, digits and dashes, not starting or ending with a dash.
    private static func isValidAppName(_ name: String) -> Bool {
        (2...63).contains(name.utf8.count) && name.first != "-" && name.last != "-"
            && name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 45 }
    }
}
