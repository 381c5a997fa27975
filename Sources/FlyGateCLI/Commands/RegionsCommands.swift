import ArgumentParser
import FlyMachinesProto

/// `flygate regions`: the rpcs of flygate.platform.v1.Platform.
package struct RegionsCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "regions",
        abstract: "List Fly's regions, or ask where machines would be placed, through the flygate daemon.",
        discussion: """
            The rpcs of flygate.platform.v1.Platform. Output, --json and exit codes are as for \
            `flygate machines` (see `flygate machines --help`).

            Examples:
              flygate regions list
              flygate regions placements --region iad,ord --count 3 --org personal
            """,
        subcommands: [RegionsListCommand.self, RegionsPlacementsCommand.self])

    package init() {}
}

/// `flygate regions list`.
package struct RegionsListCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List Fly's regions (CODE, NAME, AREA, GATEWAY, PAID ONLY, DEPRECATED); * marks the nearest.")

    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let response = try await client.listRegions(Flygate_Platform_V1_ListRegionsRequest(), options: context.options())
        return context.render(response) { PlatformFormatter.regions(response.body) }
    }
}

/// `flygate regions placements`: where Fly would put machines.
package struct RegionsPlacementsCommand: MachinesTimedVerb {
    package static let configuration = CommandConfiguration(
        commandName: "placements", abstract: "Ask Fly where it would place machines (REGION, COUNT, CONCURRENCY); nothing is created.",
        discussion: """
            Without --region Fly prefers the region nearest its API endpoint, then any; without \
            --count it answers the organization's limit per region. The guest defaults to Fly's \
            performance-1x.

            Example: flygate regions placements --region iad,ord --count 3 --org personal --cpus 2 --memory-mb 4096 \\
              --weight spread=100
            """)

    @Option(help: ArgumentHelp("Regions and aliases, comma-separated.", valueName: "expression")) package var region: String?
    @Option(help: "How many machines to place.") package var count: Int64?
    @Option(help: "The organization's slug.") package var org: String?
    @Option(help: "CPUs per machine.") package var cpus: Int64?
    @Option(help: "Memory per machine in MB.") package var memoryMb: Int64?
    @Option(help: "CPU kind: shared or performance.") package var cpuKind: String?
    @Option(help: "Place next to volumes of this name.") package var volumeName: String?
    @Option(help: "The size of the volume each machine needs, in bytes.") package var volumeSizeBytes: Int64?
    @Option(
        name: .customLong("weight"),
        help: ArgumentHelp("A placement preference's weight, e.g. region=1000 or spread=100 (repeatable).", valueName: "name=n"))
    package var weights: [String] = []
    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func validate() throws {
        if let count, count < 0 { throw ValidationError("--count must not be negative") }
        if let cpus, cpus < 1 { throw ValidationError("--cpus must be at least 1") }
        if let memoryMb, memoryMb < 1 { throw ValidationError("--memory-mb must be at least 1") }
        if let volumeSizeBytes, volumeSizeBytes < 1 { throw ValidationError("--volume-size-bytes must be at least 1") }
        _ = try parsedWeights()
    }

    /// `--weight name=n` options as Fly's `weights` map; a malformed one is a usage error.
    func parsedWeights() throws -> [String: Int64] {
        var parsed: [String: Int64] = [:]
        for weight in weights {
            let parts = weight.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, !parts[0].isEmpty, let value = Int64(parts[1]) else {
                throw ValidationError("--weight must be name=n with a whole number n")
            }
            guard parsed.updateValue(value, forKey: String(parts[0])) == nil else {
                throw ValidationError("--weight names \(parts[0]) twice")
            }
        }
        return parsed
    }

    /// The GetPlacements request these options stand for.
    package var request: Flygate_Platform_V1_GetPlacementsRequest {
        get throws {
            var request = Flygate_Platform_V1_GetPlacementsRequest()
            if let region { request.body.region = region }
            if let count { request.body.count = count }
            if let org { request.body.orgSlug = org }
            if let cpus { request.body.compute.cpus = cpus }
            if let memoryMb { request.body.compute.memoryMb = memoryMb }
            if let cpuKind { request.body.compute.cpuKind = cpuKind }
            if let volumeName { request.body.volumeName = volumeName }
            if let volumeSizeBytes { request.body.volumeSizeBytes = volumeSizeBytes }
            let weights = try parsedWeights()
            if !weights.isEmpty { request.body.weights = weights }
            return request
        }
    }

    package func execute(on client: some MachinesCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let response = try await client.getPlacements(try request, options: context.options())
        return context.render(response) { PlatformFormatter.placements(response.body.regions) }
    }
}
