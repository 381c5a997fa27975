import FlyMachinesProto

/// Volumes and their snapshots as text for people.
package enum VolumeFormatter {
    /// One line per volume: ID, NAME, STATE, SIZE, REGION, ZONE, ENCRYPTED, MACHINE, CREATED.
    package static func table(_ volumes: [Flygate_Volumes_V1_Volume]) -> String {
        var table = TableFormatter(headers: ["ID", "NAME", "STATE", "SIZE", "REGION", "ZONE", "ENCRYPTED", "MACHINE", "CREATED"])
        for volume in volumes {
            table.append([
                volume.id, volume.name, volume.state, size(volume.hasSizeGb ? volume.sizeGb : nil), volume.region, volume.zone,
                yesNo(volume.hasEncrypted ? volume.encrypted : nil), volume.attachedMachineID, volume.createdAt,
            ])
        }
        return table.render()
    }

    /// One volume's fields, one per line.
    package static func detail(_ volume: Flygate_Volumes_V1_Volume) -> String {
        var fields = FieldList()
        fields.append("id", volume.id)
        fields.append("name", volume.name)
        fields.append("state", volume.state)
        fields.append("size", size(volume.hasSizeGb ? volume.sizeGb : nil))
        if volume.hasBytesUsed || volume.hasBytesTotal {
            fields.append("used", "\(TimeFormat.bytes(volume.bytesUsed)) of \(TimeFormat.bytes(volume.bytesTotal))")
        }
        fields.append("region", volume.region)
        fields.append("zone", volume.zone)
        fields.append("type", volume.type)
        fields.append("fstype", volume.fstype)
        fields.append("encrypted", yesNo(volume.hasEncrypted ? volume.encrypted : nil))
        fields.append("machine", volume.attachedMachineID)
        fields.append("auto_backup", yesNo(volume.hasAutoBackupEnabled ? volume.autoBackupEnabled : nil))
        fields.append("snapshot_retention", volume.hasSnapshotRetention ? "\(volume.snapshotRetention) days" : nil)
        fields.append("host_status", volume.hostStatus)
        fields.append("created", volume.createdAt)
        return fields.render()
    }

    /// `created vol_… (data) in iad, 10 GB, state created`.
    package static func summary(_ verb: String, _ volume: Flygate_Volumes_V1_Volume) -> String {
        var line = "\(verb) volume \(volume.id)"
        if !volume.name.isEmpty { line += " (\(volume.name))" }
        if !volume.region.isEmpty { line += " in \(volume.region)" }
        if volume.hasSizeGb { line += ", \(volume.sizeGb) GB" }
        if !volume.state.isEmpty { line += ", state \(volume.state)" }
        if volume.hasAutoBackupEnabled { line += ", auto backup \(volume.autoBackupEnabled ? "on" : "off")" }
        if volume.hasSnapshotRetention { line += ", snapshots kept \(volume.snapshotRetention) days" }
        return TableFormatter.sanitized(line) + "\n"
    }

    /// One line per snapshot: ID, STATUS, SIZE, CREATED, RETENTION.
    package static func snapshots(_ snapshots: [Flygate_Volumes_V1_VolumeSnapshot]) -> String {
        var table = TableFormatter(headers: ["ID", "STATUS", "SIZE", "CREATED", "RETENTION"])
        for snapshot in snapshots {
            table.append([
                snapshot.id, snapshot.status, snapshot.hasSize ? TimeFormat.bytes(snapshot.size) : "", snapshot.createdAt,
                snapshot.hasRetentionDays ? "\(snapshot.retentionDays) days" : "",
            ])
        }
        return table.render()
    }

    /// An organization's volumes: ID, APP, NAME, STATE, SIZE, REGION, MACHINE; then the cursor.
    package static func orgVolumes(_ page: Flygate_Volumes_V1_OrgVolumesResponse) -> String {
        var table = TableFormatter(headers: ["ID", "APP", "NAME", "STATE", "SIZE", "REGION", "MACHINE"])
        for volume in page.volumes {
            table.append([
                volume.id, volume.appName, volume.name, volume.state, size(volume.hasSizeGb ? volume.sizeGb : nil), volume.region,
                volume.attachedMachineID,
            ])
        }
        var text = table.render()
        if page.hasNextCursor, !page.nextCursor.isEmpty { text += "next page: --cursor \(TableFormatter.sanitized(page.nextCursor))\n" }
        return text
    }

    private static func size(_ gigabytes: Int64?) -> String {
        gigabytes.map { "\($0) GB" } ?? ""
    }

    private static func yesNo(_ value: Bool?) -> String {
        value.map { $0 ? "yes" : "no" } ?? ""
    }
}
