extension JSONValue {
    /// Compact JSON text, members in their stored order.
    package var serialized: String {
        String(decoding: serializedBytes, as: UTF8.self)
    }

    /// Compact JSON as UTF-8 bytes.
    package var serializedBytes: [UInt8] {
        var output: [UInt8] = []
        write(into: &output, terminalSafe: false)
        return output
    }

    /// Compact JSON text in which no string holds a raw character that a terminal acts on
    /// (``TerminalText/isUnsafe(_:)``: C0, DEL, C1, bidi and other format characters, U+2028/9):
    /// each is a `\uXXXX` escape. The same JSON value as ``serialized``, safe to `cat`.
    package var terminalSafeSerialized: String {
        String(decoding: terminalSafeSerializedBytes, as: UTF8.self)
    }

    /// ``terminalSafeSerialized`` as UTF-8 bytes.
    package var terminalSafeSerializedBytes: [UInt8] {
        var output: [UInt8] = []
        write(into: &output, terminalSafe: true)
        return output
    }

    /// Appends the compact JSON of this value to `output` as UTF-8. Bytes, not a `String`: the
    /// audit log seals a record per call, and appending to a `String` piece by piece cost
    /// several times as much (flygate-bench `--only callgrind`).
    package func write(into output: inout [UInt8], terminalSafe: Bool) {
        switch self {
        case .null: output += "null".utf8
        case .bool(let value): output += (value ? "true" : "false").utf8
        case .number(let text): output += text.utf8
        case .string(let value): JSONValue.writeString(value, into: &output, terminalSafe: terminalSafe)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            for (position, element) in elements.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                element.write(into: &output, terminalSafe: terminalSafe)
            }
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            for (position, member) in object.members.enumerated() {
                if position > 0 { output.append(UInt8(ascii: ",")) }
                JSONValue.writeString(member.key, into: &output, terminalSafe: terminalSafe)
                output.append(UInt8(ascii: ":"))
                member.value.write(into: &output, terminalSafe: terminalSafe)
            }
            output.append(UInt8(ascii: "}"))
        }
    }

    /// Appends `value` quoted, escaping what JSON requires (and U+2028/U+2029, which break
    /// JavaScript): runs of bytes that need no escape are copied whole. `terminalSafe` also
    /// escapes every other character ``TerminalText`` would (DEL, C1, format characters).
    static func writeString(_ value: String, into output: inout [UInt8], terminalSafe: Bool = false) {
        var value = value
        value.withUTF8 { bytes in
            // Printable ASCII but for the quote and the backslash (most strings, every key):
            // nothing to escape in either form, so the bytes go as they are.
            if !bytes.contains(where: { $0 < 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") }) {
                output.append(UInt8(ascii: "\""))
                output.append(contentsOf: bytes)
                output.append(UInt8(ascii: "\""))
                return
            }
            // Only a byte from 0x7F up can start a character the plain path leaves raw.
            if terminalSafe, bytes.contains(where: { $0 >= 0x7F }),
                String(decoding: bytes, as: UTF8.self).unicodeScalars.contains(where: {
                    $0.value >= 0x7F && TerminalText.isUnsafe($0)
                })
            {
                var text = ""
                writeTerminalSafeString(String(decoding: bytes, as: UTF8.self), to: &text)
                output += text.utf8
                return
            }
            output.append(UInt8(ascii: "\""))
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                var width = 1
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"):
                    output += bytes[runStart..<index]
                    output.append(UInt8(ascii: "\\"))
                    output.append(byte)
                case 0x0A, 0x0D, 0x09, 0x08, 0x0C:
                    let letter: Unicode.Scalar = byte == 0x0A ? "n" : byte == 0x0D ? "r" : byte == 0x09 ? "t" : byte == 0x08 ? "b" : "f"
                    output += bytes[runStart..<index]
                    output.append(UInt8(ascii: "\\"))
                    output.append(UInt8(ascii: letter))
                case 0x00...0x1F:
                    output += bytes[runStart..<index]
                    output += "\\u00".utf8
                    output.append(hexDigit(byte >> 4))
                    output.append(hexDigit(byte & 0x0F))
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] & 0xFE) == 0xA8:
                    output += bytes[runStart..<index]
                    output += (bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8
                    width = 3
                default:
                    index += 1
                    continue
                }
                index += width
                runStart = index
            }
            output += bytes[runStart..<bytes.count]
            output.append(UInt8(ascii: "\""))
        }
    }

    /// The lower-case hex digit for `nibble` (0...15).
    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
    }
}

extension JSONValue {
    /// The slow path of a terminal-safe string: scalar by scalar, `\uXXXX` (a UTF-16 pair above
    /// the BMP) for every character a terminal acts on.
    private static func writeTerminalSafeString(_ value: String, to output: inout String) {
        output += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default:
                guard TerminalText.isUnsafe(scalar) else {
                    output.unicodeScalars.append(scalar)
                    continue
                }
                for unit in String(scalar).utf16 {
                    let hex = String(unit, radix: 16)
                    output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                }
            }
        }
        output += "\""
    }
}

extension JSONValue: CustomStringConvertible {
    package var description: String { serialized }
}
