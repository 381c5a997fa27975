import FlyGateJSON

/// One volume of an app, with its snapshots.
package struct SimulatedVolume: Sendable {
    /// One snapshot (`VolumeSnapshot`).
    package struct Snapshot: Sendable {
        /// `vs_` and 16 letters and digits.
        package var id: String
        /// When it was taken.
        package var createdAt: WallClock
        /// Bytes stored.
        package var sizeBytes: Int64
        /// The volume's size when it was taken, in bytes.
        package var volumeSizeBytes: Int64
        /// A content digest.
        package var digest: String
        /// Days it is kept.
        package var retentionDays: Int

        /// The `VolumeSnapshot` object.
        package var json: JSONValue {
            var object = JSONObject()
            object.append("id", .string(id))
            object.append("created_at", .string(createdAt.rfc3339))
            object.append("digest", .string(digest))
            object.append("retention_days", .int(retentionDays))
            object.append("size", .int(sizeBytes))
            object.append("status", "created")
            object.append("volume_size", .int(volumeSizeBytes))
            return .object(object)
        }
    }

    /// The file system block size Fly reports.
    package static let blockSize: Int64 = 4096
    /// Bytes in a GB as Fly counts volume sizes (GiB).
    package static let bytesPerGB: Int64 = 1 << 30
    /// The largest volume Fly allows, in GB.
    package static let maximumSizeGB = 500

    /// `vol_` and 16 lower-case letters and digits.
    package var id: String
    /// The name (not unique: Fly places same-named volumes in distinct zones).
    package var name: String
    /// The owning app.
    package var appName: String
    /// The region code.
    package var region: String
    /// The zone within the region: 4 hex digits.
    package var zone: String
    /// The size in GB.
    package var sizeGB: Int
    /// Whether it is encrypted at rest (Fly's default: true).
    package var encrypted: Bool
    /// The file system, `ext4`.
    package var fstype: String
    /// Days snapshots are kept.
    package var snapshotRetention: Int
    /// Whether daily snapshots are taken.
    package var autoBackupEnabled: Bool
    /// `created`, or `destroyed` once deleted.
    package var state: String
    /// The machine it is mounted in, if any.
    package var attachedMachineID: String?
    /// When it was created.
    package var createdAt: WallClock
    /// When anything about it last changed.
    package var updatedAt: WallClock
    /// Bytes in use (a little file-system overhead: the simulator writes nothing).
    package var usedBytes: Int64
    /// Snapshots, oldest first.
    package var snapshots: [Snapshot] = []

    /// Whether it has not been deleted.
    package var isLive: Bool { state != "destroyed" }

    /// The size in bytes.
    package var totalBytes: Int64 { Int64(sizeGB) * Self.bytesPerGB }

    /// The `Volume` object (`OrgVolume` with `org`); `allocID` is the attached machine's instance.
    package func json(summary: Bool, allocID: String?, org: Bool = false) -> JSONValue {
        var object = JSONObject()
        object.append("id", .string(id))
        object.append("name", .string(name))
        if org { object.append("app_name", .string(appName)) }
        object.append("state", .string(state))
        object.append("size_gb", .int(sizeGB))
        object.append("region", .string(region))
        object.append("zone", .string(zone))
        object.append("encrypted", .bool(encrypted))
        object.append("fstype", .string(fstype))
        object.append("type", "local")
        object.append("host_status", "ok")
        object.append("snapshot_retention", .int(snapshotRetention))
        object.append("auto_backup_enabled", .bool(autoBackupEnabled))
        if let attachedMachineID {
            object.append("attached_machine_id", .string(attachedMachineID))
            if let allocID { object.append("attached_alloc_id", .string(allocID)) }
        }
        object.append("created_at", .string(createdAt.rfc3339))
        if org { object.append("updated_at", .string(updatedAt.rfc3339)) }
        if !summary {
            let blocks = totalBytes / Self.blockSize
            let free = max(0, blocks - (usedBytes + Self.blockSize - 1) / Self.blockSize)
            object.append("block_size", .int(Self.blockSize))
            object.append("blocks", .int(blocks))
            object.append("blocks_free", .int(free))
            // ext4 keeps 5% of the blocks for root.
            object.append("blocks_avail", .int(max(0, free - blocks / 20)))
            object.append("bytes_total", .int(totalBytes))
            object.append("bytes_used", .int(usedBytes))
        }
        return .object(object)
    }
}
