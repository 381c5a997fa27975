import FlyGateJSON

/// A JSON-Schema validator for the subset Fly's OpenAPI document uses: `type`, `properties`,
/// `items`, `additionalProperties`, `allOf`, `$ref`, `enum`, and `required` (only `fly.Static` has it).
///
/// One documented difference between the live API and the document is built in: a service's
/// `autostop` may be a boolean (Fly answers `false`/`true` for "off"/"stop").
package struct SchemaValidator {
    package let document: JSONValue

    package init(document: JSONValue) {
        self.document = document
    }

    /// The component schema called `name`.
    package func schema(named name: String) -> JSONValue? {
        document["components"]?["schemas"]?[name]
    }

    /// Problems found validating `value` against `schema`; empty when it conforms.
    package func validate(_ value: JSONValue, against schema: JSONValue, at path: String = "$", schemaName: String? = nil) -> [String] {
        var problems: [String] = []
        if let reference = schema["$ref"]?.stringValue {
            let name = String(reference.split(separator: "/").last ?? "")
            guard let target = self.schema(named: name) else { return ["\(path): unresolvable $ref \(reference)"] }
            return validate(value, against: target, at: path, schemaName: name)
        }
        for part in schema["allOf"]?.arrayValue ?? [] {
            problems += validate(value, against: part, at: path)
        }
        if let type = schema["type"]?.stringValue, !Self.has(value, type: type) {
            return problems + ["\(path): expected \(type), found \(value.kindName) \(value.serialized.prefix(80))"]
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            problems.append("\(path): \(value.serialized) is not one of \(JSONValue.array(allowed).serialized)")
        }
        if case .object(let object) = value {
            let properties = schema["properties"]?.objectValue ?? JSONObject()
            for required in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[required] == nil {
                problems.append("\(path): missing required member \(required)")
            }
            for (key, member) in object.members {
                let memberPath = "\(path).\(key)"
                if let propertySchema = properties[key] {
                    if schemaName == "fly.MachineService", key == "autostop", member.boolValue != nil { continue }
                    problems += validate(member, against: propertySchema, at: memberPath)
                } else if let additional = schema["additionalProperties"] {
                    if additional == false {
                        problems.append("\(memberPath): member not allowed")
                    } else if additional.objectValue != nil {
                        problems += validate(member, against: additional, at: memberPath)
                    }
                }
            }
        }
        if case .array(let elements) = value, let items = schema["items"] {
            for (index, element) in elements.enumerated() {
                problems += validate(element, against: items, at: "\(path)[\(index)]")
            }
        }
        return problems
    }

    /// Members of `value`, at any depth, that `schema` does not name where it names its members
    /// (`properties`, through `$ref` and `allOf`) and says nothing of others. Answers may carry
    /// such members (Fly adds them); a request that does has a member the sender misnamed.
    package func undocumentedMembers(_ value: JSONValue, in schema: JSONValue, at path: String = "$") -> [String] {
        let shape = self.shape(of: schema)
        switch value {
        case .object(let object):
            var problems: [String] = []
            for (key, member) in object.members {
                if let property = shape.properties[key] {
                    problems += undocumentedMembers(member, in: property, at: "\(path).\(key)")
                } else if let additional = shape.additional, additional.objectValue != nil {
                    problems += undocumentedMembers(member, in: additional, at: "\(path).\(key)")
                } else if shape.additional == nil, !shape.properties.isEmpty {
                    problems.append("\(path).\(key): member not in the document")
                }
            }
            return problems
        case .array(let elements):
            guard let items = shape.items else { return [] }
            return elements.enumerated().flatMap { undocumentedMembers($1, in: items, at: "\(path)[\($0)]") }
        default:
            return []
        }
    }

    /// The members, `additionalProperties` and `items` a schema gives, merged through `$ref` and `allOf`.
    private func shape(of schema: JSONValue, depth: Int = 0) -> (properties: JSONObject, additional: JSONValue?, items: JSONValue?) {
        var properties = schema["properties"]?.objectValue ?? JSONObject()
        var additional = schema["additionalProperties"]
        var items = schema["items"]
        guard depth < 16 else { return (properties, additional, items) }
        var parts = schema["allOf"]?.arrayValue ?? []
        if let reference = schema["$ref"]?.stringValue, let target = self.schema(named: String(reference.split(separator: "/").last ?? "")) {
            parts.append(target)
        }
        for part in parts {
            let inner = shape(of: part, depth: depth + 1)
            for (key, member) in inner.properties.members where properties[key] == nil { properties.append(key, member) }
            additional = additional ?? inner.additional
            items = items ?? inner.items
        }
        return (properties, additional, items)
    }

    private static func has(_ value: JSONValue, type: String) -> Bool {
        switch (type, value) {
        case ("object", .object), ("array", .array), ("string", .string), ("boolean", .bool), ("number", .number):
            true
        case ("integer", .number(let text)):
            !text.contains(".") && !text.contains("e") && !text.contains("E")
        default:
            false
        }
    }
}
