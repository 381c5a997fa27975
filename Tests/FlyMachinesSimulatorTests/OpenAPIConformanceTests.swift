import FlyGateJSON
import FlyGateTestSupport
import FlyMachinesSimulator
import Foundation
import Testing

/// Fly's OpenAPI document, read from `../shared/fly-machines-openapi.json` beside the package (never copied in).
/// The suites that need it run when it is present, and always under CI, where its absence fails them.
enum OpenAPIDocument {
    static var isRequired: Bool { SharedDocuments.openAPIRequired }

    static func load() throws -> JSONValue {
        try JSONValue(parsing: Array(try SharedDocuments.openAPI()))
    }
}

@Suite("OpenAPI conformance")
struct OpenAPIConformanceTests {
    @Test(
        "every request and answer of a scenario covering every operation conforms to the document",
        .enabled(if: OpenAPIDocument.isRequired, "Fly's OpenAPI document is not at ../shared/fly-machines-openapi.json"),
        .timeLimit(.minutes(1)))
    func scenarioConforms() async throws {
        let document = try OpenAPIDocument.load()
        try await SimulatorHarness.with { configuration in
            configuration.recordExchanges = true
        } _: { sim async throws in
            try await Self.runScenario(sim)
            try await Self.runResourceScenario(sim)
            let exchanges = sim.simulator.exchanges
            let succeeded = Set(exchanges.filter { (200..<300).contains($0.status) }.map(\.operation))
            let missing = Set(SimulatorOperation.allCases).subtracting(succeeded).map(\.rawValue).sorted()
            #expect(missing.isEmpty, "operations never answered 2xx: \(missing)")
            let checker = ConformanceChecker(document: document)
            var problems: [String] = []
            for exchange in exchanges { problems += checker.check(exchange) }
            let report = "\(problems.count) problems:\n" + problems.prefix(40).joined(separator: "\n")
            #expect(problems.isEmpty, "\(report)")
            #expect(exchanges.count > 140)
        }
    }

