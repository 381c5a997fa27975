import FlyGateJSON
import FlyMachinesProto

/// One request message turned into its REST call: method, `/v1…` path with encoded segments,
/// encoded query, lease nonce and JSON body. Built before any traffic; refuses identifiers that
/// could change the path, and `unknown_json` members Fly would read as another field.
package struct RESTCall: Sendable {
    /// The rpc.
    package let rpc: MachinesRPC
    /// The HTTP method.
    package let method: String
    /// `/v1/apps/{app}/…` with every parameter percent-encoded.
    package let path: String
    /// Query pairs, not yet encoded; `pathAndQuery` encodes them.
    package var query: [(name: String, value: String)]
    /// The `fly-machine-lease-nonce` header value.
    package let leaseNonce: String?
    /// The JSON body.
    package let body: JSONValue?
    /// The limiter scope: the machine id, else the app, else the org.
    package let scope: String

    /// Path parameters that are identifiers: validated, never just encoded.
    package static let identifierFields: Set<String> = ["app_name", "machine_id", "key", "org_slug"]

    /// Builds the call for `request`.
    package init<Request: MachinesRPCRequest>(_ request: Request) throws(FlyAPIError) {
        let rpc = Request.rpc
        let parts = request.restParts
        self.rpc = rpc
        method = rpc.httpMethod
        var values: [String: String] = [:]
        for (name, value) in parts.pathParameters {
            if Self.identifierFields.contains(name) { try Self.validateIdentifier(value, field: name) }
            values[name] = value
        }
        var path = "/v1"
        for segment in rpc.pathTemplate.split(separator: "/") {
            path += "/"
            if segment.hasPrefix("{"), segment.hasSuffix("}") {
                let name = String(segment.dropFirst().dropLast())
                guard let value = values[name] else { throw .invalidArgument("\(name): missing") }
                path += Self.percentEncoded(value)
            } else {
                path += segment
            }
        }
        self.path = path
        query = parts.query
        if let nonce = parts.leaseNonce {
            guard nonce.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value < 0x7F }) else {
                throw .invalidArgument("lease_nonce: must be printable ASCII without spaces")
            }
        }
        leaseNonce = parts.leaseNonce
        // Fly reads JSON keys case-insensitively: an unknown member "Image" must not ride beside
        // the typed "image" that the audit record shows.
        do {
            try request.checkUnknownMembers()
        } catch {
            throw .invalidArgument(error.description)
        }
        body = parts.body
        scope = values["machine_id"] ?? values["app_name"] ?? values["org_slug"] ?? ""
    }

    /// The path and the encoded query (`name=value&…`).
    package var pathAndQuery: String {
        guard !query.isEmpty else { return path }
        return path + "?" + query.map { Self.percentEncoded($0.name) + "=" + Self.percentEncoded($0.value) }
            .joined(separator: "&")
    }

    /// The value of query parameter `name`, if present.
    package func queryValue(_ name: String) -> String? {
        query.last { $0.name == name }?.value
    }

    /// Sets query parameter `name` to `value` (one occurrence).
    package mutating func setQuery(_ name: String, _ value: String) {
        query.removeAll { $0.name == name }
        query.append((name, value))
    }

    /// Refuses an identifier that is empty or holds `/`, `..`, `?`, `#`, `%`, whitespace or a
    /// control character, naming `field` in the message.
    package static func validateIdentifier(_ value: String, field: String) throws(FlyAPIError) {
        if value.isEmpty { throw .invalidArgument("\(field): must not be empty") }
        // One pass over the bytes: '..' anywhere, and whether every byte is one of the usual
        // identifier's (letters, digits, '-', '_', '.'), which needs no look at Unicode properties.
        var plain = true
        var previous: UInt8 = 0
        var dots = false
        for byte in value.utf8 {
            if byte == UInt8(ascii: "."), previous == UInt8(ascii: ".") { dots = true }
            if plain, !Self.isPlainIdentifierByte(byte) { plain = false }
            previous = byte
        }
        if value == "." || dots { throw .invalidArgument("\(field): must not be '.' or contain '..'") }
        if plain { return }
        for scalar in value.unicodeScalars {
            switch scalar {
            case "/", "?", "#", "%", "\\":
                throw .invalidArgument("\(field): must not contain '\(scalar)'")
            default:
                let category = scalar.properties.generalCategory
                if scalar.properties.isWhitespace || category == .control || category == .format
                    || category == .lineSeparator || category == .paragraphSeparator
                {
                    throw .invalidArgument("\(field): must not contain whitespace or control characters")
                }
            }
        }
    }

    /// An ASCII letter or digit, `-`, `_` or `.`.
    private static func isPlainIdentifierByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
            UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."):
            true
        default:
            false
        }
    }

    /// `text` with everything but RFC 3986 unreserved characters percent-encoded (UTF-8).
    package static func percentEncoded(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(hex[Int(byte >> 4)])
                result.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }
}
