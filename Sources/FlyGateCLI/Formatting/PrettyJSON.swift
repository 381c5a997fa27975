import FlyGateJSON
import SwiftProtobuf

/// JSON for people: two-space indents, one member per line, members in their stored order.
package enum PrettyJSON {
    /// `value` as indented JSON text, ended by a newline.
    package static func render(_ value: JSONValue?) -> String {
        var output = ""
        write(value ?? .null, indent: 0, to: &output)
        return output + "\n"
    }

    /// A gateway message as its proto JSON mapping (proto field names), indented.
    package static func render(message: some SwiftProtobuf.Message) throws -> String {
        render(try JSONValue(parsing: try compact(message: message)))
    }

    /// A message's proto JSON mapping with proto field names and int64s as numbers, compact.
    package static func compact(message: some SwiftProtobuf.Message) throws -> String {
        var options = JSONEncodingOptions()
        options.preserveProtoFieldNames = true
        options.alwaysPrintInt64sAsNumbers = true
        options.useDeterministicOrdering = true
        return try message.jsonString(options: options)
    }

    private static func write(_ value: JSONValue, indent: Int, to output: inout String) {
        let inner = String(repeating: "  ", count: indent + 1)
        let closing = String(repeating: "  ", count: indent)
        switch value {
        case .array(let elements) where !elements.isEmpty:
            output += "[\n"
            for (position, element) in elements.enumerated() {
                output += inner
                write(element, indent: indent + 1, to: &output)
                output += position == elements.count - 1 ? "\n" : ",\n"
            }
            output += closing + "]"
        case .object(let object) where !object.isEmpty:
            output += "{\n"
            for (position, member) in object.members.enumerated() {
                output += inner + JSONValue.string(member.key).serialized + ": "
                write(member.value, indent: indent + 1, to: &output)
                output += position == object.count - 1 ? "\n" : ",\n"
            }
            output += closing + "}"
        default:
            output += value.serialized
        }
    }
}
