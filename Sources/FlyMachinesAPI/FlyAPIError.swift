/// The one error of the upstream client: a google.rpc-style code, Fly's own text, and what the
/// HTTP exchange told us. The daemon maps it to a wire status in one place.
package struct FlyAPIError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, named like google.rpc codes.
    package enum Code: String, Sendable, CaseIterable {
        case cancelled = "CANCELLED"
        case unknown = "UNKNOWN"
        case invalidArgument = "INVALID_ARGUMENT"
        case deadlineExceeded = "DEADLINE_EXCEEDED"
        case notFound = "NOT_FOUND"
        case alreadyExists = "ALREADY_EXISTS"
        case permissionDenied = "PERMISSION_DENIED"
        case resourceExhausted = "RESOURCE_EXHAUSTED"
        case failedPrecondition = "FAILED_PRECONDITION"
        case aborted = "ABORTED"
        case outOfRange = "OUT_OF_RANGE"
        case unimplemented = "UNIMPLEMENTED"
        case `internal` = "INTERNAL"
        case unavailable = "UNAVAILABLE"
        case dataLoss = "DATA_LOSS"
        case unauthenticated = "UNAUTHENTICATED"
    }

    /// The code.
    package var code: Code
    /// Fly's error text (sanitized, bounded) or ours.
    package var message: String
    /// The HTTP status of the last answer, when there was one.
    package var httpStatus: Int?
    /// The `fly-request-id` of the last answer, when there was one.
    package var flyRequestID: String?
    /// HTTP requests sent for this call (0 when refused before any traffic).
    package var attempts: Int
    /// When a retry may succeed (rate limits), if known.
    package var retryAfter: Duration?
    /// The underlying error (transport, JSON), for logs; never shown to a client.
    package var cause: (any Error & Sendable)?

    /// Every field; only `code` and `message` are required.
    package init(
        code: Code, message: String, httpStatus: Int? = nil, flyRequestID: String? = nil, attempts: Int = 0,
        retryAfter: Duration? = nil, cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.flyRequestID = flyRequestID
        self.attempts = attempts
        self.retryAfter = retryAfter
        self.cause = cause
    }

    /// A bad identifier or argument, refused before any traffic.
    package static func invalidArgument(_ message: String) -> FlyAPIError {
        FlyAPIError(code: .invalidArgument, message: message)
    }

    /// A configuration that cannot work (bad base URL, unreadable or unsafe token file).
    package static func configuration(_ message: String) -> FlyAPIError {
        FlyAPIError(code: .failedPrecondition, message: "configuration: " + message)
    }

    /// `CODE: message (HTTP n, fly-request-id x, attempts k)`.
    package var description: String {
        var details: [String] = []
        if let httpStatus { details.append("HTTP \(httpStatus)") }
        if let flyRequestID { details.append("fly-request-id \(flyRequestID)") }
        details.append("attempts \(attempts)")
        if let retryAfter { details.append("retry after \(retryAfter)") }
        if let cause { details.append("cause: \(cause)") }
        return "\(code.rawValue): \(message) (\(details.joined(separator: ", ")))"
    }
}
