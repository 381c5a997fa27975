import FlyGateJSON
import SwiftProtobuf

/// Why a JSON body could not become a message.
package struct JSONMappingError: Error, Sendable, CustomStringConvertible {
    package var description: String
    package init(_ description: String) { self.description = description }
}

/// A model message that mirrors a JSON object of Fly's API, losslessly.
///
/// Members the message names become its fields. Every other member, and every member whose
/// JSON form the typed field cannot hold exactly (a `null`, an empty list, `autostop: true`, a
/// value of the wrong type), is kept in `unknownJson` and written back where it came from
/// unless the caller changed that field. So JSON -> message -> JSON gives the same JSON value.
package protocol JSONMappedMessage: SwiftProtobuf.Message {
    /// The named members, in the schema's order. Generated.
    static var jsonFields: [JSONField<Self>] { get }
    /// The other members, as a JSON object text.
    var unknownJson: String { get set }
    /// Reads member `key` into the field it names, as its ``jsonFields`` entry would
    /// (``JSONField/read(into:_:)``); false when the member must be kept as it came. Generated:
    /// straight-line code for the common kinds, the entry for the rest.
    mutating func readJSONMember(_ key: String, _ json: JSONValue) -> Bool
}

extension JSONMappedMessage {
    /// Reads a JSON object; fails only when the value is not an object.
    package init(json: JSONValue) throws(JSONMappingError) {
        guard let object = json.objectValue else {
            throw JSONMappingError("expected a JSON object for \(Self.protoMessageName), got \(json.kindName)")
        }
        self.init()
        var kept = JSONObject()
        for (key, value) in object.members where !readJSONMember(key, value) {
            kept.append(key, value)
        }
        unknownJson = kept.isEmpty ? "" : JSONValue.object(kept).serialized
    }

    /// Reads JSON text.
    package init(jsonBytes: some Collection<UInt8>) throws(JSONMappingError) {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: jsonBytes)
        } catch {
            throw JSONMappingError(error.description)
        }
        try self.init(json: value)
    }

    /// The message as Fly's JSON: named fields, then the kept members.
    package func jsonValue() -> JSONValue {
        var kept = JSONObject()
        if !unknownJson.isEmpty, case .object(let object)? = try? JSONValue(parsing: unknownJson) {
            kept = object
        }
        var out = JSONObject()
        for field in Self.jsonFields {
            let current = field.encodeFrom(self)
            if let original = kept[field.name] {
                kept[field.name] = nil
                // The original form wins while it still says what the field says.
                var probe = Self()
                _ = field.decodeInto(&probe, original)
                if field.encodeFrom(probe) == current {
                    out.append(field.name, original)
                    continue
                }
            }
            if let current { out.append(field.name, current) }
        }
        for (key, value) in kept.members { out.append(key, value) }
        return .object(out)
    }

    /// Compact JSON text.
    package func jsonBytes() -> [UInt8] { jsonValue().serializedBytes }
}
