import Testing
@testable import FlyGateJSON

/// JSONMembersWriter writes the bytes a JSONObject with the same members serializes to.
@Suite struct JSONMembersWriterTests {
    static let hostile = "a\"b\\c\n\u{1b}[31m\u{7f}\u{9b}\u{202e}é\u{2028}😀"

    @Test("typed members write what the JSONValue members serialize to, plain and terminal-safe")
    func typedMembers() {
        for terminalSafe in [false, true] {
            var writer = JSONMembersWriter(terminalSafe: terminalSafe)
            var object = JSONObject()
            writer.append("s", string: Self.hostile)
            object.append("s", .string(Self.hostile))
            writer.append(Self.hostile, int: -42)
            object.append(Self.hostile, .int(-42))
            writer.append("u", int: UInt64.max)
            object.append("u", .int(UInt64.max))
            writer.append("t", bool: true)
            object.append("t", .bool(true))
            writer.append("n", string: nil as String?)
            object.append("n", .null)
            var inner = JSONMembersWriter(terminalSafe: terminalSafe)
            inner.append("x", .array([.int(1), .string(Self.hostile), .null]))
            writer.append("o", object: inner)
            object.append("o", .object(JSONObject([("x", .array([.int(1), .string(Self.hostile), .null]))])))
            writer.append("empty", object: JSONMembersWriter(terminalSafe: terminalSafe))
            object.append("empty", .object(JSONObject()))
            let expected = terminalSafe ? JSONValue.object(object).terminalSafeSerializedBytes : JSONValue.object(object).serializedBytes
            #expect(writer.objectBytes == expected, "terminalSafe \(terminalSafe)")
            #expect(JSONMembersWriter(object, terminalSafe: terminalSafe).objectBytes == expected)
        }
    }

    @Test("integers are written as Swift writes them, signed and unsigned, at both ends")
    func integers() {
        func written(_ append: (inout JSONMembersWriter) -> Void) -> String {
            var writer = JSONMembersWriter(terminalSafe: true)
            append(&writer)
            return String(decoding: writer.bytes, as: UTF8.self)
        }
        for value: Int in [0, 7, 10, 99, 100, -1, -10, 1_234_567_890_123, .min, .max] {
            #expect(written { $0.append("k", int: value) } == "\"k\":\(value)")
        }
        for value: UInt64 in [0, 9, 10, 4_294_967_295, .max] {
            #expect(written { $0.append("k", int: value) } == "\"k\":\(value)")
        }
        #expect(written { $0.append("k", int: UInt64.max) } == "\"k\":18446744073709551615")
        #expect(written { $0.append("k", int: Int.min) } == "\"k\":-9223372036854775808")
    }

    @Test("appending another writer's members joins them with one comma; empty sides add nothing")
    func joining() {
        var first = JSONMembersWriter(terminalSafe: true)
        let empty = JSONMembersWriter(terminalSafe: true)
        first.append(contentsOf: empty)
        #expect(first.objectBytes == Array("{}".utf8))
        first.append("a", int: 1)
        var second = JSONMembersWriter(terminalSafe: true)
        second.append("b", int: 2)
        first.append(contentsOf: second)
        first.append(contentsOf: empty)
        #expect(first.objectBytes == Array(#"{"a":1,"b":2}"#.utf8))
        var onlySecond = JSONMembersWriter(terminalSafe: true)
        onlySecond.append(contentsOf: second)
        #expect(onlySecond.objectBytes == Array(#"{"b":2}"#.utf8))
    }
}
