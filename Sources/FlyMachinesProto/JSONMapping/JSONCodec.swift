import FlyGateJSON

/// Reads a proto value from a member's JSON and writes it back.
///
/// `decode` answers nil when the JSON cannot be held by the value; `isExact` says whether a
/// decoded JSON value is known to re-encode to the same JSON, which spares the comparison that
/// otherwise decides whether the original form must be kept beside the value.
package struct JSONCodec<Value>: Sendable {
    package let decode: @Sendable (JSONValue) -> Value?
    package let encode: @Sendable (Value) -> JSONValue
    package let isExact: @Sendable (JSONValue) -> Bool

    package init(
        decode: @escaping @Sendable (JSONValue) -> Value?,
        encode: @escaping @Sendable (Value) -> JSONValue,
        isExact: @escaping @Sendable (JSONValue) -> Bool = { _ in false }
    ) {
        self.decode = decode
        self.encode = encode
        self.isExact = isExact
    }
}

extension JSONCodec where Value == String {
    package static var string: Self {
        Self(decode: \.stringValue, encode: { .string($0) }, isExact: { $0.stringValue != nil })
    }

    /// A member of no declared shape, kept as its JSON text.
    package static var jsonText: Self {
        Self(
            decode: { $0.serialized },
            encode: { (try? JSONValue(parsing: $0)) ?? .string($0) },
            isExact: { _ in true }
        )
    }

    /// `autostop`: "off" | "stop" | "suspend", also sent as false/true for off/stop.
    package static var autostop: Self {
        Self(
            decode: { json in
                if let flag = json.boolValue { return flag ? "stop" : "off" }
                return json.stringValue
            },
            encode: { .string($0) },
            isExact: { $0.stringValue != nil }
        )
    }

    /// A Go duration string; a JSON number is nanoseconds and reads as a duration string.
    package static var duration: Self {
        Self(
            decode: { json in
                if let text = json.stringValue { return text }
                if let nanoseconds = json.int64Value { return GoDuration.format(nanoseconds: nanoseconds) }
                return nil
            },
            encode: { .string($0) },
            isExact: { $0.stringValue != nil }
        )
    }

    /// A signal name; a number reads as its name.
    package static var signal: Self {
        Self(
            decode: { json in
                if let text = json.stringValue { return text }
                if let number = json.int64Value { return SignalNames.name(of: number) }
                return nil
            },
            encode: { .string($0) },
            isExact: { $0.stringValue != nil }
        )
    }
}

extension JSONCodec where Value == Int64 {
    /// A whole JSON number that fits in 64 bits.
    package static var int64: Self {
        Self(
            decode: \.int64Value,
            encode: { .number(String($0)) },
            isExact: { json in
                if case .number(let text) = json { return Int64(text).map(String.init) == text }
                return false
            }
        )
    }
}

extension JSONCodec where Value == Double {
    package static var double: Self {
        Self(decode: \.doubleValue, encode: { .double($0) })
    }
}

extension JSONCodec where Value == Bool {
    package static var bool: Self {
        Self(decode: \.boolValue, encode: { .bool($0) }, isExact: { $0.boolValue != nil })
    }
}

extension JSONCodec {
    /// A JSON array of elements, all or nothing.
    package static func array<Element>(_ element: JSONCodec<Element>) -> Self where Value == [Element] {
        Self(
            decode: { json in
                guard let items = json.arrayValue else { return nil }
                var result: [Element] = []
                result.reserveCapacity(items.count)
                for item in items {
                    guard let value = element.decode(item) else { return nil }
                    result.append(value)
                }
                return result
            },
            encode: { .array($0.map(element.encode)) },
            isExact: { json in
                guard let items = json.arrayValue, !items.isEmpty else { return false }
                return items.allSatisfy(element.isExact)
            }
        )
    }

    /// A JSON object used as a map, all or nothing. Keys are written sorted.
    package static func map<Element>(_ element: JSONCodec<Element>) -> Self where Value == [String: Element] {
        Self(
            decode: { json in
                guard let object = json.objectValue else { return nil }
                var result: [String: Element] = [:]
                for (key, item) in object.members {
                    guard let value = element.decode(item) else { return nil }
                    result[key] = value
                }
                return result
            },
            encode: { map in
                .object(JSONObject(map.keys.sorted().map { (key: $0, value: element.encode(map[$0]!)) }))
            },
            isExact: { json in
                guard let object = json.objectValue, !object.isEmpty else { return false }
                return object.members.allSatisfy { element.isExact($0.value) }
            }
        )
    }

    /// A nested model message; an object always decodes and re-encodes exactly.
    package static func message(_ type: Value.Type) -> Self where Value: JSONMappedMessage {
        Self(
            decode: { json in json.objectValue == nil ? nil : try? Value(json: json) },
            encode: { $0.jsonValue() },
            isExact: { $0.objectValue != nil }
        )
    }
}
