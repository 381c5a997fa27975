import FlyGateJSON
import FlyMachinesSimulator

/// What a request itself says, checked against the document: the method and path, the path and
/// query parameters, and the body's members. The simulator's own routing is not trusted here:
/// the path is matched against the document's templates, and the operation it names must be
/// the one the simulator served.
extension ConformanceChecker {
    /// A documented operation a request's method and path name.
    package struct DocumentedRoute: Sendable, Equatable {
        /// The path template below the server's `/v1`, as the document writes it.
        package var template: String
        package var method: String
        package var operationID: String
        /// The values of the template's `{name}` segments, percent-decoded.
        package var pathParameters: [String: String]
    }

    /// The documented operation `method` and `uri` (the path as sent, starting with `/v1`) name;
    /// nil when none does. Where several templates fit, the one with the most literal segments
    /// wins (`/certificates/acme` over `/certificates/{hostname}`).
    package func route(method: String, uri: String) -> DocumentedRoute? {
        guard uri.hasPrefix(Self.serverPath + "/") else { return nil }
        let segments = uri.dropFirst(Self.serverPath.count).split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        var best: (route: DocumentedRoute, literals: Int)?
        for path in paths where path.method == method && path.segments.count == segments.count {
            var parameters: [String: String] = [:]
            var literals = 0
            var fits = true
            for (pattern, segment) in zip(path.segments, segments) {
                if pattern.hasPrefix("{"), pattern.hasSuffix("}") {
                    guard !segment.isEmpty, let value = Self.percentDecoded(segment) else {
                        fits = false
                        break
                    }
                    parameters[String(pattern.dropFirst().dropLast())] = value
                } else if pattern == segment {
                    literals += 1
                } else {
                    fits = false
                    break
                }
            }
            guard fits, literals > best?.literals ?? -1 else { continue }
            best = (DocumentedRoute(template: path.template, method: method, operationID: path.operationID, pathParameters: parameters), literals)
        }
        return best?.route
    }

    /// Problems with an accepted request's method, path, path and query parameters and body
    /// members: what the sender got wrong, whatever the simulator made of it.
    package func checkRequestLine(_ exchange: SimulatorExchange) -> [String] {
        guard let route = route(method: exchange.method, uri: exchange.uri) else {
            return ["no documented path has \(exchange.method) \(exchange.uri)"]
        }
        var problems: [String] = []
        if route.operationID != exchange.operation.rawValue {
            problems.append("\(exchange.method) \(route.template) is \(route.operationID) in the document, the simulator served \(exchange.operation.rawValue)")
        }
        guard let operation = operations[route.operationID]?.first(where: { $0.method == route.method })?.operation else {
            return problems
        }
        let parameters = (operation["parameters"]?.arrayValue ?? []).compactMap { parameter -> (String, String, JSONValue)? in
            guard let name = parameter["name"]?.stringValue, let place = parameter["in"]?.stringValue else { return nil }
            return (name, place, parameter["schema"] ?? .null)
        }
        for (name, value) in route.pathParameters {
            guard let schema = parameters.first(where: { $0.0 == name && $0.1 == "path" })?.2 else {
                problems.append("path parameter \(name) is not documented")
                continue
            }
            problems += Self.checkParameter(value, against: schema, named: "path parameter \(name)")
        }
        for (name, value) in exchange.query {
            // Difference: FLYGO takes a lease with `?ttl=<seconds>` and no body, which Fly accepts.
            if route.operationID == SimulatorOperation.createLease.rawValue, name == "ttl" {
                problems += Self.checkParameter(value, against: ["type": "integer"], named: "query parameter ttl")
                continue
            }
            guard let schema = parameters.first(where: { $0.0 == name && $0.1 == "query" })?.2 else {
                problems.append("query parameter \(name) is not documented for \(route.operationID)")
                continue
            }
            problems += Self.checkParameter(value, against: schema, named: "query parameter \(name)")
        }
        for parameter in operation["parameters"]?.arrayValue ?? []
        where parameter["in"] == "query" && parameter["required"] == true {
            if let name = parameter["name"]?.stringValue, !exchange.query.contains(where: { $0.name == name }) {
                problems.append("required query parameter \(name) is missing")
            }
        }
        if !exchange.requestBody.isEmpty, let body = try? JSONValue(parsing: exchange.requestBody),
            let schema = operation["requestBody"]?["content"]?["application/json"]?["schema"]
        {
            problems += validator.undocumentedMembers(body, in: schema)
        }
        return problems
    }

    /// The path of the document's server (`https://api.machines.dev/v1`) that every path follows.
    static let serverPath = "/v1"

    /// A parameter's text against its schema's type: integers and booleans must parse.
    static func checkParameter(_ text: String, against schema: JSONValue, named name: String) -> [String] {
        switch schema["type"]?.stringValue {
        case "integer": Int64(text) == nil ? ["\(name): \(text) is not an integer"] : []
        case "number": Double(text) == nil ? ["\(name): \(text) is not a number"] : []
        case "boolean": text == "true" || text == "false" ? [] : ["\(name): \(text) is not true or false"]
        default: []
        }
    }

    /// `text` with its `%XX` escapes decoded; nil when an escape is malformed or the bytes are not UTF-8.
    static func percentDecoded<S: StringProtocol>(_ text: S) -> String? {
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            guard byte == UInt8(ascii: "%") else {
                bytes.append(byte)
                continue
            }
            guard let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            else { return nil }
            bytes.append(value)
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
