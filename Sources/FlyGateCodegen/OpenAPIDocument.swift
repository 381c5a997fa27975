import FlyGateJSON

/// The parts of an OpenAPI 3 document the generator reads: component schemas and operations.
struct OpenAPIDocument {
    /// A schema reduced to what a proto field can express.
    indirect enum Schema: Equatable, Sendable {
        case string(enumValues: [String])
        case integer
        case number
        case boolean
        case array(Schema)
        /// `additionalProperties` with a value schema: a JSON object used as a map.
        case map(Schema)
        /// A JSON object with no declared shape (`{"type": "object"}`).
        case freeform
        /// A named component schema.
        case reference(String)
        /// An inline object with properties (none appear in operations the gateway serves).
        case object([Property])
    }

    struct Property: Equatable, Sendable {
        var name: String
        var schema: Schema
        var description: String? = nil
    }

    /// A named component schema: an object with properties, or a named string enum.
    struct Component: Sendable {
        var name: String
        var description: String?
        var properties: [Property]
        var enumValues: [String]?
    }

    struct Parameter: Sendable {
        enum Location: String, Sendable { case path, query, header }
        var name: String
        var location: Location
        var schema: Schema
        var required: Bool
        var description: String?
    }

    struct Operation: Sendable {
        var operationID: String
        var method: String
        var path: String
        var summary: String?
        var parameters: [Parameter]
        var requestBody: Schema?
        var requestBodyRequired: Bool
        /// Status code -> body schema (nil for an empty body).
        var responses: [(status: String, schema: Schema?)]
    }

    var components: [String: Component]
    var operations: [Operation]

    init(json: JSONValue) throws(CodegenError) {
        guard let schemas = json["components"]?["schemas"]?.objectValue else {
            throw CodegenError("the document has no components.schemas")
        }
        var components: [String: Component] = [:]
        // Components that are themselves maps (`placement.Weights`: an object of integers with
        // no properties): a reference to one is that map, not a message with nothing in it.
        var maps: [String: Schema] = [:]
        for (name, value) in schemas.members {
            if value["properties"] == nil, let additional = value["additionalProperties"], additional.objectValue != nil {
                maps[name] = try Self.schema(value)
                continue
            }
            components[name] = try Self.component(named: name, value)
        }

        guard let paths = json["paths"]?.objectValue else { throw CodegenError("the document has no paths") }
        var operations: [Operation] = []
        for (path, item) in paths.members {
            guard let item = item.objectValue else { continue }
            for (method, value) in item.members where ["get", "post", "put", "patch", "delete"].contains(method) {
                operations.append(try Self.operation(method: method.uppercased(), path: path, value))
            }
        }

        let inline = { (schema: Schema) in schema.inliningReferences(to: maps) }
        for (name, component) in components {
            components[name]?.properties = component.properties.map { Property(name: $0.name, schema: inline($0.schema), description: $0.description) }
        }
        for index in operations.indices {
            operations[index].requestBody = operations[index].requestBody.map(inline)
            operations[index].responses = operations[index].responses.map { ($0.status, $0.schema.map(inline)) }
            for parameter in operations[index].parameters.indices {
                operations[index].parameters[parameter].schema = inline(operations[index].parameters[parameter].schema)
            }
        }
        self.components = components
        self.operations = operations
    }

    /// The operations with this id (bulk metadata is one id on two methods).
    func operations(withID id: String) -> [Operation] {
        operations.filter { $0.operationID == id }
    }

    private static func component(named name: String, _ value: JSONValue) throws(CodegenError) -> Component {
        let description = value["description"]?.stringValue
        if value["type"]?.stringValue == "string" {
            let values = value["enum"]?.arrayValue?.compactMap(\.stringValue) ?? []
            return Component(name: name, description: description, properties: [], enumValues: values)
        }
        var properties: [Property] = []
        for (propertyName, propertyValue) in value["properties"]?.objectValue?.members ?? [] {
            properties.append(
                Property(
                    name: propertyName,
                    schema: try schema(propertyValue),
                    description: propertyValue["description"]?.stringValue
                )
            )
        }
        return Component(name: name, description: description, properties: properties, enumValues: nil)
    }

