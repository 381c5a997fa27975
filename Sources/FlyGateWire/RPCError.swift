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

extension RPCError {
    /// The status any thrown error is sent as: the one mapping from errors to the wire, used by
    /// the server and by every stage that needs to know how a call ended.
    ///
    /// ``RPCErrorConvertible`` errors keep their status, cancellation is CANCELLED, and anything
    /// else is INTERNAL with a generic message (its cause kept for the log, never sent).
    package init(converting error: any Error) {
        switch error {
        case let convertible as any RPCErrorConvertible:
            self = convertible.rpcError
        case is CancellationError:
            self.init(code: .cancelled, message: "call cancelled")
        default:
            self.init(code: .internalError, message: "internal error", cause: error)
        }
    }

    /// Whether `error` is one the mapping knows (an ``RPCErrorConvertible`` or a cancellation),
    /// as opposed to an unexpected error that becomes INTERNAL.
    package static func isExpected(_ error: any Error) -> Bool {
        error is any RPCErrorConvertible || error is CancellationError
    }
}
