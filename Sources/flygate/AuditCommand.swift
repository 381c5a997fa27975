import ArgumentParser
import FlyGateCore
import Foundation

/// `flygate audit`: check and read the audit log.
struct AuditCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Verify or read the daemon's audit log.",
        subcommands: [AuditVerifyCommand.self, AuditTailCommand.self]
    )

    /// The configured audit log path (config file, environment, defaults), as `serve` would use it.
    static func configuredPath() throws -> String {
        let loaded = try LoadedConfiguration.load(flags: [], configPath: nil, environment: ProcessInfo.processInfo.environment)
        return loaded.configuration.auditLogPath
    }
}
