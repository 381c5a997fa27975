import ArgumentParser
import FlyMachinesProto

/// `flygate volumes`: one verb per rpc of flygate.volumes.v1.Volumes.
package struct VolumesCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "volumes",
        abstract: "List, create, change, snapshot and delete Fly volumes through the flygate daemon.",
        discussion: """
            Every verb is one rpc of flygate.volumes.v1.Volumes. VOLUME is the volume's id \
            (vol_…). Output, --json and exit codes are as for `flygate machines` (see \
            `flygate machines --help`).

            Examples:
              flygate volumes list my-app
              flygate volumes create my-app --name data --region iad --size-gb 10
              flygate volumes extend my-app vol_0123456789abcdef --size-gb 20
              flygate volumes snapshot my-app vol_0123456789abcdef
            """,
        subcommands: [
            VolumesListCommand.self, VolumesShowCommand.self, VolumesCreateCommand.self, VolumesUpdateCommand.self,
            VolumesExtendCommand.self, VolumesDeleteCommand.self, VolumesSnapshotsCommand.self,
            VolumesSnapshotCommand.self, VolumesOrgListCommand.self,
        ])

    package init() {}
}

/// The APP and VOLUME positionals of the verbs on one volume.
package struct VolumeTarget: ParsableArguments {
    @Argument(help: "The Fly app's name.")
    package var app: String

    @Argument(help: "The volume's id, e.g. vol_0123456789abcdef.")
    package var volume: String

    package init() {}

    package func validate() throws {
        try ResourceName.validate(app, as: "APP")
        try ResourceName.validate(volume, as: "VOLUME")
    }
}

/// `flygate volumes list APP`.
package struct VolumesListCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List an app's volumes (ID, NAME, STATE, SIZE, REGION, ZONE, ENCRYPTED, MACHINE).")

    @Argument(help: "The Fly app's name.") package var app: String
    @Flag(help: "Ask Fly for summaries only (no block counts).") package var summary = false
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(app, as: "APP") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Volumes_V1_ListVolumesRequest()
        request.appName = app
        if summary { request.summary = true }
        let response = try await client.listVolumes(request, options: context.options())
        return context.render(response) { VolumeFormatter.table(response.body) }
    }
}

/// `flygate volumes show APP VOLUME`.
package struct VolumesShowCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show one volume: id, name, state, size and use, region, zone, attached machine, backups.")

    @OptionGroup package var target: VolumeTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Volumes_V1_GetVolumeRequest()
        request.appName = target.app
        request.volumeID = target.volume
        let response = try await client.getVolume(request, options: context.options())
        return context.render(response) { VolumeFormatter.detail(response.body) }
    }
}

/// `flygate volumes snapshots APP VOLUME`.
package struct VolumesSnapshotsCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "snapshots", abstract: "List a volume's snapshots (ID, STATUS, SIZE, CREATED, RETENTION).")

    @OptionGroup package var target: VolumeTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Volumes_V1_ListVolumeSnapshotsRequest()
        request.appName = target.app
        request.volumeID = target.volume
        let response = try await client.listVolumeSnapshots(request, options: context.options())
        return context.render(response) { VolumeFormatter.snapshots(response.body) }
    }
}

/// `flygate volumes org-list ORG`: volumes across an organization's apps, one page.
package struct VolumesOrgListCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "org-list",
        abstract: "List an organization's volumes across its apps, one page (ID, APP, NAME, STATE, SIZE, …).",
        discussion: "Pass the printed cursor back with --cursor for the next page. Example: flygate volumes org-list personal --region iad")

    @Argument(help: "The organization's slug.") package var org: String
    @Option(help: "Only volumes in these states, comma-separated.") package var state: String?
    @Option(help: "Only volumes in this region.") package var region: String?
    @Option(help: "At most this many volumes (advisory; Fly's maximum is 1000).") package var limit: Int64?
    @Option(help: "The cursor of the previous page.") package var cursor: String?
    @Option(help: "Only volumes updated after this RFC 3339 time.") package var updatedAfter: String?
    @Flag(help: "Include deleted volumes.") package var includeDeleted = false
    @Flag(help: "Ask Fly for summaries only (no block counts).") package var summary = false
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        try ResourceName.validate(org, as: "ORG")
        if let limit, limit < 1 { throw ValidationError("--limit must be at least 1") }
    }

    /// The ListOrgVolumes request these options stand for.
    package var request: Flygate_Volumes_V1_ListOrgVolumesRequest {
        var request = Flygate_Volumes_V1_ListOrgVolumesRequest()
        request.orgSlug = org
        if let state { request.state = state }
        if let region { request.region = region }
        if let limit { request.limit = limit }
        if let cursor { request.cursor = cursor }
        if let updatedAfter { request.updatedAfter = updatedAfter }
        if includeDeleted { request.includeDeleted = true }
        if summary { request.summary = true }
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let response = try await client.listOrgVolumes(request, options: context.options())
        return context.render(response) { VolumeFormatter.orgVolumes(response.body) }
    }
}
