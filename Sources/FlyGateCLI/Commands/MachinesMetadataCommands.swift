import ArgumentParser
import FlyMachinesProto

/// `flygate machines metadata show|get|set|delete|patch`.
package struct MachinesMetadataCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "metadata",
        abstract: "Read and change a machine's metadata (key/value strings).",
        discussion: "Example: flygate machines metadata patch my-app d8d9e1e5c43e08 --set role=primary --delete old",
        subcommands: [
            MachinesMetadataShowCommand.self, MachinesMetadataGetCommand.self, MachinesMetadataSetCommand.self,
            MachinesMetadataDeleteCommand.self, MachinesMetadataPatchCommand.self,
        ])

    package init() {}
}

/// `flygate machines metadata show APP MACHINE`.
package struct MachinesMetadataShowCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(commandName: "show", abstract: "List a machine's metadata (KEY, VALUE).")

    @OptionGroup package var target: MachineTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_ShowMetadataRequest()
        request.appName = target.app
        request.machineID = target.machine
        let response = try await client.showMetadata(request, options: context.options())
        return context.render(response) { MachineFormatter.metadata(response.body) }
    }
}

/// `flygate machines metadata get APP MACHINE KEY`: prints the value alone.
package struct MachinesMetadataGetCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(commandName: "get", abstract: "Print one metadata value.")

    @OptionGroup package var target: MachineTarget
    @Argument(help: "The metadata key.") package var key: String
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(key, as: "KEY") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_GetMetadataKeyRequest()
        request.appName = target.app
        request.machineID = target.machine
        request.key = key
        let response = try await client.getMetadataKey(request, options: context.options())
        return context.render(response) { response.body.value + "\n" }
    }
}

/// `flygate machines metadata set APP MACHINE KEY VALUE`.
package struct MachinesMetadataSetCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "set", abstract: "Set one metadata key.",
        discussion: "Example: flygate machines metadata set my-app d8d9e1e5c43e08 role primary")

    @OptionGroup package var target: MachineTarget
    @Argument(help: "The metadata key.") package var key: String
    @Argument(help: "The value.") package var value: String
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(key, as: "KEY") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_UpdateMetadataRequest()
        request.appName = target.app
        request.machineID = target.machine
        request.key = key
        request.body.value = value
        let response = try await client.updateMetadata(request, options: lease.carried(in: context.options()))
        return context.render(response) { "set \(TableFormatter.sanitized(key)) on \(target.machine)\n" }
    }
}

/// `flygate machines metadata delete APP MACHINE KEY`.
package struct MachinesMetadataDeleteCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(commandName: "delete", abstract: "Delete one metadata key.")

    @OptionGroup package var target: MachineTarget
    @Argument(help: "The metadata key.") package var key: String
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(key, as: "KEY") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_DeleteMetadataRequest()
        request.appName = target.app
        request.machineID = target.machine
        request.key = key
        let response = try await client.deleteMetadata(request, options: lease.carried(in: context.options()))
        return context.render(response) { "deleted \(TableFormatter.sanitized(key)) on \(target.machine)\n" }
    }
}

/// `flygate machines metadata patch APP MACHINE --set K=V --delete K`: several keys in one call.
package struct MachinesMetadataPatchCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "patch", abstract: "Set and delete several metadata keys in one call.",
        discussion: """
            Fails with FAILED_PRECONDITION when --machine-version no longer matches.

            Example: flygate machines metadata patch my-app d8d9e1e5c43e08 --set role=primary --set zone=a --delete old
            """)

    @OptionGroup package var target: MachineTarget
    @Option(name: .customLong("set"), help: ArgumentHelp("Set KEY to VALUE; repeat for more.", valueName: "KEY=VALUE")) package var sets: [KeyValueArgument] = []
    @Option(name: .customLong("delete"), help: ArgumentHelp("Delete KEY; repeat for more.", valueName: "KEY")) package var deletes: [String] = []
    @Option(help: "Apply only if the machine is still at this version.") package var machineVersion: String?
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        guard !sets.isEmpty || !deletes.isEmpty else { throw ValidationError("give at least one --set KEY=VALUE or --delete KEY") }
        for key in sets.map(\.key) + deletes { try ResourceName.validate(key, as: "KEY") }
        if let both = sets.map(\.key).first(where: deletes.contains) {
            throw ValidationError("key '\(both)' is both set and deleted")
        }
    }

    /// The PatchMetadata request: an empty value deletes a key, as Fly defines it.
    package var request: Flygate_Machines_V1_PatchMetadataRequest {
        var request = Flygate_Machines_V1_PatchMetadataRequest()
        request.appName = target.app
        request.machineID = target.machine
        request.body.metadata = KeyValueArgument.dictionary(sets)
        for key in deletes { request.body.metadata[key] = "" }
        if let machineVersion { request.body.machineVersion = machineVersion }
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let response = try await client.patchMetadata(request, options: lease.carried(in: context.options()))
        return context.render(response) { "patched metadata on \(target.machine): \(sets.count) set, \(deletes.count) deleted\n" }
    }
}
