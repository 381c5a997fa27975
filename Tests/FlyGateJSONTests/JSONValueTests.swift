import Testing
@testable import FlyGateJSON

@Suite struct JSONValueTests {
    @Test func roundTripKeepsNumbersAndOrder() throws {
        let text = #"{"b":1,"a":[1.50,-0,1e9,12345678901234567890],"c":{"z":null,"y":true,"x":"\u00e9\n\ud83d\ude00"}}"#
        let value = try JSONValue(parsing: text)
        #expect(value.serialized == #"{"b":1,"a":[1.50,-0,1e9,12345678901234567890],"c":{"z":null,"y":true,"x":"é\n😀"}}"#)
        #expect(try JSONValue(parsing: value.serialized) == value)
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
}