    /// Drives every operation, in success and in the documented failure cases.
    static func runScenario(_ sim: SimulatorHarness) async throws {
        let machine = try await sim.createMachine(extra: [
            "region": "ord", "lease_ttl": 5,
            "config": [
                "image": "registry.fly.io/demo:deployment-1", "env": ["A": "1"], "metadata": ["role": "web"],
                "guest": ["cpu_kind": "shared", "cpus": 1, "memory_mb": 256],
                "services": [["protocol": "tcp", "internal_port": 8080, "autostop": "stop", "autostart": true,
                              "ports": [["port": 443, "handlers": ["tls", "http"]]]]],
                "checks": ["alive": ["type": "tcp", "port": 8080, "interval": "15s", "timeout": "2s"]],
                "restart": ["policy": "on-failure"], "statics": [["guest_path": "/app/public", "url_prefix": "/static"]],
                "stop_config": ["signal": "SIGTERM", "timeout": "5s"],
            ],
        ])
        let id = try #require(machine["id"]?.stringValue)
        let nonce = try #require(machine["nonce"]?.stringValue)
        let base = "/apps/demo/machines/\(id)"
        let held = [("fly-machine-lease-nonce", nonce)]
        _ = try await sim.wait("demo", id, "started")
        _ = try await sim.send(.GET, "/apps/demo/machines")
        _ = try await sim.send(.GET, "/apps/demo/machines?summary=true&include_deleted=true")
        _ = try await sim.send(.GET, base)
        _ = try await sim.send(.GET, base + "/lease")
        _ = try await sim.send(.POST, base + "/lease", json: ["ttl": 10, "description": "scenario"], headers: held)
        _ = try await sim.send(.POST, base + "/lease", json: ["ttl": 10])  // 409
        _ = try await sim.send(.POST, base + "/cordon")  // 409
        _ = try await sim.send(.POST, base + "/cordon", headers: held)
        _ = try await sim.send(.POST, base + "/uncordon", headers: held)
        _ = try await sim.send(.POST, base + "/signal", json: ["signal": "SIGHUP"], headers: held)
        _ = try await sim.send(.POST, base + "/signal", json: ["signal": "SIGBOGUS"], headers: held)  // 400
        _ = try await sim.send(.GET, base + "/events?limit=5")
        _ = try await sim.send(.GET, base + "/versions")
        _ = try await sim.send(.POST, base + "/exec", json: ["command": ["echo", "hi"], "timeout": 5])
        _ = try await sim.send(.POST, base + "/exec", json: ["cmd": "sh -c 'exit 3'", "stdin": ""])
        _ = try await sim.send(.GET, base + "/ps?sort_by=cpu&order=desc")
        _ = try await sim.send(.GET, base + "/ps?sort_by=nope")  // 400
        _ = try await sim.send(.GET, base + "/memory")
        _ = try await sim.send(.PUT, base + "/memory", json: ["limit_mb": 200])
        _ = try await sim.send(.POST, base + "/memory/reclaim", json: ["amount_mb": 10])
        _ = try await sim.send(.GET, base + "/metadata")
        _ = try await sim.send(.GET, base + "/metadata/role")
        _ = try await sim.send(.GET, base + "/metadata/absent")  // 404
        _ = try await sim.send(.POST, base + "/metadata/team", json: ["value": "core"])
        _ = try await sim.send(.DELETE, base + "/metadata/team")
        let version = try #require(try await sim.send(.GET, base).json["instance_id"]?.stringValue)
        _ = try await sim.send(.PATCH, base + "/metadata", json: ["metadata": ["x": "1"], "machine_version": .string(version)])
        _ = try await sim.send(.PUT, base + "/metadata", json: ["metadata": ["role": "web"]])
        _ = try await sim.send(.PATCH, base + "/metadata", json: ["metadata": ["x": "2"], "machine_version": "01HQ73A7BFFDF1B6WMGHFZZ4E7"])  // 412
        _ = try await sim.send(.GET, base + "/wait?state=started&timeout=1")
        _ = try await sim.send(.GET, base + "/wait?timeout=0")  // 400
        _ = try await sim.send(.GET, base + "/wait?state=stopped&timeout=1")  // 408
        _ = try await sim.send(.POST, base + "/restart?signal=SIGTERM&timeout=10s", headers: held)
        _ = try await sim.wait("demo", id, "started")
        _ = try await sim.send(.POST, base + "/suspend", headers: held)
        _ = try await sim.wait("demo", id, "suspended")
        _ = try await sim.send(.POST, base + "/start", headers: held)
        _ = try await sim.wait("demo", id, "started")
        _ = try await sim.send(
            .POST, base, json: ["config": ["image": "registry.fly.io/demo:deployment-2"], "skip_launch": false],
            headers: held)
        _ = try await sim.wait("demo", id, "started")
        _ = try await sim.send(.DELETE, base, headers: held)  // 412: running
        _ = try await sim.send(.POST, base + "/stop", json: ["signal": "SIGINT", "timeout": "5s"], headers: held)
        _ = try await sim.wait("demo", id, "stopped")
        _ = try await sim.send(.GET, base + "/memory")  // 412: stopped
        _ = try await sim.send(.DELETE, base + "/lease")  // 400: no nonce
        _ = try await sim.send(.DELETE, base + "/lease", headers: held)
        _ = try await sim.send(.GET, base + "/lease")  // 404
        _ = try await sim.send(.GET, "/orgs/personal/machines?limit=10")
        _ = try await sim.send(.GET, "/orgs/personal/machines?summary=true")
        _ = try await sim.send(.DELETE, base)
        _ = try await sim.wait("demo", id, "destroyed")
        _ = try await sim.send(.GET, "/apps/demo/machines/ffffffffffffff")  // 404
        _ = try await sim.send(.GET, "/apps/demo/machines", authorization: "")  // 401
        let second = try await sim.createMachine(extra: ["skip_launch": true, "skip_service_registration": true])
        let secondID = try #require(second["id"]?.stringValue)
        _ = try await sim.send(.POST, "/apps/demo/machines/\(secondID)/lease?ttl=30")
        _ = try await sim.send(.POST, "/apps/demo/machines/\(secondID)/signal", json: ["signal": 9])  // 412 not started
        _ = try await sim.send(.POST, "/apps/demo/machines", json: ["config": ["env": [:]]])  // 400 no image
    }
}

/// Checks one exchange against the document, allowing exactly the differences `docs/simulator.md` lists.
struct ConformanceChecker {
    let validator: SchemaValidator
    let operations: [String: [(method: String, operation: JSONValue)]]

    init(document: JSONValue) {
        validator = SchemaValidator(document: document)
        var operations: [String: [(String, JSONValue)]] = [:]
        for (_, item) in document["paths"]?.objectValue?.members ?? [] {
            for (method, operation) in item.objectValue?.members ?? [] {
                if let id = operation["operationId"]?.stringValue { operations[id, default: []].append((method.uppercased(), operation)) }
            }
        }
        self.operations = operations
    }

    static let leaseOperations: Set<SimulatorOperation> = [.showLease, .createLease, .releaseLease]

