import ArgumentParser
import FlyMachinesProto
import Foundation

/// The machine config a user gives: a Fly MachineConfig JSON file and/or flags for the common
/// fields. Flags change only what they name; everything else in the config is kept as it was.
package struct MachineConfigFlags: ParsableArguments {
    @Option(help: ArgumentHelp("A Fly MachineConfig as JSON (the `config` member of Fly's create request); `-` reads stdin.", valueName: "file"))
    package var config: String?
    @Option(help: "The image to run, e.g. nginx:1.27.") package var image: String?
    @Option(help: ArgumentHelp("Set an environment variable; repeat for more.", valueName: "KEY=VALUE")) package var env: [KeyValueArgument] = []
    @Option(help: ArgumentHelp("Set a config metadata entry; repeat for more.", valueName: "KEY=VALUE")) package var metadata: [KeyValueArgument] = []
    @Option(help: "Number of CPUs.") package var cpus: Int64?
    @Option(help: "Memory in MB.") package var memoryMb: Int64?
    @Option(help: "CPU kind: shared or performance.") package var cpuKind: String?

    package init() {}

    package func validate() throws {
        if let cpus, cpus < 1 { throw ValidationError("--cpus must be at least 1") }
        if let memoryMb, memoryMb < 1 { throw ValidationError("--memory-mb must be at least 1") }
        if let image, image.isEmpty { throw ValidationError("--image must not be empty") }
        for pair in env + metadata where pair.key.contains(where: \.isWhitespace) {
            throw ValidationError("a KEY must not contain blanks: '\(TableFormatter.sanitized(pair.key))'")
        }
    }

    /// True when any flag (not `--config`) asks for a change.
    package var changesFields: Bool {
        image != nil || !env.isEmpty || !metadata.isEmpty || cpus != nil || memoryMb != nil || cpuKind != nil
    }

    /// Sets the fields the flags name on `config`, leaving every other field and member alone.
    package func apply(to config: inout Flygate_Machines_V1_MachineConfig) {
        if let image { config.image = image }
        for pair in env { config.env[pair.key] = pair.value }
        for pair in metadata { config.metadata[pair.key] = pair.value }
        if let cpus { config.guest.cpus = cpus }
        if let memoryMb { config.guest.memoryMb = memoryMb }
        if let cpuKind { config.guest.cpuKind = cpuKind }
    }

    /// The config in `--config`, or nil without one. Throws a usage error for an unreadable file
    /// or JSON that is not a MachineConfig object.
    package func loadConfig(readStandardInput: () -> Data = { FileHandle.standardInput.readDataToEndOfFile() }) throws
        -> Flygate_Machines_V1_MachineConfig?
    {
        guard let path = config else { return nil }
        let data: Data
        if path == "-" {
            data = readStandardInput()
        } else {
            guard let contents = FileManager.default.contents(atPath: path) else {
                throw ValidationError("cannot read --config \(path)")
            }
            data = contents
        }
        return try Self.parseConfig(Array(data), source: path)
    }

    /// A MachineConfig from JSON text; a usage error names `source` when it is not one.
    package static func parseConfig(_ bytes: [UInt8], source: String) throws -> Flygate_Machines_V1_MachineConfig {
        do {
            return try Flygate_Machines_V1_MachineConfig(jsonBytes: bytes)
        } catch {
            throw ValidationError("--config \(source) is not a Fly MachineConfig: \(error.description)")
        }
    }
}
