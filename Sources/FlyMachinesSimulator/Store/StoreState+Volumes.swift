import FlyGateJSON

extension StoreState {
    /// The options of an organisation's volume listing (`Volumes_org_list`).
    package struct VolumeListOptions: Sendable {
        /// Include destroyed volumes.
        package var includeDeleted = false
        /// Only this region.
        package var region: String?
        /// Only these states.
        package var states: Set<String> = []
        /// Leave out the block counts.
        package var summary = false
        /// Only volumes updated after this time.
        package var updatedAfter: WallClock?
        /// Resume after this volume id (the previous page's `next_cursor`).
        package var cursor: String?
        /// Page size.
        package var limit = 1000

        /// Every live volume, one page of up to 1000.
        package init() {}
    }

    /// `Volumes_list`: the app's live volumes, oldest first.
    package func listVolumes(app: String, summary: Bool) throws(SimulatorError) -> JSONValue {
        let record = try self.app(app)
        return .array(record.volumes.filter(\.isLive).map { volumeJSON($0, summary: summary) })
    }

    /// `Volumes_get_by_id`.
    package func volume(app: String, id: String) throws(SimulatorError) -> JSONValue {
        let record = try self.app(app)
        guard let index = record.volumeIndex(id) else { throw .notFound("volume", id) }
        return volumeJSON(record.volumes[index], summary: false)
    }

    /// `Volumes_create`: a new volume, from nothing, a snapshot (`snapshot_id`) or another volume
    /// (`source_volume_id`).
    package mutating func createVolume(app: String, body: JSONValue, now: WallClock) throws(SimulatorError) -> JSONValue {
        var record = try self.app(app)
        var source: SimulatedVolume?
        if let id = try Self.optionalString(body, "source_volume_id") {
            guard let index = record.volumeIndex(id) else { throw .notFound("volume", id) }
            source = record.volumes[index]
        }
        var restoredGB: Int?
        if let id = try Self.optionalString(body, "snapshot_id") {
            let snapshots = apps.values.filter { $0.orgSlug == record.orgSlug }.flatMap(\.volumes).flatMap(\.snapshots)
            guard let snapshot = snapshots.first(where: { $0.id == id }) else { throw .notFound("snapshot", id) }
            restoredGB = Int(snapshot.volumeSizeBytes / SimulatedVolume.bytesPerGB)
        }
        guard let region = try Self.optionalString(body, "region") ?? source?.region else {
            throw .invalidArgument("region is required")
        }
        guard let known = PlatformRegions.find(region), !known.deprecated else {
            throw .invalidArgument("invalid region: \(region) is not a region volumes can be created in")
        }
        let name = try Self.optionalString(body, "name") ?? source?.name ?? "data"
        guard Self.isValidVolumeName(name) else {
            throw .invalidArgument("invalid volume name \(name): use up to 30 lower-case letters, digits and underscores")
        }
        let minimumGB = max(restoredGB ?? 1, source?.sizeGB ?? 1)
        var sizeGB = minimumGB
        if let value = body["size_gb"], !value.isNull {
            guard let requested = value.int64Value, let exact = Int(exactly: requested),
                (1...SimulatedVolume.maximumSizeGB).contains(exact)
            else { throw .invalidArgument("size_gb must be between 1 and \(SimulatedVolume.maximumSizeGB)") }
            guard exact >= minimumGB else { throw .invalidArgument("size_gb must be at least \(minimumGB), the source's size") }
            sizeGB = exact
        }
        let retention = try Self.snapshotRetention(body) ?? 5
        let sameName = record.volumes.filter { $0.isLive && $0.region == region && $0.name == name }.map(\.zone)
        let zones = Self.zones(of: region)
        let uniqueZone = try Self.optionalBool(body, "require_unique_zone") ?? true
        let zone = zones.first { !sameName.contains($0) } ?? zones[Int.random(in: 0..<zones.count)]
        if uniqueZone, sameName.contains(zone) {
            throw SimulatorError(
                status: 412, body: ["error": .string("insufficient_capacity: no free zone for another \(name) volume in \(region)"),
                                    "status": "insufficient_capacity"])
        }
        let volume = SimulatedVolume(
            id: Identifiers.volumeID(), name: name, appName: app, region: region, zone: zone, sizeGB: sizeGB,
            encrypted: try Self.optionalBool(body, "encrypted") ?? true,
            fstype: try Self.optionalString(body, "fstype") ?? "ext4", snapshotRetention: retention,
            autoBackupEnabled: try Self.optionalBool(body, "auto_backup_enabled") ?? true, state: "created",
            createdAt: now, updatedAt: now, usedBytes: source?.usedBytes ?? 1 << 20)
        record.volumes.append(volume)
        apps[app] = record
        return volumeJSON(volume, summary: false)
    }

