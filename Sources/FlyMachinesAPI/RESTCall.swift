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
    /// The limiter scope: the machine id, else the app, else the org; none for app deletions.
    package let scope: String

    /// Builds the call for `request`.
    package init<Request: MachinesRPCRequest>(_ request: Request) throws(FlyAPIError) {
        let rpc = Request.rpc
        let parts = request.restParts
        self.rpc = rpc
        method = rpc.httpMethod
        let parameters = parts.pathParameters
        // Every path parameter (app, machine, metadata key, org, volume, secret, hostname, IP) is
        // an identifier: validated, never just encoded.
        for (name, value) in parameters {
            try Self.validateIdentifier(value, field: name)
        }
        // Built as bytes from the rpc's template, parsed once per rpc.
        var path = Array("/v1".utf8)
        for segment in Self.templates[rpc] ?? [] {
            path.append(UInt8(ascii: "/"))
            switch segment {
            case .literal(let text):
                path += text.utf8
            case .parameter(let name):
                guard let value = parameters.first(where: { $0.name == name })?.value else {
                    throw .invalidArgument("\(name): missing")
                }
                Self.appendPercentEncoded(value, to: &path)
            }
        }
        self.path = String(decoding: path, as: UTF8.self)
        query = parts.query
        if let nonce = parts.leaseNonce {
            guard nonce.isVisibleASCII else {
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
        func parameter(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
        // App deletions are limited across apps (FLY_API.md §7: 100 a minute), so they share one bucket.
        scope = Request.rpc == .deleteApp ? "" : parameter("machine_id") ?? parameter("app_name") ?? parameter("org_slug") ?? ""
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
        var result: [UInt8] = []
        result.reserveCapacity(text.utf8.count)
        appendPercentEncoded(text, to: &result)
        return String(decoding: result, as: UTF8.self)
    }

    /// Appends ``percentEncoded(_:)`` of `text` to `bytes`.
    static func appendPercentEncoded(_ text: String, to bytes: inout [UInt8]) {
        let hex: StaticString = "0123456789ABCDEF"
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                bytes.append(byte)
            default:
                bytes.append(UInt8(ascii: "%"))
                bytes.append(hex.utf8Start[Int(byte >> 4)])
                bytes.append(hex.utf8Start[Int(byte & 0x0F)])
            }
        }
    }

    /// A piece of a path template: text as it is, or a parameter's value.
    enum TemplateSegment: Sendable {
        case literal(String)
        case parameter(String)
    }

    /// Each rpc's path template (`/apps/{app_name}/…`), split at `/` once.
    static let templates: [MachinesRPC: [TemplateSegment]] = Dictionary(
        uniqueKeysWithValues: MachinesRPC.allCases.map { rpc in
            (rpc, rpc.pathTemplate.split(separator: "/").map { segment in
                segment.hasPrefix("{") && segment.hasSuffix("}")
                    ? .parameter(String(segment.dropFirst().dropLast())) : .literal(String(segment))
            })
        })
}
