/// Why the socket server could not start or keep listening.
package struct ServerError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    package enum Code: Sendable, Hashable {
        /// The configuration is not usable.
        case invalidConfiguration
        /// Another live process answers on the socket path.
        case socketInUse
        /// The socket file or its directory could not be prepared.
        case socketFile
        /// The peer's credentials could not be read.
        case peerCredentials
    }

    /// What kind of failure this is.
    package var code: Code
    /// What happened, for an operator.
    package var message: String
    /// The underlying error, if any.
    package var cause: (any Error)?

    /// Creates an error from its parts.
    package init(code: Code, message: String, cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.cause = cause
    }

    /// The message, plus the cause when there is one.
    package var description: String {
        guard let cause = self.cause else { return self.message }
        return "\(self.message) (\(cause))"
    }
}
