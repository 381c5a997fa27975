/// A validated Machines API base URL (`scheme://host[:port]`, without `/v1`). Plain `http` is
/// allowed only for loopback and Fly's private `_api.internal`.
package struct UpstreamEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// Fly's public endpoint.
    package static let publicURL = "https://api.machines.dev"
    /// The environment variable flyctl reads for an override.
    package static let environmentVariable = "FLY_FLAPS_BASE_URL"

    /// `http` or `https`.
    package let scheme: String
    /// The host as written (IPv6 in brackets).
    package let host: String
    /// The explicit port, if any.
    package let port: Int?

    /// Parses and checks `text`; a trailing `/` and a trailing `/v1` are accepted and dropped.
    package init(_ text: String) throws(FlyAPIError) {
        var rest = Substring(text)
        let lowered = text.lowercased()
        if lowered.hasPrefix("https://") {
            scheme = "https"
            rest = rest.dropFirst(8)
        } else if lowered.hasPrefix("http://") {
            scheme = "http"
            rest = rest.dropFirst(7)
        } else {
            throw .configuration("the upstream URL \(text) must start with https:// (or http:// for loopback)")
        }
        var authority = rest
        if let slash = rest.firstIndex(of: "/") {
            authority = rest[..<slash]
            var path = rest[slash...]
            while path.hasSuffix("/") { path = path.dropLast() }
            if path.hasSuffix("/v1") { path = path.dropLast(3) }
            guard path.isEmpty else { throw .configuration("the upstream URL \(text) must not have a path") }
        }
        // It becomes the `host` header as it is, so it must be printable ASCII.
        guard authority.isVisibleASCII else {
            throw .configuration("the upstream URL's host must be printable ASCII without spaces")
        }
        guard !authority.contains(where: { "?#@ \\".contains($0) }), !authority.isEmpty else {
            throw .configuration("the upstream URL \(text) must be scheme://host[:port] without credentials or query")
        }
        var hostPart = authority
        var portValue: Int?
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { throw .configuration("bad IPv6 host in \(text)") }
            hostPart = authority[...close]
            let after = authority[authority.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":"), let port = Int(after.dropFirst()) else { throw .configuration("bad port in \(text)") }
                portValue = port
            }
        } else if let colon = authority.lastIndex(of: ":") {
            hostPart = authority[..<colon]
            guard let port = Int(authority[authority.index(after: colon)...]) else { throw .configuration("bad port in \(text)") }
            portValue = port
        }
        if let portValue, !(1...65535).contains(portValue) { throw .configuration("port \(portValue) is out of range in \(text)") }
        guard !hostPart.isEmpty else { throw .configuration("the upstream URL \(text) has no host") }
        host = hostPart.lowercased()
        port = portValue
        if scheme == "http", !Self.allowsPlainHTTP(host) {
            throw .configuration(
                "plain http:// is allowed only for loopback and _api.internal, not \(host); use https://")
        }
    }

    /// Fly's public endpoint, `https://api.machines.dev`.
    package static var fly: UpstreamEndpoint {
        // The literal is valid; `try!` cannot fail here.
        try! UpstreamEndpoint(publicURL)
    }

    /// The override in `environment` (`FLY_FLAPS_BASE_URL`), else `fallback`.
    package static func resolve(environment: [String: String], fallback: String = publicURL) throws(FlyAPIError)
        -> UpstreamEndpoint
    {
        if let value = environment[environmentVariable], !value.isEmpty { return try UpstreamEndpoint(value) }
        return try UpstreamEndpoint(fallback)
    }

    /// `host[:port]`, as written: the `host` header's value.
    package var authority: String {
        host + (port.map { ":\($0)" } ?? "")
    }

    /// `scheme://host[:port]`.
    package var description: String {
        "\(scheme)://\(authority)"
    }

    /// The URL of `pathAndQuery` (which starts with `/v1`).
    package func url(_ pathAndQuery: String) -> String { description + pathAndQuery }

    private static func allowsPlainHTTP(_ host: String) -> Bool {
        if host == "localhost" || host == "[::1]" || host == "_api.internal" { return true }
        let parts = host.split(separator: ".", omittingEmptySubsequences: false)
        if parts.count == 4, parts.allSatisfy({ UInt8($0) != nil }), parts[0] == "127" { return true }
        return false
    }
}
