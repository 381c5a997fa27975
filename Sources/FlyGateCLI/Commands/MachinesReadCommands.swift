import ArgumentParser
import FlyMachinesProto

/// `flygate machines list APP`: the app's machines.
package struct MachinesListCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "list",
        abstract: "List an app's machines (ID, NAME, STATE, REGION, IMAGE, UPDATED).",
        discussion: "Example: flygate machines list my-app --region iad --state started,stopped")

    @Argument(help: "The Fly app's name.") package var app: String
    @Option(help: "Only machines in this region.") package var region: String?
    @Option(help: "Only machines in these states, comma-separated (created, started, stopped, suspended).")
    package var state: String?
    @Flag(help: "Include destroyed machines.") package var includeDeleted = false
    @Flag(help: "Ask Fly for summaries only (no config, checks or events).") package var summary = false
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(app, as: "APP") }

    /// The List request these options stand for.
    package var request: Flygate_Machines_V1_ListRequest {
        var request = Flygate_Machines_V1_ListRequest()
        request.appName = app
        if let region { request.region = region }
        if let state { request.state = state }
        if includeDeleted { request.includeDeleted = true }
        if summary { request.summary = true }
        return request
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let response = try await client.list(request, options: context.options())
        return context.render(response) { MachineFormatter.table(response.body) }
    }
}

/// `flygate machines show APP MACHINE`: one machine's key fields.
package struct MachinesShowCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show one machine: id, name, state, region, image, private IP, version, guest, ….",
        discussion: "Example: flygate machines show my-app d8d9e1e5c43e08 --json")

    @OptionGroup package var target: MachineTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_ShowRequest()
        request.appName = target.app
        request.machineID = target.machine
        let response = try await client.show(request, options: context.options())
        return context.render(response) { MachineFormatter.detail(response.body) }
    }
}

/// `flygate machines events APP MACHINE`: the machine's recent events.
package struct MachinesEventsCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "events", abstract: "List a machine's recent events (TIME, TYPE, STATUS, SOURCE).")

    @OptionGroup package var target: MachineTarget
    @Option(help: "How many events (Fly's default 20, at most 50).") package var limit: Int64?
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_ListEventsRequest()
        request.appName = target.app
        request.machineID = target.machine
        if let limit { request.limit = limit }
        let response = try await client.listEvents(request, options: context.options())
        return context.render(response) { MachineFormatter.events(response.body) }
    }
}

/// `flygate machines versions APP MACHINE`: the machine's config versions.
package struct MachinesVersionsCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "versions", abstract: "List a machine's versions (VERSION, IMAGE, GUEST).")

    @OptionGroup package var target: MachineTarget
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_ListVersionsRequest()
        request.appName = target.app
        request.machineID = target.machine
        let response = try await client.listVersions(request, options: context.options())
        return context.render(response) { MachineFormatter.versions(response.body) }
    }
}

/// `flygate machines ps APP MACHINE`: the processes running in the machine.
package struct MachinesProcessesCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "ps", abstract: "List the processes in a machine (PID, CPU, RSS, COMMAND, LISTEN).")

    @OptionGroup package var target: MachineTarget
    @Option(help: "Field to sort by, passed to Fly as is (e.g. cpu, rss, pid).") package var sortBy: String?
    @Option(help: "Sort order, passed to Fly as is (asc or desc).") package var order: String?
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_ListProcessesRequest()
        request.appName = target.app
        request.machineID = target.machine
        if let sortBy { request.sortBy = sortBy }
        if let order { request.order = order }
        let response = try await client.listProcesses(request, options: context.options())
        return context.render(response) { MachineFormatter.processes(response.body) }
    }
}

/// `flygate machines org-list ORG`: machines across an organization's apps, one page.
package struct MachinesOrgListCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "org-list",
        abstract: "List an organization's machines across its apps, one page (ID, APP, NAME, STATE, …).",
        discussion: "Pass the printed cursor back with --cursor for the next page. Example: flygate machines org-list personal --state started --limit 100")

    @Argument(help: "The organization's slug.") package var org: String
    @Option(help: "Only machines in these states, comma-separated.") package var state: String?
    @Option(help: "Only machines in this region.") package var region: String?
    @Option(help: "At most this many machines (advisory; Fly's maximum is 1000).") package var limit: Int64?
    @Option(help: "The cursor of the previous page.") package var cursor: String?
    @Option(help: "Only machines updated after this RFC 3339 time.") package var updatedAfter: String?
    @Flag(help: "Include destroyed machines.") package var includeDeleted = false
    @Flag(help: "Omit configs from the answer.") package var summary = false
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}
    package func validate() throws { try ResourceName.validate(org, as: "ORG") }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        var request = Flygate_Machines_V1_ListOrgMachinesRequest()
        request.orgSlug = org
        if let state { request.state = state }
        if let region { request.region = region }
        if let limit { request.limit = limit }
        if let cursor { request.cursor = cursor }
        if let updatedAfter { request.updatedAfter = updatedAfter }
        if includeDeleted { request.includeDeleted = true }
        if summary { request.summary = true }
        let response = try await client.listOrgMachines(request, options: context.options())
        return context.render(response) { MachineFormatter.orgMachines(response.body) }
    }
}
