import FlyGateJSON
import FlyMachinesProto

/// Secrets and secret keys as text for people: names, digests, types, public keys and times.
/// Never a value: no function here reads one.
package enum SecretFormatter {
    /// One line per secret: NAME, DIGEST, CREATED, UPDATED.
    package static func table(_ secrets: [Flygate_Secrets_V1_AppSecret]) -> String {
        var table = TableFormatter(headers: ["NAME", "DIGEST", "CREATED", "UPDATED"])
        for secret in secrets { table.append([secret.name, secret.digest, secret.createdAt, secret.updatedAt]) }
        return table.render()
    }

    /// One secret's name, digest and times.
    package static func detail(_ secret: Flygate_Secrets_V1_AppSecret) -> String {
        var fields = FieldList()
        fields.append("name", secret.name)
        fields.append("digest", secret.digest)
        fields.append("created", secret.createdAt)
        fields.append("updated", secret.updatedAt)
        return fields.render()
    }

    /// `, version 7`, or nothing without a version.
    package static func version(_ version: Int64?) -> String {
        version.map { ", version \($0)" } ?? ""
    }

    /// One line per key: NAME, TYPE, CREATED, UPDATED.
    package static func keys(_ keys: [Flygate_Secrets_V1_SecretKey]) -> String {
        var table = TableFormatter(headers: ["NAME", "TYPE", "CREATED", "UPDATED"])
        for key in keys { table.append([key.name, key.type, key.createdAt, key.updatedAt]) }
        return table.render()
    }

    /// One key's name, type, public key (base64, for key types that have one) and times.
    /// `body` is the answer's JSON, where the public key may be an array or base64 text.
    package static func key(_ key: Flygate_Secrets_V1_SecretKey, body: JSONValue?) -> String {
        var fields = FieldList()
        fields.append("name", key.name)
        fields.append("type", key.type)
        fields.append("public_key", body?["public_key"].flatMap(ByteString.bytes(of:)).flatMap { $0.isEmpty ? nil : ByteString.base64($0) })
        fields.append("created", key.createdAt)
        fields.append("updated", key.updatedAt)
        return fields.render()
    }
}
