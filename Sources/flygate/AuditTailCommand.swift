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
        guard !json, let value = try? JSONValue(parsing: line) else {
            print(String(decoding: line, as: UTF8.self))
            return
        }
        print(Self.format(value))
    }

    /// One record as a line: time, seq, stage, peer, method, app/machine, outcome, duration.
    static func format(_ record: JSONValue) -> String {
        let stage = record["stage"]?.stringValue ?? "?"
        var parts = [record["time"]?.stringValue ?? "-", "#\(record["seq"]?.description ?? "?")", stage.padding(toLength: 9, withPad: " ", startingAt: 0)]
        if let peer = record["peer"] {
            let exe = peer["exe"]?.stringValue ?? "?"
            parts.append("uid=\(peer["uid"]?.description ?? "?") pid=\(peer["pid"]?.description ?? "?") \(exe)")
        }
        if let method = record["method"]?.stringValue {
            let target = [record["org"]?.stringValue, record["app"]?.stringValue, record["machine"]?.stringValue]
                .compactMap { $0 }.joined(separator: "/")
            parts.append("\(method) \(target)")
            if let args = record["args"]?.objectValue, !args.isEmpty { parts.append(JSONValue.object(args).serialized) }
        }
        if let outcome = record["outcome"] {
            var text = outcome["code"]?.stringValue ?? "?"
            if let http = outcome["http_status"], !http.isNull { text += " \(http)" }
            if let message = outcome["message"]?.stringValue { text += " \"\(message)\"" }
            parts.append(text)
        }
        if record["coalesced"]?.boolValue == true { parts.append("coalesced") }
        if record["cache_hit"]?.boolValue == true { parts.append("cached") }
        if let micros = record["duration_us"]?.int64Value { parts.append(String(format: "%.1fms", Double(micros) / 1000)) }
        for key in ["previous_file", "torn_bytes", "daemon_pid"] { if let value = record[key] { parts.append("\(key)=\(value)") } }
        return parts.joined(separator: "  ")
    }

    private static func identity(_ path: String) -> UInt64? {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.systemFileNumber] as? NSNumber)?.uint64Value
    }
}
