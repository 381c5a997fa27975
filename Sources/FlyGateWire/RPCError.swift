/// An error that travels as a ttrpc status: a code, a message and optional details.
///
/// The ``cause`` is for logs only and never goes on the wire.
package struct RPCError: Error, Sendable, CustomStringConvertible {
    /// The status code; never ``RPCStatusCode/ok``.
    package var code: RPCStatusCode
    /// A message for the caller.
    package var message: String
    /// Structured details (google.protobuf.Any), sent as `Status.details`.
    package var details: [Ttrpc_Any]
    /// The underlying error, for logs; not sent.
    package var cause: (any Error)?

    /// Creates an error from its parts.
    package init(code: RPCStatusCode, message: String, details: [Ttrpc_Any] = [], cause: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.details = details
        self.cause = cause
    }

    /// The error a non-OK status on the wire stands for.
    package init(status: Ttrpc_Status) {
        self.init(code: RPCStatusCode(wireValue: status.code), message: status.message, details: status.details)
    }

    /// The status to put on the wire (the cause left out).
    package var status: Ttrpc_Status {
        var status = Ttrpc_Status()
        status.code = self.code.rawValue
        status.message = self.message
        status.details = self.details
        return status
    }

    /// `CODE: message`, plus the cause when there is one.
    package var description: String {
        var text = "\(self.code.name): \(self.message)"
        if let cause = self.cause {
            text += " (cause: \(String(reflecting: cause)))"
        }
        return text
    }
}

/// An error that knows which status it is on the wire.
///
/// Other modules' errors conform; the dispatcher turns any thrown error into a status in one
/// place, and errors that do not conform become INTERNAL with a generic message.
package protocol RPCErrorConvertible: Error {
    /// The status this error is sent as.
    var rpcError: RPCError { get }
}

extension RPCError: RPCErrorConvertible {
    /// Itself.
    package var rpcError: RPCError { self }
}
