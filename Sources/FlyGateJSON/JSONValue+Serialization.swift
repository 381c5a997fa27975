extension JSONValue {
    /// Compact JSON text, members in their stored order.
    package var serialized: String {
        var output = ""
        write(to: &output)
        return output
    }

    /// Compact JSON as UTF-8 bytes.
    package var serializedBytes: [UInt8] { Array(serialized.utf8) }

    /// Compact JSON text in which no string holds a raw character that a terminal acts on
    /// (``TerminalText/isUnsafe(_:)``: C0, DEL, C1, bidi and other format characters, U+2028/9):
    /// each is a `\uXXXX` escape. The same JSON value as ``serialized``, safe to `cat`.
    package var terminalSafeSerialized: String {
        var output = ""
        write(to: &output, terminalSafe: true)
        return output
    }

    package func write(to output: inout String) {
        write(to: &output, terminalSafe: false)
    }

    private func write(to output: inout String, terminalSafe: Bool) {
        switch self {
        case .null: output += "null"
        case .bool(let value): output += value ? "true" : "false"
        case .number(let text): output += text
        case .string(let value): JSONValue.writeString(value, to: &output, terminalSafe: terminalSafe)
        case .array(let elements):
            output += "["
            for (position, element) in elements.enumerated() {
                if position > 0 { output += "," }
                element.write(to: &output, terminalSafe: terminalSafe)
            }
            output += "]"
        case .object(let object):
            output += "{"
            for (position, member) in object.members.enumerated() {
                if position > 0 { output += "," }
                JSONValue.writeString(member.key, to: &output, terminalSafe: terminalSafe)
                output += ":"
                member.value.write(to: &output, terminalSafe: terminalSafe)
            }
            output += "}"
        }
    }

    /// Appends `value` quoted, escaping what JSON requires (and U+2028/U+2029, which break
    /// JavaScript): runs of bytes that need no escape are copied whole. `terminalSafe` also
    /// escapes every other character ``TerminalText`` would (DEL, C1, format characters).
    static func writeString(_ value: String, to output: inout String, terminalSafe: Bool = false) {
        if terminalSafe, value.unicodeScalars.contains(where: { $0.value >= 0x7F && TerminalText.isUnsafe($0) }) {
            writeTerminalSafeString(value, to: &output)
            return
        }
        output += "\""
        var value = value
        value.withUTF8 { bytes in
            var runStart = 0
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                let escape: String
                var width = 1
                switch byte {
                case UInt8(ascii: "\""): escape = "\\\""
                case UInt8(ascii: "\\"): escape = "\\\\"
                case 0x0A: escape = "\\n"
                case 0x0D: escape = "\\r"
                case 0x09: escape = "\\t"
                case 0x08: escape = "\\b"
                case 0x0C: escape = "\\f"
                case 0x00...0x1F:
                    let hex = String(byte, radix: 16)
                    escape = "\\u00" + (hex.count == 1 ? "0" : "") + hex
                case 0xE2 where index + 2 < bytes.count && bytes[index + 1] == 0x80 && (bytes[index + 2] & 0xFE) == 0xA8:
                    escape = bytes[index + 2] == 0xA8 ? "\\u2028" : "\\u2029"
                    width = 3
                default:
                    index += 1
                    continue
                }
                output += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<index]), as: UTF8.self)
                output += escape
                index += width
                runStart = index
            }
            output += String(decoding: UnsafeBufferPointer(rebasing: bytes[runStart..<bytes.count]), as: UTF8.self)
        }
        output += "\""
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
