import ArgumentParser
import FlyGateWire
import FlyMachinesProto
import Testing

@testable import FlyGateCLI

/// `flygate` as the executable registers the CLI groups, without the daemon's own commands.
struct CLIRoot: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "flygate", subcommands: CLICommandGroups.all)
}

/// Parses a `flygate …` command line (group first, e.g. `["apps", "list"]`) into its verb.
func cliVerb(_ arguments: [String]) throws -> any MachinesVerb {
    try #require(try CLIRoot.parseAsRoot(arguments) as? any MachinesVerb, "\(arguments) is not a verb")
}

/// Parses and runs a verb against `client`, as `flygate` would with the socket.
func run(
    _ arguments: [String], on client: FakeMachinesClient, json: Bool = false, stdin: StandardInput = .bytes([])
) async throws -> CLIOutput {
    try await cliVerb(arguments).execute(on: client, context: MachinesCommandContext(json: json, standardInput: stdin))
}

/// The usage error a command line gives, as ArgumentParser prints it; nil when it parses.
func usageError(_ arguments: [String]) -> String? {
    do {
        _ = try CLIRoot.parseAsRoot(arguments)
        return nil
    } catch {
        return CLIRoot.message(for: error)
    }
}

/// What `flygate` prints and exits with when a verb fails with `error` (the daemon's status).
func failure(of arguments: [String], _ error: RPCError, stdin: StandardInput = .bytes([])) async throws -> CLIOutput {
    let client = FakeMachinesClient(Dictionary(uniqueKeysWithValues: MachinesRPC.allCases.map { ($0, [FakeMachinesClient.Answer.failure(error)]) }))
    do {
        let output = try await run(arguments, on: client, stdin: stdin)
        Issue.record("\(arguments) did not fail: \(output)")
        return output
    } catch {
        return MachinesCommandContext.failure(error)
    }
}