    /// `Volumes_update`: `snapshot_retention` and `auto_backup_enabled`.
    package mutating func updateVolume(app: String, id: String, body: JSONValue, now: WallClock) throws(SimulatorError)
        -> JSONValue
    {
        let retention = try Self.snapshotRetention(body)
        let backups = try Self.optionalBool(body, "auto_backup_enabled")
        return try changeVolume(app: app, id: id, now: now) { volume throws(SimulatorError) in
            if let retention { volume.snapshotRetention = retention }
            if let backups { volume.autoBackupEnabled = backups }
        }
    }

    /// `Volumes_extend`: grows the volume to `size_gb`; shrinking (or staying put) is refused.
    package mutating func extendVolume(app: String, id: String, sizeGB: Int64, now: WallClock) throws(SimulatorError)
        -> JSONValue
    {
        let volume = try changeVolume(app: app, id: id, now: now) { volume throws(SimulatorError) in
            guard sizeGB > Int64(volume.sizeGB) else {
                throw .invalidArgument("size_gb must be greater than the volume's current size of \(volume.sizeGB) GB: volumes only grow")
            }
            guard sizeGB <= Int64(SimulatedVolume.maximumSizeGB) else {
                throw .invalidArgument("size_gb must be at most \(SimulatedVolume.maximumSizeGB)")
            }
            volume.sizeGB = Int(sizeGB)
        }
        // The file system grows online: no restart needed.
        return ["volume": volume, "needs_restart": false]
    }

    /// `Volume_delete`: refused while a machine has it mounted; answers the volume, now destroyed.
    package mutating func deleteVolume(app: String, id: String, now: WallClock) throws(SimulatorError) -> JSONValue {
        try changeVolume(app: app, id: id, now: now) { volume throws(SimulatorError) in
            if let machineID = volume.attachedMachineID {
                throw .failedPrecondition("volume \(volume.id) is attached to machine \(machineID); destroy the machine or remove the mount first")
            }
            volume.state = "destroyed"
        }
    }

    /// `Volumes_list_snapshots`: oldest first.
    package func volumeSnapshots(app: String, id: String) throws(SimulatorError) -> JSONValue {
        let record = try self.app(app)
        guard let index = record.volumeIndex(id) else { throw .notFound("volume", id) }
        return .array(record.volumes[index].snapshots.map(\.json))
    }

    /// `createVolumeSnapshot`: takes a snapshot of what the volume holds now.
    package mutating func snapshotVolume(app: String, id: String, now: WallClock) throws(SimulatorError) {
        _ = try changeVolume(app: app, id: id, now: now) { volume throws(SimulatorError) in
            let snapshot = SimulatedVolume.Snapshot(
                id: Identifiers.snapshotID(), createdAt: now, sizeBytes: volume.usedBytes, volumeSizeBytes: volume.totalBytes,
                digest: Identifiers.pseudoDigest(of: volume.id + "|" + String(now.milliseconds)),
                retentionDays: volume.snapshotRetention)
            volume.snapshots.append(snapshot)
        }
    }

    /// `Volumes_org_list`: the volumes of the organisation's apps, ordered by id, paged by cursor.
    package func orgVolumes(org: String, options: VolumeListOptions) -> JSONValue {
        var selected = apps.values.filter { $0.orgSlug == org }.flatMap(\.volumes).filter { volume in
            (options.includeDeleted || volume.isLive) && (options.region.map { volume.region == $0 } ?? true)
                && (options.states.isEmpty || options.states.contains(volume.state))
                && (options.updatedAfter.map { volume.updatedAt > $0 } ?? true)
        }
        if let cursor = options.cursor, !cursor.isEmpty { selected = selected.filter { $0.id > cursor } }
        selected.sort { $0.id < $1.id }
        let page = Array(selected.prefix(max(1, options.limit)))
        var object = JSONObject()
        object.append("volumes", .array(page.map { volumeJSON($0, summary: options.summary, org: true) }))
        if selected.count > page.count, let last = page.last { object.append("next_cursor", .string(last.id)) }
        if let last = page.last {
            object.append("last_volume_id", .string(last.id))
            object.append("last_updated_at", .string(last.updatedAt.rfc3339))
        }
        return .object(object)
    }

    /// The volume a machine config mounts (`mounts[].volume`), if any; 400 for a malformed `mounts`
    /// or more than one volume (a machine mounts at most one).
    package static func mountedVolumeID(_ config: JSONValue) throws(SimulatorError) -> String? {
        guard let mounts = config["mounts"], !mounts.isNull else { return nil }
        guard let entries = mounts.arrayValue, entries.allSatisfy({ $0.objectValue != nil }) else {
            throw .invalidArgument("config.mounts must be an array of objects")
        }
        let volumes = entries.compactMap { $0["volume"]?.stringValue }.filter { !$0.isEmpty }
        guard volumes.count <= 1 else { throw .invalidArgument("a machine can mount only one volume") }
        return volumes.first
    }