    func check(_ exchange: SimulatorExchange) -> [String] {
        let label = "\(exchange.method) \(exchange.uri) -> \(exchange.status)"
        guard let operation = operations[exchange.operation.rawValue]?.first(where: { $0.method == exchange.method })?.operation else {
            return ["\(label): no operation \(exchange.operation.rawValue) for \(exchange.method) in the document"]
        }
        var problems: [String] = []
        // Request bodies of accepted requests (refused ones are often deliberately malformed).
        if (200..<300).contains(exchange.status), !exchange.requestBody.isEmpty {
            problems += checkRequest(exchange, operation).map { "\(label) request: \($0)" }
        }
        // Careful: JSONValue is ExpressibleByNilLiteral, so `cond ? nil : value` would give `.null`.
        var body: JSONValue? = .none
        if !exchange.responseBody.isEmpty {
            guard let parsed = try? JSONValue(parsing: exchange.responseBody) else {
                return problems + ["\(label): answer is not JSON"]
            }
            body = parsed
        }
        let responses = operation["responses"]?.objectValue ?? JSONObject()
        let documented = responses[String(exchange.status)]
        let schema = documented?["content"]?["application/json"]?["schema"]

        // Difference: lease answers are wrapped in {status, data}; lease errors use the envelope.
        if Self.leaseOperations.contains(exchange.operation) {
            guard let body else { return problems + ["\(label): lease answer without a body"] }
            if exchange.status >= 400 {
                let envelope: JSONValue = ["type": "object", "properties": ["status": ["type": "string", "enum": ["error"]], "message": ["type": "string"], "code": ["type": "string"]]]
                return problems + validator.validate(body, against: envelope).map { "\(label): \($0)" }
                    + (body["message"] == nil ? ["\(label): lease error without message"] : [])
            }
            guard documented != nil else { return problems + ["\(label): status not in the document"] }
            guard body["status"] == "success", let data = body["data"] else { return problems + ["\(label): not a success envelope"] }
            if exchange.operation == .releaseLease { return problems + (data == ["ok": true] ? [] : ["\(label): release data \(data)"]) }
            return problems + validator.validate(data, against: schema ?? .null, at: "$.data").map { "\(label): \($0)" }
        }
        if exchange.status >= 400 {
            // Statuses the document lists use its schema; the ones it leaves out use ErrorResponse.
            let errorSchema = schema ?? ["$ref": "#/components/schemas/ErrorResponse"]
            guard var body, body["error"]?.stringValue != nil else { return problems + ["\(label): error without an error message"] }
            // Difference: a taken app name carries FLYGO's `name_taken` status, which the enum lacks.
            if exchange.operation == .createApp, body["status"] == "name_taken", var object = body.objectValue {
                object["status"] = JSONValue?.none
                body = .object(object)
            }
            return problems + validator.validate(body, against: errorSchema).map { "\(label): \($0)" }
        }
        guard let documented else { return problems + ["\(label): success status not in the document"] }
        // Difference: Apps_create's 201 carries the new App (the document gives none; FLYGO decodes one).
        if exchange.operation == .createApp, exchange.status == 201, schema == nil {
            guard let body else { return problems + ["\(label): create app without the App"] }
            return problems + validator.validate(body, against: ["$ref": "#/components/schemas/App"]).map { "\(label): \($0)" }
        }
        if let schema {
            guard let body else { return problems + ["\(label): the document defines a body, none was sent"] }
            return problems + validator.validate(body, against: schema).map { "\(label): \($0)" }
        }
        // Difference: the document gives these answers no body; Fly's docs show {"ok":true}
        // (start: {previous_state, migrated, new_host}); 204 has none.
        _ = documented
        guard let body else { return problems }
        if exchange.status == 204 { return problems + ["\(label): 204 with a body"] }
        if body == ["ok": true] { return problems }
        if exchange.operation == .start, body["previous_state"]?.stringValue != nil, body["migrated"]?.boolValue != nil,
            body["new_host"]?.stringValue != nil, body.objectValue?.count == 3
        {
            return problems
        }
        return problems + ["\(label): unexpected body \(body.serialized.prefix(120)) where the document defines none"]
    }

    private func checkRequest(_ exchange: SimulatorExchange, _ operation: JSONValue) -> [String] {
        guard let body = try? JSONValue(parsing: exchange.requestBody) else { return ["not JSON"] }
        guard let schema = operation["requestBody"]?["content"]?["application/json"]?["schema"] else {
            return ["a body was sent but the document defines none"]
        }
        // Difference: FLYGO sends a signal number (`{"signal": 9}`), which Fly accepts.
        if exchange.operation == .signal, body["signal"]?.int64Value != nil, body.objectValue?.count == 1 { return [] }
        // Difference: Secrets_update unsets a name given null ("or nil to unset", as its description says).
        if exchange.operation == .updateSecrets, var object = body.objectValue, var values = body["values"]?.objectValue {
            for (name, value) in values.members where value.isNull { values[name] = JSONValue?.none }
            object["values"] = .object(values)
            return validator.validate(.object(object), against: schema)
        }
        return validator.validate(body, against: schema)
    }
}
