import FlyGateJSON

/// One HTTP answer: a status, an optional JSON body, and extra headers.
package struct SimulatorResponse: Sendable {
    /// The HTTP status code.
    package var status: Int
    /// The body; nil sends no body (204, and the empty answers).
    package var body: JSONValue?
    /// Extra headers.
    package var headers: [(String, String)] = []

    /// A JSON answer.
    package static func json(_ body: JSONValue, status: Int = 200) -> SimulatorResponse {
        SimulatorResponse(status: status, body: body)
    }

    /// `204 No Content`.
    package static let noContent = SimulatorResponse(status: 204, body: nil)

    /// The `{"ok":true}` that Fly's docs show for the operations the document gives no body.
    package static let ok = SimulatorResponse(status: 200, body: ["ok": true])

    /// The answer for a refusal.
    package init(_ error: SimulatorError) {
        self.init(status: error.status, body: error.body, headers: error.headers)
    }

    /// An answer from its parts.
    package init(status: Int, body: JSONValue?, headers: [(String, String)] = []) {
        self.status = status
        self.body = body
        self.headers = headers
    }
}
