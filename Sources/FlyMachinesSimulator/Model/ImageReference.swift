import FlyGateJSON

/// The parts of an image reference, as Fly reports them in `image_ref`.
package struct ImageReference: Sendable, Equatable {
    /// Registry host, e.g. `registry.fly.io`; Docker Hub images report Fly's mirror.
    package var registry: String
    /// Repository path, e.g. `library/nginx`.
    package var repository: String
    /// Tag, `latest` when none is given.
    package var tag: String
    /// `sha256:…`: the one given, or a stable pseudo digest of the reference.
    package var digest: String

    /// Splits `[registry/]repository[:tag][@digest]` the way Docker does.
    package init(parsing image: String) {
        var rest = image
        var digest: String?
        if let at = rest.firstIndex(of: "@") {
            digest = String(rest[rest.index(after: at)...])
            rest = String(rest[..<at])
        }
        var components = rest.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if components.count > 1, let first = components.first,
            first.contains(".") || first.contains(":") || first == "localhost"
        {
            registry = first
            components.removeFirst()
        } else {
            registry = "docker-hub-mirror.fly.io"
            if components.count == 1 { components.insert("library", at: 0) }
        }
        var last = components.removeLast()
        tag = "latest"
        if let colon = last.lastIndex(of: ":") {
            tag = String(last[last.index(after: colon)...])
            last = String(last[..<colon])
        }
        components.append(last)
        repository = components.joined(separator: "/")
        self.digest = digest ?? Identifiers.pseudoDigest(of: image)
    }

    /// The `ImageRef` JSON object.
    package var json: JSONValue {
        ["registry": .string(registry), "repository": .string(repository), "tag": .string(tag),
         "digest": .string(digest), "labels": .object(JSONObject())]
    }
}
