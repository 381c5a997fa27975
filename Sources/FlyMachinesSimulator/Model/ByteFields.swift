import FlyGateJSON

/// Byte strings in JSON bodies, and the hex and base64 text forms the simulator needs.
///
/// The document types Go's `[]byte` fields (secret key values, plaintexts, signatures) as arrays
/// of integers, while Go's encoding/json, and so FLYGO, writes them as base64 strings. Requests
/// may use either; answers use the document's array, which Go also decodes into `[]byte`.
package enum ByteFields {
    private static let hexDigits = Array("0123456789abcdef".utf8)
    private static let base64Alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    /// The bytes of `value`: an array of integers 0…255, or a standard (padded) base64 string.
    package static func bytes(_ value: JSONValue) -> [UInt8]? {
        switch value {
        case .string(let text):
            return base64Decoded(text)
        case .array:
            return value.byteArrayValue
        default:
            return nil
        }
    }

    /// Member `name` of `body` as bytes; nil when absent or null, 400 when it is not a byte string.
    package static func member(_ body: JSONValue, _ name: String) throws(SimulatorError) -> [UInt8]? {
        guard let value = body[name], !value.isNull else { return nil }
        guard let bytes = bytes(value) else {
            throw .invalidArgument("\(name) must be a byte array (integers 0-255) or a base64 string")
        }
        return bytes
    }

    /// The document's form of a byte string: an array of integers.
    package static func json(_ bytes: some Sequence<UInt8>) -> JSONValue {
        .array(bytes.map { .int($0) })
    }

    /// Lower-case hex.
    package static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var text: [UInt8] = []
        for byte in bytes {
            text.append(hexDigits[Int(byte >> 4)])
            text.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }

    /// Standard base64 with padding.
    package static func base64(_ bytes: [UInt8]) -> String {
        var output: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let chunk = Array(bytes[index..<min(index + 3, bytes.count)])
            let value = (UInt32(chunk[0]) << 16) | (UInt32(chunk.count > 1 ? chunk[1] : 0) << 8)
                | UInt32(chunk.count > 2 ? chunk[2] : 0)
            for position in 0..<4 {
                if position <= chunk.count {
                    output.append(base64Alphabet[Int((value >> UInt32(18 - 6 * position)) & 0x3F)])
                } else {
                    output.append(UInt8(ascii: "="))
                }
            }
            index += 3
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes standard base64 (padding optional, ASCII whitespace ignored); nil when malformed.
    package static func base64Decoded(_ text: String) -> [UInt8]? {
        var values: [UInt8] = []
        var padding = 0
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): values.append(byte - UInt8(ascii: "A"))
            case UInt8(ascii: "a")...UInt8(ascii: "z"): values.append(byte - UInt8(ascii: "a") + 26)
            case UInt8(ascii: "0")...UInt8(ascii: "9"): values.append(byte - UInt8(ascii: "0") + 52)
            case UInt8(ascii: "+"): values.append(62)
            case UInt8(ascii: "/"): values.append(63)
            case UInt8(ascii: "="): padding += 1; continue
            case 0x20, 0x09, 0x0A, 0x0D: continue
            default: return nil
            }
            if padding > 0 { return nil }
        }
        guard padding <= 2, values.count % 4 != 1, padding == 0 || (values.count + padding) % 4 == 0 else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(values.count * 3 / 4)
        var index = 0
        while index < values.count {
            let group = values[index..<min(index + 4, values.count)]
            var accumulator: UInt32 = 0
            for value in group { accumulator = accumulator << 6 | UInt32(value) }
            accumulator <<= UInt32(6 * (4 - group.count))
            for position in 0..<(group.count - 1) {
                bytes.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(16 - 8 * position)))
            }
            index += 4
        }
        return bytes
    }
}
