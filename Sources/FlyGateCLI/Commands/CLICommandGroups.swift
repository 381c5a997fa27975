import ArgumentParser

/// The command groups for people that the executable registers under `flygate`.
package enum CLICommandGroups {
    /// The groups in the order `flygate --help` lists them: one per generated service (`ips`
    /// has the IP rpcs of Apps), then the daemon's own.
    package static let all: [any ParsableCommand.Type] = [
        MachinesCommand.self, AppsCommand.self, VolumesCommand.self, SecretsCommand.self, CertsCommand.self,
        IPsCommand.self, RegionsCommand.self, StatusCommand.self, LeasesCommand.self,
    ]
}
