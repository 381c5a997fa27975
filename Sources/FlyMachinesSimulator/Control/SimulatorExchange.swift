/// One served request, as recorded for tests (`Configuration.recordExchanges`).
package struct SimulatorExchange: Sendable {
    /// The operation.
    package var operation: SimulatorOperation
    /// The HTTP method.
    package var method: String
    /// The path as sent, without the query.
    package var uri: String
    /// The query parameters, percent-decoded, in order.
    package var query: [(name: String, value: String)] = []
    /// The answer's status.
    package var status: Int
    /// The request body as sent.
    package var requestBody: [UInt8]
    /// The answer's body as sent (empty for none).
    package var responseBody: [UInt8]

    /// An exchange as recorded (tests also make their own, to check a checker).
    package init(
        operation: SimulatorOperation, method: String, uri: String, query: [(name: String, value: String)] = [],
        status: Int, requestBody: [UInt8], responseBody: [UInt8]
    ) {
        self.operation = operation
        self.method = method
        self.uri = uri
        self.query = query
        self.status = status
        self.requestBody = requestBody
        self.responseBody = responseBody
    }
}
