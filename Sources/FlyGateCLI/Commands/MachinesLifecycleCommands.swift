import ArgumentParser
import FlyMachinesProto

/// `--lease-nonce`, for verbs that change a machine.
package struct LeaseNonceOption: ParsableArguments {
    @Option(help: ArgumentHelp("The lease nonce to send (default: the lease the daemon holds for you, if any).", valueName: "nonce"))
    package var leaseNonce: String?

    /// The metadata that carries the nonce for verbs whose request has no `lease_nonce` field
    /// (exec, metadata and memory writes): the daemon's lease guard reads it, Fly never sees it.
    package static let metadataKey = "flygate-lease-nonce"

    package init() {}

    /// `options` with the nonce as `flygate-lease-nonce` metadata, when one was given.
    package func carried(in options: MachinesCallOptions) -> MachinesCallOptions {
        guard let leaseNonce, !leaseNonce.isEmpty else { return options }
        var options = options
        options.metadata.append((key: Self.metadataKey, value: leaseNonce))
        return options
    }
}

/// `flygate machines start APP MACHINE`.
package struct MachinesStartCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "start", abstract: "Start a stopped or suspended machine.",
        discussion: "Example: flygate machines start my-app d8d9e1e5c43e08 && flygate machines wait my-app d8d9e1e5c43e08")

    @OptionGroup package var target: MachineTarget
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_StartRequest()
        request.appName = target.app
        request.machineID = target.machine
        if let nonce = lease.leaseNonce { request.leaseNonce = nonce }
        let response = try await client.start(request, options: context.options())
        return context.render(response) {
            let body = response.body
            var line = "started \(target.machine)"
            if body.hasPreviousState, !body.previousState.isEmpty { line += " (previous state: \(body.previousState))" }
            if body.migrated, !body.newHost.isEmpty { line += ", migrated to \(body.newHost)" }
            return line + "\n"
        }
    }
}

/// `flygate machines stop APP MACHINE`.
package struct MachinesStopCommand: MachinesVerb {
    package static let configuration = CommandConfiguration(
        commandName: "stop", abstract: "Stop a machine (signal, then kill after the timeout).",
        discussion: "Example: flygate machines stop my-app d8d9e1e5c43e08 --signal SIGINT --timeout 30s")

    @OptionGroup package var target: MachineTarget
    @Option(help: ArgumentHelp("Signal to stop with (default: the machine's stop config, else SIGINT).", valueName: "signal")) package var signal: SignalArgument?
    @Option(help: ArgumentHelp("How long to wait before killing, e.g. 30s or 30 (seconds).", valueName: "duration")) package var timeout: DurationArgument?
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions

    package init() {}
    package var callDeadline: Duration { .seconds(30) + .milliseconds(Int64((timeout?.seconds ?? 0) * 1000)) }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_StopRequest()
        request.appName = target.app
        request.machineID = target.machine
        if let nonce = lease.leaseNonce { request.leaseNonce = nonce }
        if signal != nil || timeout != nil {
            if let signal { request.body.signal = signal.name }
            if let timeout { request.body.timeout = timeout.goText }
        }
        let response = try await client.stop(request, options: context.options())
        return context.render(response) { "stopping \(target.machine)" + (signal.map { " (\($0.name))" } ?? "") + "\n" }
    }
}

/// `flygate machines restart APP MACHINE`.
package struct MachinesRestartCommand: MachinesVerb {
    package static let configuration = CommandConfiguration(
        commandName: "restart", abstract: "Restart a machine.",
        discussion: "Example: flygate machines restart my-app d8d9e1e5c43e08 --signal SIGTERM --timeout 10s")

    @OptionGroup package var target: MachineTarget
    @Option(help: ArgumentHelp("Signal to stop with: SIGHUP, SIGINT, SIGQUIT, SIGKILL, SIGUSR1, SIGUSR2 or SIGTERM.", valueName: "signal")) package var signal: SignalArgument?
    @Option(help: ArgumentHelp("How long to wait before killing, e.g. 10s or 10 (seconds).", valueName: "duration")) package var timeout: DurationArgument?
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions

    package init() {}
    package var callDeadline: Duration { .seconds(30) + .milliseconds(Int64((timeout?.seconds ?? 0) * 1000)) }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_RestartRequest()
        request.appName = target.app
        request.machineID = target.machine
        if let nonce = lease.leaseNonce { request.leaseNonce = nonce }
        if let signal { request.signal = signal.name }
        if let timeout { request.timeout = timeout.goText }
        let response = try await client.restart(request, options: context.options())
        return context.render(response) { "restarting \(target.machine)\n" }
    }
}

/// `flygate machines suspend APP MACHINE`.
package struct MachinesSuspendCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "suspend", abstract: "Suspend a machine (snapshot to disk; the next start resumes it).")

    @OptionGroup package var target: MachineTarget
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_SuspendRequest()
        request.appName = target.app
        request.machineID = target.machine
        if let nonce = lease.leaseNonce { request.leaseNonce = nonce }
        let response = try await client.suspend(request, options: context.options())
        return context.render(response) { "suspending \(target.machine)\n" }
    }
}

/// `flygate machines signal APP MACHINE SIGNAL`.
package struct MachinesSignalCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "signal", abstract: "Send a Unix signal to a machine's main process.",
        discussion: "Example: flygate machines signal my-app d8d9e1e5c43e08 SIGHUP")

    @OptionGroup package var target: MachineTarget
    @Argument(help: "The signal: a name (SIGHUP, HUP) or number (1).") package var signal: SignalArgument
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_SignalRequest()
        request.appName = target.app
        request.machineID = target.machine
        if let nonce = lease.leaseNonce { request.leaseNonce = nonce }
        request.body.signal = signal.name
        let response = try await client.signal(request, options: context.options())
        return context.render(response) { "sent \(signal.name) to \(target.machine)\n" }
    }
}

/// `flygate machines cordon APP MACHINE`.
package struct MachinesCordonCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "cordon", abstract: "Cordon a machine: Fly's proxy stops routing to it.")

    @OptionGroup package var target: MachineTarget
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_CordonRequest()
        request.appName = target.app
        request.machineID = target.machine
        if let nonce = lease.leaseNonce { request.leaseNonce = nonce }
        let response = try await client.cordon(request, options: context.options())
        return context.render(response) { "cordoned \(target.machine)\n" }
    }
}

/// `flygate machines uncordon APP MACHINE`.
package struct MachinesUncordonCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "uncordon", abstract: "Uncordon a machine: Fly's proxy routes to it again.")

    @OptionGroup package var target: MachineTarget
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_UncordonRequest()
        request.appName = target.app
        request.machineID = target.machine
        if let nonce = lease.leaseNonce { request.leaseNonce = nonce }
        let response = try await client.uncordon(request, options: context.options())
        return context.render(response) { "uncordoned \(target.machine)\n" }
    }
}

/// `flygate machines delete APP MACHINE`.
package struct MachinesDeleteCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Destroy a machine (--force kills it if it is running).",
        discussion: "Example: flygate machines delete my-app d8d9e1e5c43e08 --force")

    @OptionGroup package var target: MachineTarget
    @Flag(help: "Kill the machine if it is running.") package var force = false
    @OptionGroup package var lease: LeaseNonceOption
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_DeleteRequest()
        request.appName = target.app
        request.machineID = target.machine
        if force { request.force = true }
        if let nonce = lease.leaseNonce { request.leaseNonce = nonce }
        let response = try await client.delete(request, options: context.options())
        return context.render(response) { "destroying \(target.machine)" + (force ? " (forced)" : "") + "\n" }
    }
}
