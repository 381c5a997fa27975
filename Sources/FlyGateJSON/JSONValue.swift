/// A JSON value that survives a round trip exactly: numbers keep their source text and
/// objects keep their members in order, so what Fly sent is what a client gets back.
package enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// A number as its JSON text (`12`, `-0.5`, `1e9`); never rounded through a Double.
    case number(String)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

extension JSONValue {
    /// A number from an integer.
    package static func int<I: BinaryInteger>(_ value: I) -> JSONValue { .number(String(value)) }

    /// A number from a Double; integral values are written without a fraction.
    package static func double(_ value: Double) -> JSONValue {
        if abs(value) < 1e15, let whole = Int64(exactly: value) {
            return .number(String(whole))
        }
        return .number(value.isFinite ? String(value) : "0")
    }

    /// The member `key` when this is an object, else nil.
    package subscript(key: String) -> JSONValue? {
        if case .object(let object) = self { return object[key] }
        return nil
    }

    package var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    package var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    package var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    package var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    package var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The value as a whole number: a JSON integer, or a number with no fraction.
    package var int64Value: Int64? {
        guard case .number(let text) = self else { return nil }
        if let exact = Int64(text) { return exact }
        if let double = Double(text), abs(double) < 9.2e18 { return Int64(exactly: double) }
        return nil
    }

    /// The bytes an array of whole numbers 0–255 holds (how Fly's JSON writes a byte string:
    /// a plaintext, a ciphertext, a signature, a key); nil for anything else.
    package var byteArrayValue: [UInt8]? {
        guard case .array(let elements) = self else { return nil }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(elements.count)
        for element in elements {
            guard let number = element.int64Value, let byte = UInt8(exactly: number) else { return nil }
            bytes.append(byte)
        }
        return bytes
    }

    package var uint64Value: UInt64? {
        guard case .number(let text) = self else { return nil }
        if let exact = UInt64(text) { return exact }
        if let value = int64Value, value >= 0 { return UInt64(value) }
        return nil
    }

    package var doubleValue: Double? {
        guard case .number(let text) = self else { return nil }
        return Double(text)
    }

    /// A short name of the value's kind, for error messages.
    package var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: Equatable {
    /// Values are equal as JSON: member order does not matter, numbers compare by value.
    package static func == (lhs: JSONValue, rhs: JSONValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.number(let a), .number(let b)): a == b || (Double(a) != nil && Double(a) == Double(b))
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)): a == b
        default: false
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByBooleanLiteral, ExpressibleByIntegerLiteral,
    ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    package init(stringLiteral value: String) { self = .string(value) }
    package init(booleanLiteral value: Bool) { self = .bool(value) }
    package init(integerLiteral value: Int) { self = .number(String(value)) }
    package init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    package init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(elements.map { (key: $0.0, value: $0.1) }))
    }
    package init(nilLiteral: ()) { self = .null }
}
