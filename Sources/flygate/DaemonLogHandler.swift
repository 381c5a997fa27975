import FlyGateJSON
import Foundation
import Logging
import Synchronization

/// The log level in force, shared by every handler so SIGHUP can change it at run time.
final class LogLevelSwitch: Sendable {
    private let current: Mutex<Logger.Level>

    init(_ level: Logger.Level) {
        current = Mutex(level)
    }

    var level: Logger.Level {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }
}

/// Writes log events to standard error: one readable line for a terminal, or one JSON object
/// per line for a service manager (`--log-format json`).
struct DaemonLogHandler: LogHandler {
    enum Format: Sendable { case text, json }

    let label: String
    let format: Format
    let levelSwitch: LogLevelSwitch
    var metadata: Logger.Metadata = [:]
    var metadataProvider: Logger.MetadataProvider?

    var logLevel: Logger.Level {
        get { levelSwitch.level }
        set { levelSwitch.level = newValue }
    }

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        let time = Date().formatted(.iso8601.year().month().day().timeSeparator(.colon).time(includingFractionalSeconds: true))
        var line: String
        switch format {
        case .text:
            line = "\(time) \(event.level) \(label): \(event.message)"
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) { line += " \(key)=\(value)" }
        case .json:
            var object = JSONObject()
            object.append("time", .string(time))
            object.append("level", .string(event.level.rawValue))
            object.append("logger", .string(label))
            object.append("message", .string(event.message.description))
            for (key, value) in merged.sorted(by: { $0.key < $1.key }) { object.append(key, Self.json(value)) }
            line = JSONValue.object(object).serialized
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
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
