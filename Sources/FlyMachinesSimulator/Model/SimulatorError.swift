import FlyGateJSON

/// A refusal with Fly's status code and body: `{"error": …}` or the lease envelope.
package struct SimulatorError: Error, Sendable {
    /// The HTTP status.
    package var status: Int
    /// The JSON body Fly sends for it.
    package var body: JSONValue
    /// Extra response headers, e.g. `retry-after`.
    package var headers: [(String, String)] = []

    /// Fly's usual error body, `{"error": message}`.
    package static func fly(_ status: Int, _ message: String) -> SimulatorError {
        SimulatorError(status: status, body: ["error": .string(message)])
    }

    /// The lease envelope for lease errors: `{"status":"error","message":…,"code":…}`.
    package static func lease(_ status: Int, _ message: String, code: String) -> SimulatorError {
        SimulatorError(status: status, body: ["status": "error", "message": .string(message), "code": .string(code)])
    }

    /// 404 for a machine that is not in the app.
    package static func machineNotFound(_ id: String) -> SimulatorError {
        .fly(404, "machine not found: \(id)")
    }

    /// 404 for an app that does not exist (FLYGO matches this exact text).
    package static func appNotFound(_ name: String) -> SimulatorError {
        .fly(404, "app not found")
    }

    /// 404 for a resource of an app (`volume`, `secret`, …) that does not exist.
    package static func notFound(_ what: String, _ name: String) -> SimulatorError {
        .fly(404, "\(what) not found: \(name)")
    }

    /// 422 for a request the document calls unprocessable (a certificate that cannot be issued or read).
    package static func unprocessable(_ message: String) -> SimulatorError {
        .fly(422, message)
    }

    /// 400 for a malformed argument, with the gRPC-style prefix Fly uses.
    package static func invalidArgument(_ message: String) -> SimulatorError {
        .fly(400, "invalid_argument: \(message)")
    }

    /// 412 for an operation the machine's state does not allow.
    package static func failedPrecondition(_ message: String) -> SimulatorError {
        .fly(412, "failed_precondition: \(message)")
    }
}
