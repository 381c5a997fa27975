import FlyGateCore
import FlyGateJSON
import Logging
import Testing

/// The daemon's log lines (``LogLine``): caller-supplied strings in a message or metadata never
/// reach standard error raw.
@Suite struct LoggingEscapeTests {
    static let hostile = "m1\u{1b}]0;pwned\u{07}\u{9b}2J\u{202e}\r\n2025-01-01 error forged: line"

    @Test("a text line escapes the message and every metadata key and value, and stays one line")
    func textLine() {
        let line = LogLine.text(
            time: "2025-01-01T00:00:00.000Z", level: .info, label: "flygate", message: "lease booked \(Self.hostile)",
            metadata: ["flygate.machine": "\(Self.hostile)", "flygate.app\u{1b}": .array(["\(Self.hostile)"])])
        #expect(!line.unicodeScalars.contains(where: TerminalText.isUnsafe), "\(line.debugDescription)")
        #expect(!line.contains("\n"))
        #expect(line.contains(#"flygate.machine=m1\u{1b}]0;pwned\u{7}\u{9b}2J\u{202e}\u{d}\u{a}2025-01-01 error forged: line"#), "\(line)")
        #expect(line.contains(#"flygate.app\u{1b}="#))
        #expect(line.hasPrefix(#"2025-01-01T00:00:00.000Z info flygate: lease booked m1\u{1b}]0;"#))
    }

    @Test("a JSON line is escaped by JSON, terminal-safe, and reads back to the exact strings")
    func jsonLine() throws {
        let line = LogLine.json(
            time: "t", level: .warning, label: "flygate", message: Self.hostile, metadata: ["flygate.machine": "\(Self.hostile)"])
        #expect(!line.unicodeScalars.contains(where: TerminalText.isUnsafe), "\(line.debugDescription)")
        let value = try JSONValue(parsing: Array(line.utf8))
        #expect(value["message"]?.stringValue == Self.hostile && value["flygate.machine"]?.stringValue == Self.hostile)
        #expect(value["level"] == "warning" && value["logger"] == "flygate")
    }
}
