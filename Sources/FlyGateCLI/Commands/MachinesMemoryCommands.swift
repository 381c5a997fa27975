import ArgumentParser
import FlyMachinesProto

/// `flygate machines memory show|set|reclaim`.
package struct MachinesMemoryCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "memory", abstract: "Read or change a running machine's memory limit, or reclaim memory.",
        discussion: "Example: flygate machines memory set my-app d8d9e1e5c43e08 --limit-mb 512",
        subcommands: [MachinesMemoryShowCommand.self, MachinesMemorySetCommand.self, MachinesMemoryReclaimCommand.self])

    package init() {}

    /// `limit 512 MB, available 300 MB`.
    package static func text(_ memory: Flygate_Machines_V1_MemoryResponse) -> String {
        var fields = FieldList()
        fields.append("limit_mb", memory.hasLimitMb ? String(memory.limitMb) : nil)
        fields.append("available_mb", memory.hasAvailableMb ? String(memory.availableMb) : nil)
        return fields.render()
    }
}

/// `flygate machines memory show APP MACHINE`.
package struct MachinesMemoryShowCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(commandName: "show", abstract: "Show the memory limit and what is available.")

    @OptionGroup package var target: MachineTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_GetMemoryRequest()
        request.appName = target.app
        request.machineID = target.machine
        let response = try await client.getMemory(request, options: context.options())
        return context.render(response) { MachinesMemoryCommand.text(response.body) }
    }
}

/// `flygate machines memory set APP MACHINE --limit-mb N`.
package struct MachinesMemorySetCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(commandName: "set", abstract: "Set the memory limit of a running machine.")

    @OptionGroup package var target: MachineTarget
    @Option(help: "The new limit in MB.") package var limitMb: Int64
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws {
        guard limitMb > 0 else { throw ValidationError("--limit-mb must be positive") }
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_SetMemoryLimitRequest()
        request.appName = target.app
        request.machineID = target.machine
        request.body.limitMb = limitMb
        let response = try await client.setMemoryLimit(request, options: lease.carried(in: context.options()))
        return context.render(response) { MachinesMemoryCommand.text(response.body) }
    }
}

/// `flygate machines memory reclaim APP MACHINE --amount-mb N`.
package struct MachinesMemoryReclaimCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(commandName: "reclaim", abstract: "Ask a machine to give memory back.")

    @OptionGroup package var target: MachineTarget
    @Option(help: "How much to reclaim, in MB.") package var amountMb: Int64
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws {
        guard amountMb > 0 else { throw ValidationError("--amount-mb must be positive") }
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_ReclaimMemoryRequest()
        request.appName = target.app
        request.machineID = target.machine
        request.body.amountMb = amountMb
        let response = try await client.reclaimMemory(request, options: lease.carried(in: context.options()))
        return context.render(response) { "reclaimed \(response.body.actualMb) MB from \(target.machine)\n" }
    }
}
