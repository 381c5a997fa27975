import ArgumentParser
import FlyMachinesProto

/// `flygate apps`: Fly apps, one verb per rpc of flygate.apps.v1.Apps but the IP ones (`flygate ips`).
package struct AppsCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "apps",
        abstract: "List, create, show and delete Fly apps through the flygate daemon.",
        discussion: """
            Every verb is one rpc of flygate.apps.v1.Apps; `flygate ips` has the app's IP addresses. \
            Output, --json and exit codes are as for `flygate machines` (see `flygate machines --help`).

            Examples:
              flygate apps list --org personal
              flygate apps create my-app --org personal
              flygate apps show my-app --json
            """,
        subcommands: [AppsListCommand.self, AppsCreateCommand.self, AppsShowCommand.self, AppsDeleteCommand.self])

    package init() {}
}

/// `flygate apps list`: an organization's apps.
package struct AppsListCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List an organization's apps (NAME, ORG, STATUS, MACHINES, VOLUMES, NETWORK).",
        discussion: "Fly requires an organization; without --org, `personal`. Example: flygate apps list --org my-org")

    @Option(help: "The organization's slug.") package var org: String = "personal"
    @Option(help: "Only apps with this role, passed to Fly as is.") package var role: String?
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(org, as: "--org") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Apps_V1_ListAppsRequest()
        request.orgSlug = org
        if let role { request.appRole = role }
        let response = try await client.listApps(request, options: context.options())
        return context.render(response) { AppFormatter.table(response.body.apps) }
    }
}

/// `flygate apps create NAME --org ORG`.
package struct AppsCreateCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "create", abstract: "Create an app in an organization.",
        discussion: "Example: flygate apps create my-app --org personal --network my-net")

    @Argument(help: "The new app's name.") package var name: String
    @Option(help: "The organization's slug.") package var org: String
    @Option(help: "The private network to put the app in (Fly's default network when omitted).") package var network: String?
    @Flag(help: "Enable subdomains for the app.") package var enableSubdomains = false
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        try ResourceName.validate(name, as: "NAME")
        try ResourceName.validate(org, as: "--org")
    }

    /// The CreateApp request these options stand for.
    package var request: Flygate_Apps_V1_CreateAppRequest {
        var request = Flygate_Apps_V1_CreateAppRequest()
        request.body.name = name
        request.body.orgSlug = org
        if let network { request.body.network = network }
        if enableSubdomains { request.body.enableSubdomains = true }
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let response = try await client.createApp(request, options: context.options())
        return context.render(response) { TableFormatter.sanitized("created app \(name) in \(org)") + "\n" }
    }
}

/// `flygate apps show APP`.
package struct AppsShowCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "show", abstract: "Show an app: id, name, organization, status, network, machine and volume counts.")

    @Argument(help: "The Fly app's name.") package var app: String
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(app, as: "APP") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Apps_V1_ShowAppRequest()
        request.appName = app
        let response = try await client.showApp(request, options: context.options())
        return context.render(response) { AppFormatter.detail(response.body) }
    }
}

/// `flygate apps delete APP`.
package struct AppsDeleteCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "delete", abstract: "Destroy an app with its machines and volumes.",
        discussion: "Like `flygate machines delete`, there is no confirmation. Example: flygate apps delete my-app")

    @Argument(help: "The Fly app's name.") package var app: String
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(app, as: "APP") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Apps_V1_DeleteAppRequest()
        request.appName = app
        let response = try await client.deleteApp(request, options: context.options())
        return context.render(response) { "destroying app \(app)\n" }
    }
}
