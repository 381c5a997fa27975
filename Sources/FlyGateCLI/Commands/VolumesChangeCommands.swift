import ArgumentParser
import FlyMachinesProto

/// `flygate volumes create APP --name NAME --region REGION --size-gb N`.
package struct VolumesCreateCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create a volume, empty, from a snapshot (--snapshot-id) or forked from another (--source-volume-id).",
        discussion: """
            --size-gb is required unless the volume comes from a snapshot or another volume. Flags \
            left out are left to Fly's defaults (volumes are encrypted and backed up daily unless \
            told otherwise).

            Example: flygate volumes create my-app --name data --region iad --size-gb 10 --require-unique-zone
            Example: flygate volumes create my-app --name data --region iad --snapshot-id vs_0123456789abcdef
            """)

    @Argument(help: "The Fly app's name.") package var app: String
    @Option(help: "The volume's name (machines mount volumes by name).") package var name: String
    @Option(help: "The region, e.g. iad.") package var region: String
    @Option(help: "The size in GB.") package var sizeGb: Int64?
    @Flag(inversion: .prefixedNo, help: "Encrypt the volume (Fly's default).") package var encrypted: Bool?
    @Option(help: "Restore this snapshot into the new volume.") package var snapshotId: String?
    @Option(help: "Fork this volume into the new one.") package var sourceVolumeId: String?
    @Flag(inversion: .prefixedNo, help: "Place the volume in a zone no other volume of this name is in.") package var requireUniqueZone: Bool?
    @Flag(inversion: .prefixedNo, help: "Take daily snapshots (Fly's default).") package var autoBackup: Bool?
    @Option(help: "Days to keep snapshots.") package var snapshotRetention: Int64?
    @Option(help: "The file system type, passed to Fly as is.") package var fstype: String?
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        try ResourceName.validate(app, as: "APP")
        if name.isEmpty { throw ValidationError("--name must not be empty") }
        if region.isEmpty { throw ValidationError("--region must not be empty") }
        if let sizeGb, sizeGb < 1 { throw ValidationError("--size-gb must be at least 1") }
        if sizeGb == nil, snapshotId == nil, sourceVolumeId == nil {
            throw ValidationError("give --size-gb (or --snapshot-id or --source-volume-id to start from existing data)")
        }
        if let snapshotRetention, snapshotRetention < 1 { throw ValidationError("--snapshot-retention must be at least 1 day") }
    }

    /// The CreateVolume request these options stand for.
    package var request: Flygate_Volumes_V1_CreateVolumeRequest {
        var request = Flygate_Volumes_V1_CreateVolumeRequest()
        request.appName = app
        request.body.name = name
        request.body.region = region
        if let sizeGb { request.body.sizeGb = sizeGb }
        if let encrypted { request.body.encrypted = encrypted }
        if let snapshotId { request.body.snapshotID = snapshotId }
        if let sourceVolumeId { request.body.sourceVolumeID = sourceVolumeId }
        if let requireUniqueZone { request.body.requireUniqueZone = requireUniqueZone }
        if let autoBackup { request.body.autoBackupEnabled = autoBackup }
        if let snapshotRetention { request.body.snapshotRetention = snapshotRetention }
        if let fstype { request.body.fstype = fstype }
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let response = try await client.createVolume(request, options: context.options())
        return context.render(response) { VolumeFormatter.summary("created", response.body) }
    }
}

/// `flygate volumes update APP VOLUME`: backups and snapshot retention.
package struct VolumesUpdateCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "update", abstract: "Change a volume's daily backups or snapshot retention; only what you give changes.",
        discussion: "Example: flygate volumes update my-app vol_0123456789abcdef --no-auto-backup --snapshot-retention 10")

    @OptionGroup package var target: VolumeTarget
    @Flag(inversion: .prefixedNo, help: "Take daily snapshots.") package var autoBackup: Bool?
    @Option(help: "Days to keep snapshots.") package var snapshotRetention: Int64?
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        guard autoBackup != nil || snapshotRetention != nil else {
            throw ValidationError("nothing to update: give --auto-backup, --no-auto-backup or --snapshot-retention")
        }
        if let snapshotRetention, snapshotRetention < 1 { throw ValidationError("--snapshot-retention must be at least 1 day") }
    }

    /// The UpdateVolume request these options stand for.
    package var request: Flygate_Volumes_V1_UpdateVolumeRequest {
        var request = Flygate_Volumes_V1_UpdateVolumeRequest()
        request.appName = target.app
        request.volumeID = target.volume
        if let autoBackup { request.body.autoBackupEnabled = autoBackup }
        if let snapshotRetention { request.body.snapshotRetention = snapshotRetention }
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let response = try await client.updateVolume(request, options: context.options())
        return context.render(response) { VolumeFormatter.summary("updated", response.body) }
    }
}

/// `flygate volumes extend APP VOLUME --size-gb N`.
package struct VolumesExtendCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "extend", abstract: "Grow a volume to a new size (volumes never shrink).",
        discussion: "Says so when the attached machine must restart to see the new size. Example: flygate volumes extend my-app vol_0123456789abcdef --size-gb 20")

    @OptionGroup package var target: VolumeTarget
    @Option(help: "The new size in GB.") package var sizeGb: Int64
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws {
        guard sizeGb >= 1 else { throw ValidationError("--size-gb must be at least 1") }
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Volumes_V1_ExtendVolumeRequest()
        request.appName = target.app
        request.volumeID = target.volume
        request.body.sizeGb = sizeGb
        let response = try await client.extendVolume(request, options: context.options())
        return context.render(response) {
            let body = response.body
            var text = body.hasVolume ? VolumeFormatter.summary("extended", body.volume) : "extended \(target.volume) to \(sizeGb) GB\n"
            if body.needsRestart { text += "restart the attached machine to use the new size\n" }
            return text
        }
    }
}

/// `flygate volumes delete APP VOLUME`.
package struct VolumesDeleteCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Destroy a volume.",
        discussion: "Like `flygate machines delete`, there is no confirmation. Example: flygate volumes delete my-app vol_0123456789abcdef")

    @OptionGroup package var target: VolumeTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Volumes_V1_DeleteVolumeRequest()
        request.appName = target.app
        request.volumeID = target.volume
        let response = try await client.deleteVolume(request, options: context.options())
        return context.render(response) { "destroying volume \(target.volume)\n" }
    }
}

/// `flygate volumes snapshot APP VOLUME`: takes a snapshot now.
package struct VolumesSnapshotCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "snapshot", abstract: "Take a snapshot of a volume now (`snapshots` lists them).",
        discussion: "Example: flygate volumes snapshot my-app vol_0123456789abcdef && flygate volumes snapshots my-app vol_0123456789abcdef")

    @OptionGroup package var target: VolumeTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Volumes_V1_CreateVolumeSnapshotRequest()
        request.appName = target.app
        request.volumeID = target.volume
        let response = try await client.createVolumeSnapshot(request, options: context.options())
        return context.render(response) { "snapshotting volume \(target.volume)\n" }
    }
}