    /// The live volume `id` of `app`, checked for mounting in `machineID` (nil for a new machine)
    /// in `region`: 400 when there is no such volume or it is elsewhere, 412 when another machine
    /// has it.
    package func mountableVolume(app: String, id: String, machineID: String?, region: String?) throws(SimulatorError)
        -> SimulatedVolume
    {
        guard let record = apps[app], let index = record.volumeIndex(id) else {
            throw .invalidArgument("invalid config.mounts: volume \(id) not found in app \(app)")
        }
        let volume = record.volumes[index]
        if let holder = volume.attachedMachineID, holder != machineID {
            throw .failedPrecondition("volume \(id) is already attached to machine \(holder)")
        }
        if let region, region != volume.region {
            throw .invalidArgument("invalid config.mounts: volume \(id) is in region \(volume.region), the machine in \(region)")
        }
        return volume
    }

    /// Marks volume `id` as mounted in `machineID`.
    package mutating func attachVolume(_ id: String, to machineID: String, app: String, now: WallClock) {
        guard let index = apps[app]?.volumeIndex(id) else { return }
        apps[app]?.volumes[index].attachedMachineID = machineID
        apps[app]?.volumes[index].updatedAt = now
    }

    /// After an update: detaches every other volume from `machineID` and attaches `volumeID`.
    package mutating func remount(machineID: String, app: String, volumeID: String?, now: WallClock) {
        guard let volumes = apps[app]?.volumes else { return }
        for (index, volume) in volumes.enumerated() where volume.attachedMachineID == machineID && volume.id != volumeID {
            apps[app]?.volumes[index].attachedMachineID = nil
            apps[app]?.volumes[index].updatedAt = now
        }
        if let volumeID { attachVolume(volumeID, to: machineID, app: app, now: now) }
    }

    /// A destroyed machine lets go of its volume.
    package mutating func detachVolumes(of machineID: String, app: String, now: WallClock) {
        remount(machineID: machineID, app: app, volumeID: nil, now: now)
    }

    /// Runs `body` on a live volume, stamping `updated_at`; answers the changed `Volume`.
    private mutating func changeVolume(
        app: String, id: String, now: WallClock, _ body: (inout SimulatedVolume) throws(SimulatorError) -> Void
    ) throws(SimulatorError) -> JSONValue {
        var record = try self.app(app)
        guard let index = record.volumeIndex(id) else { throw .notFound("volume", id) }
        try body(&record.volumes[index])
        record.volumes[index].updatedAt = now
        apps[app] = record
        return volumeJSON(record.volumes[index], summary: false)
    }

    /// The `Volume` (or `OrgVolume`) object, with the attached machine's instance as its alloc id.
    private func volumeJSON(_ volume: SimulatedVolume, summary: Bool, org: Bool = false) -> JSONValue {
        let alloc = volume.attachedMachineID.flatMap { machines[$0]?.instanceID }
        return volume.json(summary: summary, allocID: alloc, org: org)
    }

    /// Volume names: up to 30 lower-case letters, digits and underscores.
    private static func isValidVolumeName(_ name: String) -> Bool {
        (1...30).contains(name.utf8.count)
            && name.utf8.allSatisfy { (97...122).contains($0) || (48...57).contains($0) || $0 == 95 }
    }

    /// Four zones per region, named by 4 hex digits derived from the region code.
    private static func zones(of region: String) -> [String] {
        (0..<4).map { String(Identifiers.pseudoDigest(of: region + String($0)).dropFirst(7).prefix(4)) }
    }

    /// `snapshot_retention`, 1 to 60 days, when given.
    private static func snapshotRetention(_ body: JSONValue) throws(SimulatorError) -> Int? {
        guard let value = body["snapshot_retention"], !value.isNull else { return nil }
        guard let days = value.int64Value, (1...60).contains(days) else {
            throw .invalidArgument("snapshot_retention must be between 1 and 60 days")
        }
        return Int(days)
    }

    /// A non-empty string member, when present; 400 when it is not a string.
    package static func optionalString(_ body: JSONValue, _ name: String) throws(SimulatorError) -> String? {
        guard let value = body[name], !value.isNull else { return nil }
        guard let text = value.stringValue else { throw .invalidArgument("\(name) must be a string") }
        return text.isEmpty ? nil : text
    }

    /// A boolean member, when present; 400 when it is not a boolean.
    package static func optionalBool(_ body: JSONValue, _ name: String) throws(SimulatorError) -> Bool? {
        guard let value = body[name], !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw .invalidArgument("\(name) must be a boolean") }
        return flag
    }
}
