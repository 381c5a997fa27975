import FlyGateJSON
import FlyMachinesProto

/// Which arguments of each rpc an audit record keeps: the ones that say what was done
/// (region, state, signal, metadata key, timeout, exec command line), never config bodies,
/// env values, file contents, metadata values, exec stdin (only its digest) or nonces.
package enum AuditArguments {
    /// Where an argument is read from.
    package enum Source: Sendable, Equatable {
        /// A query parameter; one that repeats becomes a list.
        case query(String)
        /// A path parameter beyond app and machine (the metadata key).
        case path(String)
        /// A member of the JSON body, by path.
        case body([String])
        /// Only the member names of a body object (bulk metadata: which keys, not their values).
        case bodyKeys([String])
        /// Only the SHA-256 of a body member (exec stdin).
        case bodyDigest([String])
    }

    /// One recorded argument: its name in the record and where it comes from.
    package typealias Entry = (name: String, source: Source)

    /// The arguments recorded for `rpc`. The switch is exhaustive, so a new rpc must be decided here.
    package static func table(_ rpc: MachinesRPC) -> [Entry] {
        switch rpc {
        case .show, .showLease, .showMetadata, .listVersions, .getMemory, .start, .suspend, .cordon, .uncordon,
            .releaseLease:
            return []
        case .list:
            return [("region", .query("region")), ("state", .query("state")), ("include_deleted", .query("include_deleted")),
                    ("summary", .query("summary"))]
        case .listOrgMachines:
            return [("region", .query("region")), ("state", .query("state")), ("include_deleted", .query("include_deleted")),
                    ("summary", .query("summary")), ("updated_after", .query("updated_after")), ("limit", .query("limit"))]
        case .listEvents:
            return [("limit", .query("limit"))]
        case .listProcesses:
            return [("sort_by", .query("sort_by")), ("order", .query("order"))]
        case .wait:
            return [("state", .query("state")), ("timeout", .query("timeout")), ("instance_id", .query("instance_id")),
                    ("version", .query("version")), ("from_event_id", .query("from_event_id"))]
        case .getMetadataKey, .deleteMetadata, .updateMetadata:
            return [("key", .path("key"))]
        case .patchMetadata:
            return [("keys", .bodyKeys(["metadata"]))]
        case .create:
            return [("region", .body(["region"])), ("name", .body(["name"])), ("image", .body(["config", "image"])),
                    ("skip_launch", .body(["skip_launch"])), ("lease_ttl", .body(["lease_ttl"]))]
        case .update:
            return [("region", .body(["region"])), ("name", .body(["name"])), ("image", .body(["config", "image"])),
                    ("current_version", .body(["current_version"])), ("skip_launch", .body(["skip_launch"])),
                    ("lease_ttl", .body(["lease_ttl"]))]
        case .delete:
            return [("force", .query("force"))]
        case .stop:
            return [("signal", .body(["signal"])), ("timeout", .body(["timeout"]))]
        case .restart:
            return [("signal", .query("signal")), ("timeout", .query("timeout"))]
        case .signal:
            return [("signal", .body(["signal"]))]
        case .createLease:
            return [("ttl", .body(["ttl"]))]
        case .exec:
            return [("command", .body(["command"])), ("cmd", .body(["cmd"])), ("container", .body(["container"])),
                    ("timeout", .body(["timeout"])), ("stdin_sha256", .bodyDigest(["stdin"]))]
        case .setMemoryLimit:
            return [("limit_mb", .body(["limit_mb"]))]
        case .reclaimMemory:
            return [("amount_mb", .body(["amount_mb"]))]
        }
    }

    /// The recorded arguments of `request`, in table order; absent ones are left out.
    package static func extract<Request: MachinesRPCRequest>(_ request: Request) -> JSONObject {
        let entries = table(Request.rpc)
        var result = JSONObject()
        guard !entries.isEmpty else { return result }
        let parts = request.restParts
        for (name, source) in entries {
            if let value = value(of: source, parts) { result.append(name, value) }
        }
        return result
    }

    private static func value(of source: Source, _ parts: RESTParts) -> JSONValue? {
        switch source {
        case .query(let name):
            let values = parts.query.filter { $0.name == name }.map { JSONValue.string(clipped($0.value)) }
            return values.isEmpty ? nil : values.count == 1 ? values[0] : .array(Array(values.prefix(64)))
        case .path(let name):
            return parts.pathParameters.first { $0.name == name }.map { .string(clipped($0.value)) }
        case .body(let path):
            return member(path, of: parts.body).map(bounded)
        case .bodyKeys(let path):
            guard let object = member(path, of: parts.body)?.objectValue else { return nil }
            return .array(object.keys.prefix(64).map { .string(clipped($0)) })
        case .bodyDigest(let path):
            guard let value = member(path, of: parts.body) else { return nil }
            let bytes = value.stringValue.map { Array($0.utf8) } ?? value.serializedBytes
            return .string(AuditChain.digest(bytes))
        }
    }

    private static func member(_ path: [String], of body: JSONValue?) -> JSONValue? {
        var current = body
        for name in path { current = current?[name] }
        if let current, !current.isNull { return current }
        return nil
    }

    /// Scalars as they are (strings clipped); lists of scalars up to 64 items; objects never.
    private static func bounded(_ value: JSONValue) -> JSONValue {
        switch value {
        case .string(let text): return .string(clipped(text))
        case .array(let items): return .array(items.prefix(64).map { $0.objectValue == nil ? bounded($0) : .string("(object)") })
        case .object: return .string("(object)")
        default: return value
        }
    }

    /// `text`, cut to 256 characters with a note of its full length.
    static func clipped(_ text: String) -> String {
        // Never more characters than UTF-8 bytes: most texts are told short without counting characters.
        guard text.utf8.count > 256, text.count > 256 else { return text }
        return String(text.prefix(256)) + "…(\(text.utf8.count) bytes)"
    }
}
