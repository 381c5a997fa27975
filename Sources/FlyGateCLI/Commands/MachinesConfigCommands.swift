import ArgumentParser
import FlyMachinesProto

/// `flygate machines create APP`: a new machine from a config file and/or flags.
package struct MachinesCreateCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "create",
        abstract: "Create a machine from --config and/or flags (--image, --env, --cpus, --memory-mb, …).",
        discussion: """
            Flags are applied on top of --config. An image is required, from either.

            Example: flygate machines create my-app --image nginx:1.27 --region iad --env PORT=8080 --memory-mb 512
            Example: flygate machines create my-app --config machine.json --name web-1 --skip-launch
            """)

    @Argument(help: "The Fly app's name.") package var app: String
    @OptionGroup package var fields: MachineConfigFlags
    @Option(help: "The machine's name (Fly picks one when omitted).") package var name: String?
    @Option(help: "The region, e.g. iad (Fly picks one near you when omitted).") package var region: String?
    @Flag(help: "Create the machine without starting it.") package var skipLaunch = false
    @Option(help: "Take a lease on the new machine for this many seconds; its nonce is printed.") package var leaseTtl: Int64?
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(app, as: "APP") }

    /// The Create request: the file's config (or an empty one) with the flags applied.
    package func request(fileConfig: Flygate_Machines_V1_MachineConfig?) throws -> Flygate_Machines_V1_CreateRequest {
        var config = fileConfig ?? Flygate_Machines_V1_MachineConfig()
        fields.apply(to: &config)
        guard config.hasImage, !config.image.isEmpty else {
            throw ValidationError("an image is required: give --image or a --config with \"image\"")
        }
        var request = Flygate_Machines_V1_CreateRequest()
        request.appName = app
        request.body.config = config
        if let name { request.body.name = name }
        if let region { request.body.region = region }
        if skipLaunch { request.body.skipLaunch = true }
        if let leaseTtl { request.body.leaseTtl = leaseTtl }
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let response = try await client.create(try request(fileConfig: try fields.loadConfig()), options: context.options())
        return context.render(response) { Self.summary("created", response.body) }
    }

    /// `created d8d9e1e5c43e08 (quiet-sun-4521) in iad, state created`, plus the lease nonce.
    package static func summary(_ verb: String, _ machine: Flygate_Machines_V1_Machine) -> String {
        var line = "\(verb) \(machine.id)"
        if !machine.name.isEmpty { line += " (\(machine.name))" }
        if !machine.region.isEmpty { line += " in \(machine.region)" }
        if !machine.state.isEmpty { line += ", state \(machine.state)" }
        if !machine.instanceID.isEmpty { line += ", version \(machine.instanceID)" }
        var text = TableFormatter.sanitized(line) + "\n"
        if machine.hasNonce, !machine.nonce.isEmpty { text += "lease nonce: \(machine.nonce)\n" }
        return text
    }
}

/// `flygate machines update APP MACHINE`: change a machine's config.
package struct MachinesUpdateCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "update",
        abstract: "Update a machine's config: only the fields you give change.",
        discussion: """
            Without --config, flygate reads the machine's current config, changes only the fields \
            the flags name, and sends the whole config back (Fly takes no partial update); every \
            other field, including members flygate does not know, is kept. With --config, that file \
            replaces the config, and flags apply on top.

            Example: flygate machines update my-app d8d9e1e5c43e08 --image nginx:1.28 --env LOG_LEVEL=debug
            """)

    @OptionGroup package var target: MachineTarget
    @OptionGroup package var fields: MachineConfigFlags
    @Option(help: "Fail unless the machine is still at this version.") package var currentVersion: String?
    @Flag(help: "Do not start the machine after updating it.") package var skipLaunch = false
    @Option(help: "Take a lease on the machine for this many seconds; its nonce is printed.") package var leaseTtl: Int64?
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        guard fields.config != nil || fields.changesFields || skipLaunch else {
            throw ValidationError("nothing to update: give --config or a field flag such as --image or --env")
        }
    }

    /// The Update request: `base` (the file's config, or the machine's current one) with the flags applied.
    package func request(base: Flygate_Machines_V1_MachineConfig) -> Flygate_Machines_V1_UpdateRequest {
        var config = base
        fields.apply(to: &config)
        var request = Flygate_Machines_V1_UpdateRequest()
        request.appName = target.app
        request.machineID = target.machine
        request.body.config = config
        if let currentVersion { request.body.currentVersion = currentVersion }
        if skipLaunch { request.body.skipLaunch = true }
        if let leaseTtl { request.body.leaseTtl = leaseTtl }
        if let nonce = lease.leaseNonce { request.leaseNonce = nonce }
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let base: Flygate_Machines_V1_MachineConfig
        if let fileConfig = try fields.loadConfig() {
            base = fileConfig
        } else {
            var show = Flygate_Machines_V1_ShowRequest()
            show.appName = target.app
            show.machineID = target.machine
            let current = try await client.show(show, options: context.options()).body
            guard current.hasConfig else {
                throw CLIFailure("machine \(target.machine) came back without a config; give the whole config with --config")
            }
            base = current.config
        }
        let response = try await client.update(request(base: base), options: context.options())
        return context.render(response) { MachinesCreateCommand.summary("updated", response.body) }
    }
}
