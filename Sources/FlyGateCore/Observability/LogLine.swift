import FlyGateJSON
import Logging

/// One log event as the daemon writes it to standard error: a readable text line, or one JSON
/// object. The executable's log handler calls it; it lives here so that it is tested.
///
/// Text lines escape every character a terminal acts on (``TerminalText``) in the message and in
/// every metadata key and value: metadata carries caller-supplied strings (app and machine names,
/// Fly's error messages), and a line must stay one line that cannot drive the terminal. JSON
/// lines are escaped by JSON, and written terminal-safe (C1 and bidi characters as `\uXXXX` too).
package enum LogLine {
    /// The text form: `time level label: message key=value…`, keys sorted.
    package static func text(time: String, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var line = "\(time) \(level) \(TerminalText.escaped(label)): \(TerminalText.escaped(message))"
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            line += " \(TerminalText.escaped(key))=\(TerminalText.escaped(value.description))"
        }
        return line
    }

    /// The JSON form: time, level, logger, message, then the metadata keys sorted.
    package static func json(time: String, level: Logger.Level, label: String, message: String, metadata: Logger.Metadata) -> String {
        var object = JSONObject()
        object.append("time", .string(time))
        object.append("level", .string(level.rawValue))
        object.append("logger", .string(label))
        object.append("message", .string(message))
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) { object.append(key, json(value)) }
        return JSONValue.object(object).terminalSafeSerialized
    }

    private static func json(_ value: Logger.Metadata.Value) -> JSONValue {
        switch value {
        case .string(let text): .string(text)
        case .stringConvertible(let convertible): .string(convertible.description)
        case .array(let items): .array(items.map(json))
        case .dictionary(let entries): .object(JSONObject(entries.sorted { $0.key < $1.key }.map { (key: $0.key, value: json($0.value)) }))
        }
    }
}
