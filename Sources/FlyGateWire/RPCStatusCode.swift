/// A google.rpc status code, as carried in `ttrpc.Status.code`.
package enum RPCStatusCode: Int32, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// Not an error.
    case ok = 0
    /// The caller cancelled the call.
    case cancelled = 1
    /// An error with no better code.
    case unknown = 2
    /// The caller sent an argument that is wrong regardless of state.
    case invalidArgument = 3
    /// The deadline passed before the call finished.
    case deadlineExceeded = 4
    /// The thing asked for does not exist.
    case notFound = 5
    /// The thing to create already exists.
    case alreadyExists = 6
    /// The caller may not do this.
    case permissionDenied = 7
    /// A limit was hit: size, rate, in-flight calls.
    case resourceExhausted = 8
    /// The state does not allow this now; do not retry until it changes.
    case failedPrecondition = 9
    /// A concurrency conflict; retry the whole read-modify-write.
    case aborted = 10
    /// A value past the valid range.
    case outOfRange = 11
    /// No such service or method.
    case unimplemented = 12
    /// A broken invariant in the server.
    case internalError = 13
    /// Transiently unavailable; retry the call.
    case unavailable = 14
    /// Unrecoverable data loss or corruption.
    case dataLoss = 15
    /// The caller could not be authenticated.
    case unauthenticated = 16

    /// The code for a raw wire value; values outside google.rpc become ``unknown``.
    package init(wireValue: Int32) {
        self = RPCStatusCode(rawValue: wireValue) ?? .unknown
    }

    /// The canonical name, e.g. `INVALID_ARGUMENT`.
    package var name: String {
        switch self {
        case .ok: "OK"
        case .cancelled: "CANCELLED"
        case .unknown: "UNKNOWN"
        case .invalidArgument: "INVALID_ARGUMENT"
        case .deadlineExceeded: "DEADLINE_EXCEEDED"
        case .notFound: "NOT_FOUND"
        case .alreadyExists: "ALREADY_EXISTS"
        case .permissionDenied: "PERMISSION_DENIED"
        case .resourceExhausted: "RESOURCE_EXHAUSTED"
        case .failedPrecondition: "FAILED_PRECONDITION"
        case .aborted: "ABORTED"
        case .outOfRange: "OUT_OF_RANGE"
        case .unimplemented: "UNIMPLEMENTED"
        case .internalError: "INTERNAL"
        case .unavailable: "UNAVAILABLE"
        case .dataLoss: "DATA_LOSS"
        case .unauthenticated: "UNAUTHENTICATED"
        }
    }

    /// The canonical name.
    package var description: String { self.name }
}
