import FlyGateJSON
import SwiftProtobuf
import Testing

@testable import FlyMachinesProto

/// The generated member readers (`readJSONMember`) read every member as the message's field
/// table does (`JSONField.read(into:_:)`, the lossless rule), for every model message, every
/// field and values of every JSON kind and form: the straight-line paths for strings, bools,
/// whole numbers and nested messages hold what the table holds and keep what it keeps.
@Suite struct JSONMemberReaderTests {
    /// Values of every kind, in the forms the lossless rule tells apart.
    static let values: [JSONValue] = [
        .null, .bool(true), .bool(false),
        .number("0"), .number("42"), .number("-7"), .number("01"), .number("+1"), .number("2.0"), .number("1.5"),
        .number("1e3"), .number("-0"), .number("99999999999999999999"), .number("9223372036854775807"),
        .string(""), .string("x"), .string("2024-05-01T12:00:00Z"), .string("10s"), .string("stop"), .string("SIGTERM"),
        .array([]), .array([.string("a"), .string("b")]), .array([.number("1"), .number("2")]), .array([.bool(true)]),
        .array([.object(JSONObject())]), .array([.object(JSONObject([("name", .string("n")), ("id", .string("i"))]))]),
        .array([.string("a"), .number("1")]),
        .object(JSONObject()), .object(JSONObject([("name", .string("n")), ("id", .string("i")), ("unknown", .number("3"))])),
        .object(JSONObject([("a", .string("1")), ("b", .string("2"))])), .object(JSONObject([("a", .number("1"))])),
    ]

    @Test("every model message's reader agrees with its field table, field by field, on values of every kind")
    func agrees() {
        #expect(allJSONMappedMessageTypes.count > 100)
        var checked = 0
        for type in allJSONMappedMessageTypes {
            checked += Self.check(type)
        }
        #expect(checked > 1000)
    }

    @Test("a name that is no field's is for the caller to keep")
    func unknownName() {
        for type in allJSONMappedMessageTypes {
            var message = type.init()
            let unnamed = message.readJSONMember("no such member", .string("x"))
            let empty = message.readJSONMember("", .null)
            #expect(!unnamed && !empty, "\(type.protoMessageName)")
        }
    }

    /// Compares the reader with the table for each field and value; returns the pairs checked.
    static func check<Message: JSONMappedMessage>(_ type: Message.Type) -> Int {
        var checked = 0
        for (index, field) in Message.jsonFields.enumerated() {
            for value in values {
                var read = Message()
                let readKeeps = !read.readJSONMember(field.name, value)
                var table = Message()
                let tableKeeps = !Message.jsonFields[index].read(into: &table, value)
                #expect(readKeeps == tableKeeps, "\(Message.protoMessageName).\(field.name) = \(value.serialized): kept \(readKeeps), the table \(tableKeeps)")
                #expect(read.isEqualTo(message: table), "\(Message.protoMessageName).\(field.name) = \(value.serialized)")
                checked += 1
            }
        }
        return checked
    }
}
