// flygate: the executable. The only module that reads flags, files and the environment.

import ArgumentParser
import FlyGateCLI

/// `flygate`: the root command (run by ``FlyGateMain``).
struct FlyGateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flygate",
        abstract: "Holds the Fly API token and serves every Machines API operation on a Unix socket.",
        subcommands: [ServeCommand.self, SimulatorCommand.self] + CLICommandGroups.all + [AuditCommand.self]
    )
}
