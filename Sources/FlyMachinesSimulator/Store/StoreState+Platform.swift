import FlyGateJSON

extension StoreState {
    /// How many machines of the size a placement asks about one organisation may run per region.
    package static let machinesPerRegion = 64

    /// `Platform_regions_get`.
    package static func regions() -> JSONValue {
        ["nearest": .string(PlatformRegions.nearest), "regions": .array(PlatformRegions.all.map(\.json))]
    }

    /// `Platform_placements_post`: where `count` machines of the organisation could go, following the
    /// region expression. Each region has room for `machinesPerRegion` performance-1x machines less
    /// the organisation's live machines there (a bigger `compute` takes more room); with
    /// `volume_name`, only regions holding unattached volumes of that name (and big enough) count,
    /// one machine per volume. `count` 0 answers each region's room. Machines fill the regions in
    /// order, or spread one at a time when `weights.spread` outweighs `weights.region`.
    package func placements(body: JSONValue) throws(SimulatorError) -> JSONValue {
        guard let org = try Self.optionalString(body, "org_slug") else { throw .invalidArgument("org_slug is required") }
        let count = try Self.placementInteger(body["count"], name: "count", range: 0...10_000) ?? 0
        let slots = try Self.placementSlots(body["compute"])
        let regions = try PlatformRegions.expand(try Self.optionalString(body, "region") ?? "")
        var weights: [String: Int64] = [:]
        if let value = body["weights"], !value.isNull {
            guard let members = value.objectValue?.members else { throw .invalidArgument("weights must be an object of integers") }
            for (name, weight) in members {
                guard let number = weight.int64Value else { throw .invalidArgument("weights.\(name) must be an integer") }
                weights[name] = number
            }
        }
        let volumeName = try Self.optionalString(body, "volume_name")
        let volumeBytes = try Self.placementInteger(body["volume_size_bytes"], name: "volume_size_bytes", range: 0...Int64.max) ?? 0
        let orgApps = apps.values.filter { $0.orgSlug == org }
        let running = orgApps.flatMap(\.machineIDs).compactMap { machines[$0] }.filter { $0.state != .destroyed }
        var room: [(region: String, count: Int)] = regions.map { region -> (region: String, count: Int) in
            let used = running.count { $0.region == region.code }
            var available = max(0, Self.machinesPerRegion - used) / slots
            if let volumeName {
                available = min(
                    available,
                    orgApps.flatMap(\.volumes).count { volume in
                        volume.isLive && volume.attachedMachineID == nil && volume.name == volumeName
                            && volume.region == region.code && volume.totalBytes >= volumeBytes
                    })
            }
            return (region.code, available)
        }.filter { $0.count > 0 }
        if count > 0 {
            var placed = Array(repeating: 0, count: room.count)
            var remaining = Int(count)
            if (weights["spread"] ?? 0) > (weights["region"] ?? 1) {
                while remaining > 0, placed.indices.contains(where: { placed[$0] < room[$0].count }) {
                    for index in placed.indices where remaining > 0 && placed[index] < room[index].count {
                        placed[index] += 1
                        remaining -= 1
                    }
                }
            } else {
                for index in placed.indices where remaining > 0 {
                    placed[index] = min(remaining, room[index].count)
                    remaining -= placed[index]
                }
            }
            room = zip(room, placed).map { ($0.0.region, $0.1) }.filter { $0.count > 0 }
        }
        return [
            "regions": .array(room.map { region, count in
                ["region": .string(region), "count": .int(count), "concurrency": .int(min(count, 8))]
            })
        ]
    }

    /// Room one machine of `compute` takes, in performance-1x machines (2048 MB each).
    private static func placementSlots(_ compute: JSONValue?) throws(SimulatorError) -> Int {
        guard let compute, !compute.isNull else { return 1 }
        guard compute.objectValue != nil else { throw .invalidArgument("compute must be an object") }
        let cpus = try placementInteger(compute["cpus"], name: "compute.cpus", range: 1...128) ?? 1
        let memory = try placementInteger(compute["memory_mb"], name: "compute.memory_mb", range: 128...1_048_576) ?? 2048
        return Int(max(1, cpus, (memory + 2047) / 2048))
    }

    private static func placementInteger(_ value: JSONValue?, name: String, range: ClosedRange<Int64>)
        throws(SimulatorError) -> Int64?
    {
        guard let value, !value.isNull else { return nil }
        guard let number = value.int64Value, range.contains(number) else {
            throw .invalidArgument("\(name) must be an integer in \(range.lowerBound)...\(range.upperBound)")
        }
        return number
    }
}
