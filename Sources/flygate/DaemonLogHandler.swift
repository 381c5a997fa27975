import FlyGateCore
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
/// per line for a service manager (`--log-format json`); ``LogLine`` escapes both.
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
        let line: String
        switch format {
        case .text: line = LogLine.text(time: time, level: event.level, label: label, message: event.message.description, metadata: merged)
        case .json: line = LogLine.json(time: time, level: event.level, label: label, message: event.message.description, metadata: merged)
        }
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}
