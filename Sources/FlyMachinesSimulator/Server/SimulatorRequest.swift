import FlyGateJSON
import NIOHTTP1

/// One HTTP request as the routes see it: decoded path segments, query, headers and body bytes.
package struct SimulatorRequest: Sendable {
    /// `GET`, `POST`, …
    package var method: String
    /// The path as sent, without the query.
    package var path: String
    /// Percent-decoded path segments.
    package var segments: [String]
    /// Query parameters in order, percent-decoded; repeated names are kept.
    package var query: [(name: String, value: String)]
    /// Request headers.
    package var headers: HTTPHeaders
    /// The body bytes.
    package var body: [UInt8]

    /// Splits `uri` into path segments and query parameters.
    package init(method: String, uri: String, headers: HTTPHeaders, body: [UInt8]) {
        self.method = method
        self.headers = headers
        self.body = body
        let parts = uri.split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        path = parts.first.map(String.init) ?? "/"
        segments = path.split(separator: "/").map { Self.percentDecoded(String($0)) }
        query = []
        if parts.count > 1 {
            for pair in parts[1].split(separator: "&") where !pair.isEmpty {
                let nameValue = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
                let name = Self.percentDecoded(String(nameValue[0]), plusIsSpace: true)
                let value = nameValue.count > 1 ? Self.percentDecoded(String(nameValue[1]), plusIsSpace: true) : ""
                query.append((name, value))
            }
        }
    }

    /// The last value of query parameter `name`.
    package func query(_ name: String) -> String? {
        query.last(where: { $0.name == name })?.value
    }

    /// Every value of `name`, with comma-separated values split.
    package func queryList(_ name: String) -> [String] {
        query.filter { $0.name == name }.flatMap { $0.value.split(separator: ",").map(String.init) }
            .filter { !$0.isEmpty }
    }

    /// A boolean query parameter (`true`, `1`; absent is false); 400 when it is not a boolean.
    package func queryBool(_ name: String) throws(SimulatorError) -> Bool {
        guard let text = query(name) else { return false }
        switch text.lowercased() {
        case "", "true", "1", "t": return true
        case "false", "0", "f": return false
        default: throw .invalidArgument("invalid \(name): \(text) is not a boolean")
        }
    }

    /// The lease nonce header, if present.
    package var leaseNonce: String? {
        headers.first(name: "fly-machine-lease-nonce").flatMap { $0.isEmpty ? nil : $0 }
    }

    /// The JSON body; nil when there is none; 400 when it is not JSON.
    package func jsonBody() throws(SimulatorError) -> JSONValue? {
        if body.allSatisfy({ $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }) { return nil }
        do {
            return try JSONValue(parsing: body)
        } catch {
            throw .invalidArgument("request body is not valid JSON: \(error.description)")
        }
    }

    /// The JSON body, which must be an object; 400 otherwise.
    package func requiredObjectBody() throws(SimulatorError) -> JSONValue {
        guard let body = try jsonBody(), body.objectValue != nil else {
            throw .invalidArgument("a JSON object body is required")
        }
        return body
    }

    private static func percentDecoded(_ text: String, plusIsSpace: Bool = false) -> String {
        guard text.contains("%") || (plusIsSpace && text.contains("+")) else { return text }
        var bytes: [UInt8] = []
        var iterator = Array(text.utf8).makeIterator()
        while let byte = iterator.next() {
            if byte == UInt8(ascii: "%"), let high = iterator.next(), let low = iterator.next(),
                let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
            } else if plusIsSpace, byte == UInt8(ascii: "+") {
                bytes.append(0x20)
            } else {
                bytes.append(byte)
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
