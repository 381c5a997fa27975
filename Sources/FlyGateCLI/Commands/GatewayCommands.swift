import ArgumentParser
import FlyGateClient
import FlyGateJSON
import FlyMachinesProto
import Foundation

/// The daemon's own service, as the status and lease-book commands need it.
package protocol GatewayCalling: Sendable {
    /// Is the daemon up, and what does it talk to.
    func health(timeout: Duration?) async throws -> Flygate_Gateway_V1_HealthResponse
    /// Counters per method and status.
    func stats(timeout: Duration?) async throws -> Flygate_Gateway_V1_StatsResponse
    /// The daemon's lease book.
    func listLeases(timeout: Duration?) async throws -> Flygate_Gateway_V1_ListLeasesResponse
}

extension RPCClient: GatewayCalling {}

/// `flygate status`: the daemon's health and counters.
package struct StatusCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the daemon's health (version, upstream, uptime, pid) and call counters per method.",
        discussion: "--json prints {\"health\": …, \"stats\": …} in the gateway's proto JSON mapping. Exits 5 when the daemon is not running.")

    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func run() async throws {
        let context = MachinesCommandContext(global: global, callDeadline: deadline.duration)
        try await context.run { client in try await execute(on: client, context: context) }
    }

    package func execute(on gateway: some GatewayCalling, context: MachinesCommandContext) async throws -> CLIOutput {
        let health = try await gateway.health(timeout: context.callDeadline)
        let stats = try await gateway.stats(timeout: context.callDeadline)
        if context.json {
            let text = "{\"health\":\(try PrettyJSON.compact(message: health)),\"stats\":\(try PrettyJSON.compact(message: stats))}"
            return CLIOutput(stdout: PrettyJSON.render(try JSONValue(parsing: text)))
        }
        var text = GatewayFormatter.health(health, stats: stats)
        if !stats.methods.isEmpty { text += "\n" + GatewayFormatter.stats(stats) }
        return CLIOutput(stdout: text)
    }
}

/// `flygate leases`: the leases the daemon holds for its callers.
package struct LeasesCommand: AsyncParsableCommand {
    package static let configuration = CommandConfiguration(
        commandName: "leases",
        abstract: "List the leases the daemon holds for its callers (nonces shown by prefix only).",
        discussion: "--json prints the gateway's ListLeasesResponse in its proto JSON mapping.")

    @OptionGroup package var global: MachinesGlobalOptions
    @OptionGroup package var deadline: CallTimeoutOption

    package init() {}

    package func run() async throws {
        let context = MachinesCommandContext(global: global, callDeadline: deadline.duration)
        try await context.run { client in try await execute(on: client, context: context, now: Int64(Date().timeIntervalSince1970)) }
    }

    package func execute(on gateway: some GatewayCalling, context: MachinesCommandContext, now: Int64) async throws -> CLIOutput {
        let response = try await gateway.listLeases(timeout: context.callDeadline)
        if context.json { return CLIOutput(stdout: try PrettyJSON.render(message: response)) }
        if response.leases.isEmpty { return .line("no leases") }
        return CLIOutput(stdout: GatewayFormatter.leases(response.leases, now: now))
    }
}
