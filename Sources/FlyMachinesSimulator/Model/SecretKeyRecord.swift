import FlyGateJSON

/// One secret key of an app. The private material stays here; answers show the public half only.
package struct SecretKeyRecord: Sendable {
    /// The key's label.
    package var name: String
    /// What kind of key it is.
    package var type: SecretKeyType
    /// The private (or symmetric) key bytes.
    package var material: [UInt8]
    /// The public key, for the asymmetric types.
    package var publicKey: [UInt8]?
    /// When it was first set.
    package var createdAt: WallClock
    /// When it was last set or generated.
    package var updatedAt: WallClock

    /// Whether `name` can label a key: 1 to 256 letters, digits, `_`, `-` or `.`.
    package static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.utf8.count <= 256
            && name.utf8.allSatisfy { byte in
                (65...90).contains(byte) || (97...122).contains(byte) || (48...57).contains(byte)
                    || byte == 95 || byte == 45 || byte == 46
            }
    }

    /// The `SecretKey` object.
    package var json: JSONValue {
        .object(members)
    }

    /// The `SetSecretkeyResponse` object: the key and the new secrets version.
    package func setResponse(version: Int) -> JSONValue {
        var object = members
        object.append("version", .int(version))
        object.append("Version", .int(version))
        return .object(object)
    }

    private var members: JSONObject {
        var object = JSONObject()
        object.append("name", .string(name))
        object.append("type", .string(type.rawValue))
        if let publicKey { object.append("public_key", ByteFields.json(publicKey)) }
        object.append("created_at", .string(createdAt.rfc3339))
        object.append("updated_at", .string(updatedAt.rfc3339))
        return object
    }
}