    static func schema(_ value: JSONValue) throws(CodegenError) -> Schema {
        if let reference = value["$ref"]?.stringValue {
            return .reference(try referencedName(reference))
        }
        // `allOf` with one reference wraps a reference to attach a description.
        if let allOf = value["allOf"]?.arrayValue, allOf.count == 1 {
            return try schema(allOf[0])
        }
        switch value["type"]?.stringValue {
        case "string": return .string(enumValues: value["enum"]?.arrayValue?.compactMap(\.stringValue) ?? [])
        case "integer": return .integer
        case "number": return .number
        case "boolean": return .boolean
        case "array":
            guard let items = value["items"] else { throw CodegenError("array without items") }
            return .array(try schema(items))
        case "object", nil:
            if let additional = value["additionalProperties"], additional.objectValue != nil {
                let valueSchema = try schema(additional)
                return valueSchema == .object([]) ? .map(.freeform) : .map(valueSchema)
            }
            if let properties = value["properties"]?.objectValue, !properties.isEmpty {
                var result: [Property] = []
                for (name, property) in properties.members {
                    result.append(Property(name: name, schema: try schema(property), description: property["description"]?.stringValue))
                }
                return .object(result)
            }
            return value["type"]?.stringValue == "object" ? .freeform : .object([])
        case let other?:
            throw CodegenError("unsupported schema type \(other)")
        }
    }

    private static func referencedName(_ reference: String) throws(CodegenError) -> String {
        let prefix = "#/components/schemas/"
        guard reference.hasPrefix(prefix) else { throw CodegenError("unsupported reference \(reference)") }
        return String(reference.dropFirst(prefix.count))
    }

    private static func operation(method: String, path: String, _ value: JSONValue) throws(CodegenError) -> Operation {
        let id = value["operationId"]?.stringValue ?? "\(method) \(path)"
        var parameters: [Parameter] = []
        for parameter in value["parameters"]?.arrayValue ?? [] {
            guard let name = parameter["name"]?.stringValue,
                let location = parameter["in"]?.stringValue.flatMap(Parameter.Location.init(rawValue:))
            else { throw CodegenError("\(id): a parameter without name or location") }
            parameters.append(
                Parameter(
                    name: name,
                    location: location,
                    schema: try parameter["schema"].map { (v) throws(CodegenError) in try schema(v) } ?? .string(enumValues: []),
                    required: parameter["required"]?.boolValue ?? false,
                    description: parameter["description"]?.stringValue
                )
            )
        }
        var requestBody: Schema?
        if let body = value["requestBody"]?["content"]?["application/json"]?["schema"] {
            requestBody = try schema(body)
        }
        var responses: [(String, Schema?)] = []
        for (status, response) in value["responses"]?.objectValue?.members ?? [] {
            let body = response["content"]?["application/json"]?["schema"]
            responses.append((status, try body.map { (v) throws(CodegenError) in try schema(v) }))
        }
        return Operation(
            operationID: id,
            method: method,
            path: path,
            summary: value["summary"]?.stringValue,
            parameters: parameters,
            requestBody: requestBody,
            requestBodyRequired: value["requestBody"]?["required"]?.boolValue ?? false,
            responses: responses
        )
    }
}

extension OpenAPIDocument.Schema {
    /// This schema with every reference to a name in `maps` replaced by the map it names.
    func inliningReferences(to maps: [String: Self]) -> Self {
        switch self {
        case .reference(let name): maps[name] ?? self
        case .array(let inner): .array(inner.inliningReferences(to: maps))
        case .map(let inner): .map(inner.inliningReferences(to: maps))
        case .object(let properties):
            .object(properties.map { .init(name: $0.name, schema: $0.schema.inliningReferences(to: maps), description: $0.description) })
        case .string, .integer, .number, .boolean, .freeform: self
        }
    }
}

/// Why generation failed.
package struct CodegenError: Error, CustomStringConvertible {
    package var description: String
    init(_ description: String) { self.description = description }
}
