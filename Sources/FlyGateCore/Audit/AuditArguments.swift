import FlyGateJSON
import FlyMachinesProto

/// Which arguments of each rpc an audit record keeps: the ones that say what was done
/// (region, state, signal, metadata key, timeout, exec command line, volume, secret name,
/// hostname), never config bodies, env values, file contents, metadata values, exec stdin
/// (only its digest), secret values, key material, plaintexts, private keys or nonces.
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
        case .listOrgMachines, .listOrgVolumes:
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

        // Apps and IP assignments.
        case .listApps:
            return [("org_slug", .query("org_slug")), ("app_role", .query("app_role"))]
        case .createApp:
            return [("name", .body(["name"])), ("org_slug", .body(["org_slug"])), ("network", .body(["network"])),
                    ("enable_subdomains", .body(["enable_subdomains"]))]
        case .showApp, .deleteApp, .listIPAssignments, .listRegions:
            return []
        case .createIPAssignment:
            return [("type", .body(["type"])), ("region", .body(["region"])), ("service_name", .body(["service_name"])),
                    ("network", .body(["network"])), ("org_slug", .body(["org_slug"]))]
        case .deleteIPAssignment:
            return [("ip", .path("ip"))]

        // Volumes.
        case .listVolumes:
            return [("summary", .query("summary"))]
        case .createVolume:
            return [("name", .body(["name"])), ("region", .body(["region"])), ("size_gb", .body(["size_gb"])),
                    ("encrypted", .body(["encrypted"])), ("snapshot_id", .body(["snapshot_id"])),
                    ("source_volume_id", .body(["source_volume_id"])), ("require_unique_zone", .body(["require_unique_zone"]))]
        case .getVolume, .deleteVolume, .listVolumeSnapshots, .createVolumeSnapshot:
            return [("volume", .path("volume_id"))]
        case .updateVolume:
            return [("volume", .path("volume_id")), ("auto_backup_enabled", .body(["auto_backup_enabled"])),
                    ("snapshot_retention", .body(["snapshot_retention"]))]
        case .extendVolume:
            return [("volume", .path("volume_id")), ("size_gb", .body(["size_gb"]))]

        // Secrets: which secret, never its value (not even a digest: a short value's digest is
        // guessed by trying values); the bulk update records the names it sets or unsets.
        case .listSecrets:
            return [("min_version", .query("min_version"))]
        case .updateSecrets:
            return [("names", .bodyKeys(["values"]))]
        case .getSecret, .createSecret, .deleteSecret, .getSecretKey, .deleteSecretKey, .encrypt:
            return [("secret", .path("secret_name"))]
        case .listSecretKeys:
            return [("min_version", .query("min_version")), ("types", .query("types"))]
        case .setSecretKey, .generateSecretKey:
            return [("secret", .path("secret_name")), ("type", .body(["type"]))]
        // A signed or verified payload, and a ciphertext, are recorded by digest only.
        case .sign, .verify:
            return [("secret", .path("secret_name")), ("plaintext_sha256", .bodyDigest(["plaintext"]))]
        case .decrypt:
            return [("secret", .path("secret_name")), ("ciphertext_sha256", .bodyDigest(["ciphertext"]))]

        // Certificates: the hostname; a custom certificate's chain by digest, its key never.
        case .listCertificates:
            return [("filter", .query("filter")), ("limit", .query("limit"))]
        case .createAcmeCertificate:
            return [("hostname", .body(["hostname"]))]
        case .createCustomCertificate:
            return [("hostname", .body(["hostname"])), ("fullchain_sha256", .bodyDigest(["fullchain"]))]
        case .showCertificate, .deleteCertificate, .deleteAcmeCertificate, .deleteCustomCertificate, .checkCertificate:
            return [("hostname", .path("hostname"))]

        // Platform.
        case .getPlacements:
            return [("region", .body(["region"])), ("count", .body(["count"])), ("org_slug", .body(["org_slug"])),
                    ("volume_name", .body(["volume_name"]))]
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
            // A byte string (a plaintext, ciphertext or signature) by its bytes, so that the
            // digest is the one `sha256sum` gives for the same bytes in a file.
            let bytes = value.stringValue.map { Array($0.utf8) } ?? value.byteArrayValue ?? value.serializedBytes
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
