/// Why the audit log could not do what was asked; the message says what and where.
package struct AuditError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    package enum Code: Sendable, Equatable {
        /// A read, write, sync, rename or open failed.
        case io
        /// The log was removed, replaced or broken earlier; nothing more is written until restart.
        case unavailable
        /// An existing log's last record cannot be read, so the chain cannot be continued.
        case invalidLog
    }

    package var code: Code
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }
}
