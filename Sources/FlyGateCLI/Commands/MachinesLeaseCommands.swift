import ArgumentParser
import FlyMachinesProto
import Foundation

/// `flygate machines lease show|create|release`.
package struct MachinesLeaseCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "lease",
        abstract: "Show, take or release a machine's lease.",
        discussion: """
            A lease gives one holder the right to change a machine. The daemon keeps the book of the \
            leases its callers take and releases a lease when its holder's connection closes, so a \
            lease taken by `lease create` alone ends when the command exits: use `lease create --hold` \
            to keep (and renew) it until you press Ctrl-C, and pass the nonce it prints to verbs run \
            meanwhile with --lease-nonce.

            Example: flygate machines lease create my-app d8d9e1e5c43e08 --ttl 120 --description deploy
            """,
        subcommands: [MachinesLeaseShowCommand.self, MachinesLeaseCreateCommand.self, MachinesLeaseReleaseCommand.self])

    package init() {}
}

/// `flygate machines lease show APP MACHINE`.
package struct MachinesLeaseShowCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show a machine's lease (NOT_FOUND when there is none).")

    @OptionGroup package var target: MachineTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_ShowLeaseRequest()
        request.appName = target.app
        request.machineID = target.machine
        let response = try await client.showLease(request, options: context.options())
        return context.render(response) { MachineFormatter.lease(response.body, now: Int64(Date().timeIntervalSince1970)) }
    }
}

/// `flygate machines lease create APP MACHINE`: take (or, with --nonce, refresh) a lease.
package struct MachinesLeaseCreateCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Take a lease on a machine, or refresh yours with --nonce.",
        discussion: """
            The daemon releases the lease when this command's connection closes. With --hold the \
            command keeps the connection, asks the daemon to renew the lease at a third of its TTL, \
            and holds it until SIGINT or SIGTERM.

            Example: flygate machines lease create my-app d8d9e1e5c43e08 --ttl 30 --hold
            """)

    @OptionGroup package var target: MachineTarget
    @Option(help: "Seconds the lease lasts.") package var ttl: Int64?
    @Option(help: "What the lease is for, shown to others.") package var description: String?
    @Option(help: "Refresh the lease with this nonce instead of taking a new one.") package var nonce: String?
    @Flag(help: "Keep the lease, renewed by the daemon, until interrupted (Ctrl-C).") package var hold = false
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        if let ttl, ttl < 1 { throw ValidationError("--ttl must be at least 1 second") }
        if hold, nonce != nil { throw ValidationError("--hold takes a new lease; it cannot refresh one given with --nonce") }
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_CreateLeaseRequest()
        request.appName = target.app
        request.machineID = target.machine
        if let ttl { request.body.ttl = ttl }
        if let description { request.body.description_p = description }
        if let nonce { request.leaseNonce = nonce }
        var options = context.options()
        if hold { options.metadata.append((key: "flygate-lease-renew", value: "true")) }
        let response = try await client.createLease(request, options: options)
        let output = context.render(response) {
            let lease = response.body
            var line = "\(nonce == nil ? "leased" : "refreshed lease on") \(target.machine)"
            if lease.hasExpiresAt { line += " until \(TimeFormat.rfc3339(unixSeconds: lease.expiresAt))" }
            var text = line + "\n"
            if !lease.nonce.isEmpty { text += "nonce: \(TableFormatter.sanitized(lease.nonce))\n" }
            if hold { text += "holding the lease (renewed by the daemon) until interrupted\n" }
            return text
        }
        guard hold else { return output }
        Terminal.write(output)
        await InterruptSignal.wait()
        return CLIOutput(stdout: "", stderr: "released the lease on \(target.machine)\n", exitCode: 0)
    }
}

/// `flygate machines lease release APP MACHINE`.
package struct MachinesLeaseReleaseCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Release a lease.",
        discussion: "Example: flygate machines lease release my-app d8d9e1e5c43e08 --nonce 5c35f65c9f95")

    @OptionGroup package var target: MachineTarget
    @Option(help: "The lease's nonce (default: the lease the daemon holds for you).") package var nonce: String?
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_ReleaseLeaseRequest()
        request.appName = target.app
        request.machineID = target.machine
        if let nonce { request.leaseNonce = nonce }
        let response = try await client.releaseLease(request, options: context.options())
        return context.render(response) { "released lease on \(target.machine)\n" }
    }
}
