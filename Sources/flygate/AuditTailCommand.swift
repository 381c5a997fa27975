import ArgumentParser
import FlyGateCore
import FlyGateJSON
import Foundation

/// `flygate audit tail [-f] [-n N] [FILE]`: the newest records, readably.
struct AuditTailCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tail",
        abstract: "Print the newest audit records readably (time, peer, method, machine, outcome, duration)."
    )

    @Argument(help: "The audit log file (default: the configured log).")
    var file: String?

    @Flag(name: .shortAndLong, help: "Keep printing records as they are written (follows rotation).")
    var follow = false

    @Option(name: [.customShort("n"), .long], help: "How many records to print first.")
    var lines = 20

    @Flag(help: "Print the raw JSON lines.")
    var json = false

    func run() async throws {
        let path = try file ?? AuditCommand.configuredPath()
        guard let data = FileManager.default.contents(atPath: path) else {
            FileHandle.standardError.write(Data("flygate: cannot read \(path)\n".utf8))
            throw ExitCode(64)
        }
        var offset = data.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
        let complete = data[..<offset].split(separator: UInt8(ascii: "\n"))
        for line in complete.suffix(max(0, lines)) { emit(Array(line)) }
        guard follow else { return }
        var identity = Self.identity(path)
        while true {
            try await Task.sleep(for: .milliseconds(250))
            if let now = Self.identity(path), now != identity {  // rotated: start the new file from its beginning
                identity = now
                offset = 0
            }
            guard let current = FileManager.default.contents(atPath: path), current.count > offset else { continue }
            let fresh = current[offset...]
            guard let end = fresh.lastIndex(of: UInt8(ascii: "\n")) else { continue }
            for line in current[offset..<end].split(separator: UInt8(ascii: "\n")) { emit(Array(line)) }
            offset = end + 1
        }
    }

    private func emit(_ line: [UInt8]) {
        if json {
            print(AuditRecordText.json(line))
        } else if let value = try? JSONValue(parsing: line) {
            print(AuditRecordText.line(value))
        } else {
            print(AuditRecordText.raw(line))
        }
    }

    private static func identity(_ path: String) -> UInt64? {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.systemFileNumber] as? NSNumber)?.uint64Value
    }
}
