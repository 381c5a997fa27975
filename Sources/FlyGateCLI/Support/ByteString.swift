import FlyGateJSON
import Foundation

/// Byte strings as the secret-key schemas carry them: the document types Go's `[]byte` as an
/// array of integers (`repeated int64` in the proto), while Go's JSON writes base64 text.
package enum ByteString {
    /// Bytes as the request fields take them, one integer per byte.
    package static func integers(_ bytes: [UInt8]) -> [Int64] {
        bytes.map { Int64($0) }
    }

    /// Member `name` of an answer's body as bytes: an array of integers 0…255, or base64 text.
    /// Throws a failure naming the member (never its content) when it is missing or neither.
    package static func member(_ name: String, of body: JSONValue?) throws -> [UInt8] {
        guard let value = body?[name], !value.isNull else {
            throw CLIFailure("the answer has no \(name)")
        }
        guard let bytes = bytes(of: value) else {
            throw CLIFailure("the answer's \(name) is neither an array of bytes nor base64 text")
        }
        return bytes
    }

    /// The bytes a JSON value holds: an array of integers 0…255, or standard base64 text.
    package static func bytes(of value: JSONValue) -> [UInt8]? {
        if let text = value.stringValue {
            return Data(base64Encoded: text).map(Array.init)
        }
        return value.byteArrayValue
    }

    /// Standard base64, for showing a public key.
    package static func base64(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }
}
