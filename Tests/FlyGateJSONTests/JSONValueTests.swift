import Testing
@testable import FlyGateJSON

@Suite struct JSONValueTests {
    @Test func roundTripKeepsNumbersAndOrder() throws {
        let text = #"{"b":1,"a":[1.50,-0,1e9,12345678901234567890],"c":{"z":null,"y":true,"x":"\u00e9\n\ud83d\ude00"}}"#
        let value = try JSONValue(parsing: text)
        #expect(value.serialized == #"{"b":1,"a":[1.50,-0,1e9,12345678901234567890],"c":{"z":null,"y":true,"x":"é\n😀"}}"#)
        #expect(try JSONValue(parsing: value.serialized) == value)
    }

    @Test("strings escape exactly what JSON needs, plus U+2028 and U+2029, and read back unchanged")
    func stringEscapes() throws {
        #expect(JSONValue.string("a\"b\\c\n\r\t\u{08}\u{0C}\u{01}\u{1F}\u{2028}\u{2029}é😀").serialized
            == #""a\"b\\c\n\r\t\b\f\u0001\u001f\u2028\u2029é😀""#)
        // Random strings over an alphabet heavy in what must be escaped, against a plain
        // scalar-by-scalar reference.
        let alphabet: [Unicode.Scalar] = ["a", "Z", "\"", "\\", "\n", "\u{00}", "\u{1F}", "\u{7F}", "é", "\u{2028}", "\u{2029}", "\u{2027}", "\u{E2}", "😀", "/"]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            var text = ""
            for _ in 0..<Int.random(in: 0...12, using: &generator) {
                text.unicodeScalars.append(alphabet.randomElement(using: &generator)!)
            }
            let serialized = JSONValue.string(text).serialized
            #expect(serialized == Self.referenceEscaped(text), "\(Array(text.unicodeScalars))")
            #expect(try JSONValue(parsing: serialized) == .string(text))
        }
    }

    static func referenceEscaped(_ text: String) -> String {
        var output = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": output += "\\\""
            case "\\": output += "\\\\"
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            case "\u{08}": output += "\\b"
            case "\u{0C}": output += "\\f"
            case "\u{00}"..."\u{1F}", "\u{2028}", "\u{2029}":
                let hex = String(scalar.value, radix: 16)
                output += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "\""
    }

    @Test(arguments: ["", "{", "[1,]", "{\"a\"}", "01", "\"\u{01}\"", "tru", "1 2", "{\"a\":1,}", "-", "1.", "\"\\x\""])
    func rejectsInvalid(_ text: String) {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: text) }
    }

    @Test func rejectsDeepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: deep) }
    }

    @Test func rejectsInvalidUTF8() {
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0xFF, 0x22]) }
    }

    @Test func objectEqualityIgnoresOrder() throws {
        #expect(try JSONValue(parsing: #"{"a":1,"b":2}"#) == JSONValue(parsing: #"{"b":2,"a":1.0}"#))
        #expect(try JSONValue(parsing: #"{"a":1}"#) != JSONValue(parsing: #"{"a":1,"b":2}"#))
    }

    @Test func integerAccessors() throws {
        #expect(JSONValue.number("42").int64Value == 42)
        #expect(JSONValue.number("4.0e1").int64Value == 40)
        #expect(JSONValue.number("4.5").int64Value == nil)
        #expect(JSONValue.double(3).serialized == "3")
    }

    @Test("a byte string is an array of whole numbers 0–255, and nothing else")
    func byteArrays() throws {
        #expect(try JSONValue(parsing: "[0, 1, 255]").byteArrayValue == [0, 1, 255])
        #expect(try JSONValue(parsing: "[]").byteArrayValue == [])
        for notBytes in ["[256]", "[-1]", "[1.5]", #"["1"]"#, "[[1]]", #""AAE=""#, "{}", "1"] {
            #expect(try JSONValue(parsing: notBytes).byteArrayValue == nil, "\(notBytes)")
        }
    }
}

@Suite struct JSONStringBytesTests {
    @Test("strings parse the same on the ASCII path and the UTF-8 path; invalid UTF-8 is refused on both")
    func asciiAndUTF8Paths() throws {
        #expect(try JSONValue(parsing: #"["plain-ascii_1.2", "é中😀", "mixed é", "esc\u00e9\n", ""]"#)
            == .array(["plain-ascii_1.2", "é中😀", "mixed é", "esc\u{e9}\n", ""]))
        // A lone continuation byte, a truncated sequence, an overlong encoding, a surrogate.
        for bad: [UInt8] in [[0x80], [0xC3], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0x61, 0xFF, 0x62]] {
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22] + bad + [0x22]) }
            // Also after an escape (the slow path) and as a key.
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x22, 0x5C, 0x6E] + bad + [0x22]) }
            #expect(throws: JSONParseError.self) { try JSONValue(parsing: [0x7B, 0x22] + bad + Array(#"":1}"#.utf8)) }
        }
    }

    @Test("a string's end, an escape, a control character, non-ASCII or bad UTF-8 is found at every offset of the eight-byte scan")
    func everyOffsetOfTheScan() throws {
        for length in 0..<27 {
            for position in 0...length {
                let before = String(repeating: "a", count: position)
                let after = String(repeating: "b", count: length - position)
                // Inside an object, so that what follows the string must still be read right.
                func parse(_ middle: [UInt8]) throws -> JSONValue {
                    try JSONValue(parsing: Array("{\"k\":\"\(before)".utf8) + middle + Array("\(after)\",\"n\":1}".utf8))
                }
                func string(_ value: JSONValue) -> String? { value.objectValue?["k"]?.stringValue }
                #expect(string(try parse([])) == before + after)
                #expect(string(try parse(Array(#"\n"#.utf8))) == before + "\n" + after)
                #expect(string(try parse(Array(#"\""#.utf8))) == before + "\"" + after)
                #expect(string(try parse(Array("é".utf8))) == before + "é" + after)
                #expect(throws: JSONParseError.self, "control character at \(position) of \(length)") { try parse([0x01]) }
                #expect(throws: JSONParseError.self, "bad UTF-8 at \(position) of \(length)") { try parse([0xFF]) }
                #expect(throws: JSONParseError.self, "unterminated at \(position) of \(length)") {
                    try JSONValue(parsing: Array("\"\(before)\(after)".utf8))
                }
            }
        }
    }

    @Test("the bytes written: JSON's escapes always, a terminal's only when terminal-safe")
    func bytesWritten() {
        let value: JSONValue = ["k\u{1b}": ["a\"\\\u{7f}\u{9b}\u{202e}é\u{2028}", 1, .null], "n": "plain"]
        #expect(value.serializedBytes == Array(#"{"k\u001b":["a\"\\\#u{7f}\#u{9b}\#u{202e}é\u2028",1,null],"n":"plain"}"#.utf8))
        #expect(value.terminalSafeSerializedBytes == Array(#"{"k\u001b":["a\"\\\u007f\u009b\u202eé\u2028",1,null],"n":"plain"}"#.utf8))
    }
}
