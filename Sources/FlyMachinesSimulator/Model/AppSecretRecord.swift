import Crypto
import FlyGateJSON

/// One app secret as the simulator keeps it: its name and a digest of its value. The value
/// itself is never stored, so no answer can ever carry it.
package struct AppSecretRecord: Sendable {
    /// The secret's name, an environment variable name.
    package var name: String
    /// 16 hex digits of the value's SHA-256 (the short digest Fly's CLI shows).
    package var digest: String
    /// When it was first set.
    package var createdAt: WallClock
    /// When it was last set.
    package var updatedAt: WallClock

    /// The digest of `value`.
    package static func digest(of value: String) -> String {
        String(ByteFields.hex(SHA256.hash(data: Array(value.utf8))).prefix(16))
    }

    /// Whether `name` can be a secret: an environment variable name.
    package static func isValidName(_ name: String) -> Bool {
        guard let first = name.utf8.first, name.utf8.count <= 256 else { return false }
        let isLetter = { (byte: UInt8) in (65...90).contains(byte) || (97...122).contains(byte) || byte == 95 }
        return isLetter(first) && name.utf8.allSatisfy { isLetter($0) || (48...57).contains($0) }
    }

    /// The `AppSecret` object, without a value.
    package var json: JSONValue {
        var object = JSONObject()
        object.append("name", .string(name))
        object.append("digest", .string(digest))
        object.append("created_at", .string(createdAt.rfc3339))
        object.append("updated_at", .string(updatedAt.rfc3339))
        return .object(object)
    }
}
