import ArgumentParser
import FlyMachinesProto

/// `flygate ips`: an app's IP addresses (the IP assignment rpcs of flygate.apps.v1.Apps).
package struct IPsCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "ips",
        abstract: "List, allocate and release an app's IP addresses through the flygate daemon.",
        discussion: """
            The IP assignment rpcs of flygate.apps.v1.Apps. Output, --json and exit codes are as for \
            `flygate machines` (see `flygate machines --help`).

            Examples:
              flygate ips list my-app
              flygate ips allocate my-app --type shared_v4
              flygate ips allocate my-app --type v6 --region iad
              flygate ips release my-app 2a09:8280:1::1
            """,
        subcommands: [IPsListCommand.self, IPsAllocateCommand.self, IPsReleaseCommand.self])

    package init() {}
}

/// `flygate ips list APP`.
package struct IPsListCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List an app's IP addresses (IP, REGION, SHARED, SERVICE, CREATED).")

    @Argument(help: "The Fly app's name.") package var app: String
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(app, as: "APP") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Apps_V1_ListIPAssignmentsRequest()
        request.appName = app
        let response = try await client.listIPAssignments(request, options: context.options())
        return context.render(response) { AppFormatter.ips(response.body.ips) }
    }
}

/// The kinds of address Fly assigns.
package enum IPAddressType: String, ExpressibleByArgument, CaseIterable, Sendable {
    case v4
    case v6
    case sharedV4 = "shared_v4"
    case privateV6 = "private_v6"
}

/// `flygate ips allocate APP --type TYPE`.
package struct IPsAllocateCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "allocate", abstract: "Assign a new IP address to an app.",
        discussion: """
            v4 is a dedicated IPv4 address, shared_v4 an address shared with other apps, \
            v6 a public IPv6 address, private_v6 an address on the organization's private network \
            (--network for another one).

            Example: flygate ips allocate my-app --type private_v6 --network my-net --org my-org
            """)

    @Argument(help: "The Fly app's name.") package var app: String
    @Option(help: "The kind of address.") package var type: IPAddressType
    @Option(help: "The region to allocate in (Fly decides when omitted).") package var region: String?
    @Option(help: "The private network, for private_v6.") package var network: String?
    @Option(help: "The organization's slug, for private_v6 on another organization's network.") package var org: String?
    @Option(help: "The service the address belongs to.") package var serviceName: String?
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(app, as: "APP") }

    /// The CreateIPAssignment request these options stand for.
    package var request: Flygate_Apps_V1_CreateIPAssignmentRequest {
        var request = Flygate_Apps_V1_CreateIPAssignmentRequest()
        request.appName = app
        request.body.type = type.rawValue
        if let region { request.body.region = region }
        if let network { request.body.network = network }
        if let org { request.body.orgSlug = org }
        if let serviceName { request.body.serviceName = serviceName }
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let response = try await client.createIPAssignment(request, options: context.options())
        return context.render(response) {
            let ip = response.body
            var line = "allocated \(ip.ip.isEmpty ? type.rawValue + " address" : ip.ip) to \(app)"
            if ip.hasRegion, !ip.region.isEmpty { line += " in \(ip.region)" }
            if ip.hasShared, ip.shared { line += " (shared)" }
            return TableFormatter.sanitized(line) + "\n"
        }
    }
}

/// `flygate ips release APP IP`.
package struct IPsReleaseCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "release", abstract: "Remove an IP address from an app.",
        discussion: "Example: flygate ips release my-app 137.66.1.1")

    @Argument(help: "The Fly app's name.") package var app: String
    @Argument(help: "The address, as `flygate ips list` shows it.") package var ip: String
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        try ResourceName.validate(app, as: "APP")
        try ResourceName.validate(ip, as: "IP")
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Apps_V1_DeleteIPAssignmentRequest()
        request.appName = app
        request.ip = ip
        let response = try await client.deleteIPAssignment(request, options: context.options())
        return context.render(response) { "released \(ip) from \(app)\n" }
    }
}
