import FlyGateJSON
import FlyMachinesSimulator

/// Checks one exchange against the document, allowing exactly the differences `docs/simulator.md` lists.
package struct ConformanceChecker {
    package let validator: SchemaValidator
    package let operations: [String: [(method: String, operation: JSONValue)]]
    /// Every documented method and path template, split into segments, for matching requests.
    let paths: [(template: String, segments: [Substring], method: String, operationID: String)]

    package init(document: JSONValue) {
        validator = SchemaValidator(document: document)
        var operations: [String: [(String, JSONValue)]] = [:]
        var paths: [(String, [Substring], String, String)] = []
        for (template, item) in document["paths"]?.objectValue?.members ?? [] {
            for (method, operation) in item.objectValue?.members ?? [] {
                guard let id = operation["operationId"]?.stringValue else { continue }
                operations[id, default: []].append((method.uppercased(), operation))
                paths.append((template, template.split(separator: "/", omittingEmptySubsequences: false).dropFirst().map { $0 }, method.uppercased(), id))
            }
        }
        self.operations = operations
        self.paths = paths
    }

    package static let leaseOperations: Set<SimulatorOperation> = [.showLease, .createLease, .releaseLease]

    package func check(_ exchange: SimulatorExchange) -> [String] {
        let label = "\(exchange.method) \(exchange.uri) -> \(exchange.status)"
        guard let operation = operations[exchange.operation.rawValue]?.first(where: { $0.method == exchange.method })?.operation else {
            return ["\(label): no operation \(exchange.operation.rawValue) for \(exchange.method) in the document"]
        }
        var problems: [String] = []
        // Accepted requests (refused ones are often deliberately malformed): the method, path,
        // parameters and body members, then the body's values.
        if (200..<300).contains(exchange.status) {
            problems += checkRequestLine(exchange).map { "\(label) request: \($0)" }
            if !exchange.requestBody.isEmpty {
                problems += checkRequest(exchange, operation).map { "\(label) request: \($0)" }
            }
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
