import FlyGateJSON
import Foundation
import SwiftProtobuf

/// Refuses `unknown_json` members that Fly would read as another member.
///
/// Fly's Go decoder matches JSON keys to fields case-insensitively, so an unknown member
/// `"Image"` sent beside (or instead of) the typed `image` may be the image Fly runs while the
/// typed field — what the audit record and every reader of the request see — says otherwise.
/// So a request is refused when, in any model message it holds, an `unknown_json` member equals
/// one of the message's typed field names or another unknown member under case folding without
/// being the same key (a member named exactly like a typed field is that field's original JSON
/// form, which ``JSONMappedMessage/jsonValue()`` sends once). Two unknown members with the
/// same key are refused too: Fly would take the last.
extension SwiftProtobuf.Message {
    /// Throws when a model message anywhere in this message has colliding `unknown_json` members.
    package func checkUnknownMembers() throws(JSONMappingError) {
        var visitor = UnknownMemberVisitor()
        do {
            try visitor.check(self)
        } catch let error as JSONMappingError {
            throw error
        } catch {
            throw JSONMappingError("cannot read the request's fields: \(error)")
        }
    }
}

/// Case folding as Go's `encoding/json` does it (upper of lower, so the Kelvin sign folds
/// to `K` and the long s to `S`); it may fold a few more pairs than Go, never fewer.
private func folded(_ key: String) -> String { key.lowercased().uppercased() }

/// Walks every set message field, checking each model message's `unknown_json`.
private struct UnknownMemberVisitor: SwiftProtobuf.Visitor {
    mutating func check(_ message: some SwiftProtobuf.Message) throws {
        if let mapped = message as? any JSONMappedMessage { try Self.checkMembers(of: mapped) }
        try message.traverse(visitor: &self)
    }

    private static func checkMembers<M: JSONMappedMessage>(of message: M) throws(JSONMappingError) {
        guard !message.unknownJson.isEmpty, case .object(let unknown)? = try? JSONValue(parsing: message.unknownJson) else {
            return
        }
        let fields = Dictionary(M.jsonFields.map { (folded($0.name), $0.name) }, uniquingKeysWith: { first, _ in first })
        var seen: [String: String] = [:]
        for key in unknown.keys {
            let fold = folded(key)
            if let field = fields[fold], field != key {
                throw JSONMappingError(
                    "\(M.protoMessageName).unknown_json: member \"\(shown(key))\" differs from the field \"\(field)\" only by case; Fly would read it as that field")
            }
            if let other = seen[fold] {
                let what = other == key ? "appears twice" : "differs from the member \"\(shown(other))\" only by case"
                throw JSONMappingError("\(M.protoMessageName).unknown_json: member \"\(shown(key))\" \(what); Fly would take the last")
            }
            seen[fold] = key
        }
    }

    /// A key as quoted in a message: at most 64 characters.
    private static func shown(_ key: String) -> String { key.count > 64 ? String(key.prefix(64)) + "…" : key }

    mutating func visitSingularMessageField<M: SwiftProtobuf.Message>(value: M, fieldNumber: Int) throws {
        try check(value)
    }

    mutating func visitMapField<KeyType, ValueType>(
        fieldType: _ProtobufMessageMap<KeyType, ValueType>.Type,
        value: _ProtobufMessageMap<KeyType, ValueType>.BaseType,
        fieldNumber: Int
    ) throws {
        for element in value.values { try check(element) }
    }

    // Scalars and maps of scalars hold no messages.
    mutating func visitSingularDoubleField(value: Double, fieldNumber: Int) throws {}
    mutating func visitSingularInt64Field(value: Int64, fieldNumber: Int) throws {}
    mutating func visitSingularUInt64Field(value: UInt64, fieldNumber: Int) throws {}
    mutating func visitSingularBoolField(value: Bool, fieldNumber: Int) throws {}
    mutating func visitSingularStringField(value: String, fieldNumber: Int) throws {}
    mutating func visitSingularBytesField(value: Data, fieldNumber: Int) throws {}
    mutating func visitSingularEnumField<E: SwiftProtobuf.Enum>(value: E, fieldNumber: Int) throws {}
    mutating func visitMapField<KeyType, ValueType: MapValueType>(
        fieldType: _ProtobufMap<KeyType, ValueType>.Type,
        value: _ProtobufMap<KeyType, ValueType>.BaseType,
        fieldNumber: Int
    ) throws {}
    mutating func visitMapField<KeyType, ValueType>(
        fieldType: _ProtobufEnumMap<KeyType, ValueType>.Type,
        value: _ProtobufEnumMap<KeyType, ValueType>.BaseType,
        fieldNumber: Int
    ) throws where ValueType.RawValue == Int {}
    mutating func visitUnknown(bytes: Data) throws {}
}
