import Crypto
import FlyGateJSON

/// The hash chain: how a record is sealed into one line and how a line is checked.
///
/// A record is a JSON object whose last two members are `prev` (the previous record's hash)
/// and `hash`. `hash` is the SHA-256, in lower-case hex, of the exact bytes of the line with
/// its `,"hash":"…"` member cut out — i.e. the compact serialization of every member up to and
/// including `prev`, closed with `}`. Checking works on the bytes as written, never on a
/// re-serialization, so any changed byte shows.
package enum AuditChain {
    /// The `prev` of the first record of a chain.
    package static let genesis = String(repeating: "0", count: 64)

    /// The line (with its newline) and hash for the record of `members`, which must not hold
    /// `prev` or `hash`. Strings are escaped terminal-safe: nothing caller-supplied acts on a
    /// terminal that shows the file.
    package static func seal(_ members: JSONMembersWriter, prev: String) -> (line: [UInt8], hash: String) {
        precondition(members.terminalSafe, "audit records are written terminal-safe")
        var sealed = members
        sealed.append("prev", string: prev)
        var body = sealed.objectBytes
        let hash = digest(body)
        body.removeLast()  // the closing brace
        body += #","hash":""#.utf8
        body += hash.utf8
        body += "\"}\n".utf8
        return (body, hash)
    }

    /// A checked line: its parsed record, the hash it claims and whether that hash matches.
    package struct CheckedLine: Sendable {
        package var record: JSONObject
        package var claimedHash: String
        package var computedHash: String
        package var seq: UInt64?
        package var prev: String?

        package var hashMatches: Bool { claimedHash == computedHash }
    }

    /// Parses and checks one line (without its newline); nil when it is not a sealed record.
    package static func check(_ line: ArraySlice<UInt8>) -> CheckedLine? {
        let suffixLength = #","hash":""#.utf8.count + 64 + 2  // `,"hash":"` + hex + `"}`
        guard line.count > suffixLength, line.last == UInt8(ascii: "}") else { return nil }
        let cut = line.endIndex - suffixLength
        guard line[cut..<(cut + 9)].elementsEqual(#","hash":""#.utf8) else { return nil }
        let claimed = String(decoding: line[(cut + 9)..<(line.endIndex - 2)], as: UTF8.self)
        guard let parsed = try? JSONValue(parsing: line), let record = parsed.objectValue,
            record.keys.last == "hash", record["hash"]?.stringValue == claimed
        else { return nil }
        let body = Array(line[line.startIndex..<cut]) + [UInt8(ascii: "}")]
        return CheckedLine(
            record: record,
            claimedHash: claimed,
            computedHash: digest(body),
            seq: record["seq"]?.uint64Value,
            prev: record["prev"]?.stringValue
        )
    }

    /// SHA-256 of `bytes` in lower-case hex.
    package static func digest<Bytes: Sequence<UInt8>>(_ bytes: Bytes) -> String {
        hex(SHA256.hash(data: Array(bytes)))
    }

    /// SHA-256 of `bytes` in lower-case hex.
    package static func digest(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    /// Lower-case hex of a digest.
    package static func hex<Digest: Sequence<UInt8>>(_ digest: Digest) -> String {
        let bytes = Array(digest)
        return String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (index, byte) in bytes.enumerated() {
                out[2 * index] = Self.hexDigit(byte >> 4)
                out[2 * index + 1] = Self.hexDigit(byte & 0x0f)
            }
            return bytes.count * 2
        }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}
