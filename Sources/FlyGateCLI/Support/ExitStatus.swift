import FlyGateWire

/// The process exit codes of the CLI, one per kind of failure, mapped from the call's status.
package enum ExitStatus {
    /// Usage errors: ArgumentParser exits with EX_USAGE for bad arguments.
    package static let usage: Int32 = 64

    /// The exit code for a call that ended with `code`.
    package static func code(for code: RPCStatusCode) -> Int32 {
        switch code {
        case .ok: 0
        case .notFound: 3
        case .failedPrecondition, .aborted, .alreadyExists: 4
        case .unavailable: 5
        case .deadlineExceeded: 6
        case .permissionDenied, .unauthenticated: 7
        case .invalidArgument, .outOfRange: 8
        case .resourceExhausted: 9
        case .cancelled, .unknown, .unimplemented, .internalError, .dataLoss: 1
        }
    }

    /// The table for `--help`, written from ``code(for:)`` so the two never disagree.
    package static var helpTable: String {
        let groups: [(Int32, String)] = [
            (0, "success"),
            (1, "any other failure (INTERNAL, UNKNOWN, UNIMPLEMENTED, ...)"),
            (3, "NOT_FOUND: no such app, machine, lease or key"),
            (4, "FAILED_PRECONDITION, ABORTED (e.g. a lease held by another)"),
            (5, "UNAVAILABLE: the daemon is not running, or Fly is down"),
            (6, "DEADLINE_EXCEEDED: the call or the wait timed out"),
            (7, "PERMISSION_DENIED, UNAUTHENTICATED"),
            (8, "INVALID_ARGUMENT, OUT_OF_RANGE"),
            (9, "RESOURCE_EXHAUSTED: rate limited or too many calls"),
            (usage, "usage error: bad arguments or options"),
        ]
        return groups.map { code, meaning in
            "  " + String(code).padded(to: 4) + meaning
        }.joined(separator: "\n")
    }
}
