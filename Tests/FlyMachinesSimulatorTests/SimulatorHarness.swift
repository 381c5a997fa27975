import AsyncHTTPClient
import FlyGateJSON
import FlyMachinesSimulator
import NIOCore
import NIOHTTP1
import Testing

/// The bytes of a byte-string member as the simulator answers it (the document's integer array).
func byteArray(_ value: JSONValue?) -> [UInt8] {
    (value?.arrayValue ?? []).compactMap { $0.int64Value.flatMap { UInt8(exactly: $0) } }
}

/// The document's integer-array form of `bytes`.
func byteJSON(_ bytes: some Sequence<UInt8>) -> JSONValue {
    .array(bytes.map { .int($0) })
}

/// One answer as a test sees it.
struct TestResponse: Sendable {
    var status: Int
    var headers: HTTPHeaders
    var bytes: [UInt8]

    /// The body as JSON; fails the test when it is not.
    var json: JSONValue {
        get throws { try JSONValue(parsing: bytes) }
    }

    var text: String { String(decoding: bytes, as: UTF8.self) }
}

/// A running simulator plus an HTTP client pointed at it.
struct SimulatorHarness: Sendable {
    let simulator: FlyMachinesSimulator
    let baseURL: String
    var authorization = "Bearer test-token"

    /// Runs `body` against a fresh simulator: rate limits off and fast transitions unless `configure` says otherwise.
    static func with(
        _ configure: (inout FlyMachinesSimulator.Configuration) -> Void = { _ in },
        _ body: (SimulatorHarness) async throws -> Void
    ) async throws {
        var configuration = FlyMachinesSimulator.Configuration.defaults
        configuration.rateLimits = false
        configuration.transitionDelay = .milliseconds(15)
        configure(&configuration)
        let simulator = FlyMachinesSimulator(configuration: configuration)
        try await simulator.withRunning { simulator in
            let harness = SimulatorHarness(simulator: simulator, baseURL: try #require(simulator.baseURL))
            try await body(harness)
        }
    }

    /// Sends one request; `path` is relative to `/v1`.
    func send(
        _ method: HTTPMethod, _ path: String, json: JSONValue? = nil, rawBody: String? = nil,
        headers: [(String, String)] = [], authorization: String? = nil, timeout: TimeAmount = .seconds(30)
    ) async throws -> TestResponse {
        var request = HTTPClientRequest(url: baseURL + "/v1" + path)
        request.method = method
        let header = authorization ?? self.authorization
        if !header.isEmpty {
            request.headers.add(name: "authorization", value: header)
        }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let text = rawBody ?? json?.serialized {
            request.headers.add(name: "content-type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: text))
        }
        let response = try await HTTPClient.shared.execute(request, timeout: timeout)
        let body = try await response.body.collect(upTo: 8 << 20)
        return TestResponse(status: Int(response.status.code), headers: response.headers, bytes: Array(body.readableBytesView))
    }

    /// Creates an app in `org` through `Apps_create` and returns its `App` JSON.
    @discardableResult
    func createApp(_ name: String, org: String = "personal") async throws -> JSONValue {
        let response = try await send(.POST, "/apps", json: ["name": .string(name), "org_slug": .string(org)])
        try #require(response.status == 201, "create app answered \(response.status): \(response.text)")
        return try response.json
    }

    /// Sends a request whose answer must have `status`; returns it.
    @discardableResult
    func expect(
        _ status: Int, _ method: HTTPMethod, _ path: String, json: JSONValue? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> TestResponse {
        let response = try await send(method, path, json: json)
        #expect(response.status == status, "\(method) \(path): \(response.text)", sourceLocation: sourceLocation)
        return response
    }

    /// Creates a machine in `app` and returns its JSON.
    func createMachine(
        app: String = "demo", image: String = "registry.fly.io/demo:deployment-1", extra: JSONValue = [:]
    ) async throws -> JSONValue {
        let config: JSONValue = ["image": .string(image), "guest": ["cpus": 1, "memory_mb": 512]]
        var body = JSONObject([(key: "config", value: config)])
        for member in extra.objectValue?.members ?? [] { body[member.key] = member.value }
        let response = try await send(.POST, "/apps/\(app)/machines", json: .object(body))
        try #require(response.status == 200, "create answered \(response.status): \(response.text)")
        return try response.json
    }

    /// Creates a machine and waits until it is started; returns its id.
    func startedMachine(app: String = "demo", config extra: JSONValue = [:]) async throws -> String {
        let machine = try await createMachine(app: app, extra: extra)
        let id = try #require(machine["id"]?.stringValue)
        let wait = try await send(.GET, "/apps/\(app)/machines/\(id)/wait?state=started&timeout=10")
        try #require(wait.status == 200, "wait answered \(wait.status): \(wait.text)")
        return id
    }

    /// Waits for `state` and returns the wait answer.
    func wait(_ app: String, _ id: String, _ state: String, extra: String = "") async throws -> TestResponse {
        try await send(.GET, "/apps/\(app)/machines/\(id)/wait?state=\(state)&timeout=10\(extra)")
    }

    /// The machine's current state.
    func state(_ app: String, _ id: String) async throws -> String? {
        try await send(.GET, "/apps/\(app)/machines/\(id)").json["state"]?.stringValue
    }
}
