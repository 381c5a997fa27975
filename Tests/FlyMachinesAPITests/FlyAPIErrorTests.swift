import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Testing

@Suite("FlyAPIError: status mapping and Fly's error text")
struct FlyAPIErrorTests {
    /// DESIGN.md's table plus our documented choices for the rest.
    static let table: [(Int, FlyAPIError.Code)] = [
        (400, .invalidArgument), (422, .invalidArgument), (401, .unauthenticated), (403, .permissionDenied),
        (404, .notFound), (408, .deadlineExceeded), (409, .failedPrecondition), (412, .failedPrecondition),
        (429, .resourceExhausted), (500, .unavailable), (501, .unavailable), (502, .unavailable),
        (503, .unavailable), (504, .unavailable), (599, .unavailable), (405, .unimplemented), (410, .notFound),
        (413, .invalidArgument), (418, .failedPrecondition), (451, .failedPrecondition), (100, .unknown),
        (302, .unknown), (304, .unknown), (700, .unknown),
    ]

    @Test("every HTTP status maps to its code", arguments: table)
    func mapping(status: Int, code: FlyAPIError.Code) {
        #expect(FlyAPIError.Code(httpStatus: status) == code)
    }

    /// Statuses the simulator can inject (it needs a status line NIO and AHC accept as final).
    static let injected: [Int] = [400, 401, 403, 404, 405, 408, 409, 410, 412, 413, 418, 422, 429, 500, 501, 502, 503, 504, 302]

    @Test(
        "an answer with each status becomes FlyAPIError with that code, status, Fly's text and request id",
        .timeLimit(.minutes(1)), arguments: injected)
    func overHTTP(status: Int) async throws {
        try await ClientHarness.with(client: { $0.retry.maxAttempts = 1 }) { harness in
            let id = try harness.seed(app: "errors")
            harness.simulator.faults.errorRate = 1
            harness.simulator.faults.errorStatus = status
            harness.simulator.faults.onlyOperations = [.show]
            var show = Flygate_Machines_V1_ShowRequest()
            (show.appName, show.machineID) = ("errors", id)
            let error = try #require(await #expect(throws: FlyAPIError.self) { try await harness.client.show(show) })
            #expect(error.code == FlyAPIError.Code(httpStatus: status))
            #expect(error.httpStatus == status)
            #expect(error.message == "unavailable: injected fault (HTTP \(status))")
            #expect(error.flyRequestID?.hasSuffix("-iad") == true)
            #expect(error.attempts == 1)
            #expect(harness.simulator.requestCount(for: .show) == 1)
        }
    }

    @Test("a real 404 keeps Fly's text")
    func realNotFound() async throws {
        try await ClientHarness.with { harness in
            var show = Flygate_Machines_V1_ShowRequest()
            (show.appName, show.machineID) = ("errors", "0123456789abcd")
            let error = try #require(await #expect(throws: FlyAPIError.self) { try await harness.client.show(show) })
            #expect(error.code == .notFound)
            #expect(error.message.contains("0123456789abcd"))
        }
    }

    @Test("message is preferred over error, error is used alone, JSON without either is excerpted")
    func jsonText() {
        let both = Array(#"{"status":"error","message":"lease currently held","error":"other","code":"invalid"}"#.utf8)
        #expect(FlyErrorText.message(status: 409, body: both) == "lease currently held")
        let errorOnly = Array(#"{"error":"Authenticate: token validation error"}"#.utf8)
        #expect(FlyErrorText.message(status: 401, body: errorOnly) == "Authenticate: token validation error")
        let emptyMessage = Array(#"{"message":"","error":"name taken"}"#.utf8)
        #expect(FlyErrorText.message(status: 422, body: emptyMessage) == "name taken")
        let neither = Array(#"{"detail":"x"}"#.utf8)
        #expect(FlyErrorText.message(status: 400, body: neither) == #"{"detail":"x"}"#)
    }

    @Test("plain bodies are excerpted to 200 bytes with control characters stripped; empty gives HTTP n")
    func plainText() {
        let long = Array(("<html>bad gateway\u{1B}[31m\r\n" + String(repeating: "é", count: 300)).utf8)
        let text = FlyErrorText.message(status: 502, body: long)
        #expect(text.utf8.count <= 200 + "…".utf8.count)
        #expect(text.hasPrefix("<html>bad gateway[31m"))
        #expect(text.hasSuffix("…"))
        #expect(!text.unicodeScalars.contains { $0.properties.generalCategory == .control })
        #expect(FlyErrorText.message(status: 502, body: []) == "HTTP 502")
        #expect(FlyErrorText.message(status: 503, body: Array("\u{0}\u{7}  ".utf8)) == "HTTP 503")
    }
}
