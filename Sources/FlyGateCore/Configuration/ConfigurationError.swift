/// A configuration value that cannot be used, naming the field and where it came from.
package struct ConfigurationError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The field, as the config file names it (`socket.max_frame_bytes`).
    package var field: String
    /// Where the value came from (`config file /etc/flygate/config.json`, `FLYGATE_SOCKET`, `--socket`).
    package var source: String
    package var message: String

    package init(field: String, source: String, message: String) {
        self.field = field
        self.source = source
        self.message = message
    }

    package var description: String {
        "invalid configuration: \(field) (from \(source)): \(message)"
    }
}
