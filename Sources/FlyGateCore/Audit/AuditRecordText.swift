import FlyGateJSON
import Foundation

/// How `flygate audit tail` prints a record: one readable line whose caller-supplied parts
/// (app, machine, arguments, executable, Fly's message) are escaped with ``TerminalText``, so
/// no escape sequence in a record reaches the operator's terminal.
package enum AuditRecordText {
    /// One record as a line: time, seq, stage, peer, method, app/machine, outcome, duration.
    package static func line(_ record: JSONValue) -> String {
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
        // Escaped once, at the end: every part that came from a record is covered, whatever its key.
        return TerminalText.escaped(parts.joined(separator: "  "))
    }

    /// A line of the file as `--json` prints it: the record as written when it is safe to show
    /// (every record this daemon writes is), else re-serialized with the unsafe characters as
    /// JSON escapes (the same JSON value); a line that is not JSON is escaped as text.
    package static func json(_ line: [UInt8]) -> String {
        let text = String(decoding: line, as: UTF8.self)
        guard text.unicodeScalars.contains(where: TerminalText.isUnsafe) else { return text }
        guard let value = try? JSONValue(parsing: line) else { return TerminalText.escaped(text) }
        return value.terminalSafeSerialized
    }

    /// A line of the file that is not a JSON record, escaped.
    package static func raw(_ line: [UInt8]) -> String {
        TerminalText.escaped(String(decoding: line, as: UTF8.self))
    }
}
