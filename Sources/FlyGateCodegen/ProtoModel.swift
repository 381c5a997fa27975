/// The messages and rpcs to generate, built from the document and the override table.
struct ProtoModel {
    /// A proto scalar, and how its JSON looks.
    enum Scalar: String {
        case string, int64, double, bool
        /// A member of no declared shape, carried as its JSON text in a proto string.
        case json

        var protoType: String { self == .json ? "string" : rawValue }
    }

    indirect enum Kind {
        case scalar(Scalar)
        case message(String)
        case repeated(Kind)
        case map(Kind)
    }

    struct Field {
        var name: String
        var number: Int
        var kind: Kind
        var codec: FieldCodec?
        var comment: String?
    }

    struct Message {
        var name: String
        var comment: String?
        var fields: [Field]
        /// Model messages mirror a JSON object and keep the members they do not name.
        var keepsUnknownMembers: Bool
    }

    struct RPC {
        var name: String
        var operation: OpenAPIDocument.Operation
        var method: String
        var pathParameters: [String]
        var queryParameters: [(name: String, scalar: Scalar, repeated: Bool)]
        var takesLeaseNonce: Bool
        /// The request body's message, if the operation takes one.
        var bodyKind: Kind?
        /// The response body's kind; nil when the success status carries no body.
        var responseKind: Kind?
        var successStatus: Int
        var leaseEnvelope: Bool
        var rawBody: Bool
        /// What flygate does with the rpc (``Traits``).
        var traits: Traits
        /// The non-repeated int64 query parameter giving the long-poll window in seconds, if any.
        var longPollWindowField: String?
        var requestMessage: String { name + "Request" }
        var responseMessage: String { name + "Response" }
    }

    var models: [Message] = []
    var rpcs: [RPC] = []
    /// Component schema name -> message name.
    var messageNames: [String: String] = [:]

    init(document: OpenAPIDocument, numbers: FieldNumbers) throws(CodegenError) {
        var document = document
        for extra in Overrides.extraComponents { document.components[extra.name] = extra }

        let rpcMessageNames = Set(Overrides.rpcs.flatMap { [$0.name + "Request", $0.name + "Response"] })
        var operations: [(RPCSpec, OpenAPIDocument.Operation)] = []
        for spec in Overrides.rpcs {
            let candidates = document.operations(withID: spec.operationID)
            guard let operation = candidates.first(where: { spec.method == nil || $0.method == spec.method }) else {
                throw CodegenError("operation \(spec.operationID) is not in the document")
            }
            operations.append((spec, operation))
        }

        // Every component the operations reach, named once.
        var reached: [String] = []
        var pending: [String] = []
        func visit(_ schema: OpenAPIDocument.Schema?) {
            guard let schema else { return }
            switch schema {
            case .reference(let name): pending.append(name)
            case .array(let inner), .map(let inner): visit(inner)
            case .object(let properties): properties.forEach { visit($0.schema) }
            default: break
            }
        }
        for (spec, operation) in operations {
            visit(operation.requestBody)
            operation.responses.forEach { visit($0.schema) }
            if let extra = Overrides.emptySuccessBodies[spec.operationID] { pending.append(extra) }
        }
        while let name = pending.popLast() {
            guard !reached.contains(name) else { continue }
            guard let component = document.components[name] else { throw CodegenError("missing schema \(name)") }
            reached.append(name)
            component.properties.forEach { visit($0.schema) }
        }
        for name in reached where document.components[name]?.enumValues == nil {
            var messageName = Self.messageName(forSchema: name)
            if rpcMessageNames.contains(messageName) { messageName += "Body" }
            messageNames[name] = messageName
        }

        for name in reached.sorted(by: { messageNames[$0, default: $0] < messageNames[$1, default: $1] }) {
            guard let component = document.components[name], let messageName = messageNames[name] else { continue }
            var fields: [Field] = []
            for property in component.properties {
                fields.append(
                    Field(
                        name: property.name,
                        number: numbers.number(messageName, property.name),
                        kind: try kind(of: property.schema, in: document),
                        codec: Overrides.fieldCodecs[name]?[property.name],
                        comment: Self.comment(property.description, enumValues: Self.enumValues(property.schema, document))
                    )
                )
            }
            let source = name == messageName ? "" : " Fly's schema `\(name)`."
            models.append(
                Message(
                    name: messageName,
                    comment: (Self.comment(component.description) ?? "") + source,
                    fields: fields,
                    keepsUnknownMembers: true
                )
            )
        }

        for (spec, operation) in operations {
            rpcs.append(try rpc(spec, operation, document: document))
        }
        try Self.checkTraitOverrides(rpcs)
    }

    private func kind(of schema: OpenAPIDocument.Schema, in document: OpenAPIDocument) throws(CodegenError) -> Kind {
        switch schema {
        case .string: return .scalar(.string)
        case .integer: return .scalar(.int64)
        case .number: return .scalar(.double)
        case .boolean: return .scalar(.bool)
        case .freeform, .object: return .scalar(.json)
        case .array(let inner):
            let element = try kind(of: inner, in: document)
            if case .scalar(.json) = element { return .scalar(.json) }
            return .repeated(element)
        case .map(let inner):
            return .map(try kind(of: inner, in: document))
        case .reference(let name):
            // Named string enums stay strings: Fly adds values, and a proto enum would drop them.
            if document.components[name]?.enumValues != nil { return .scalar(.string) }
            guard let messageName = messageNames[name] else { throw CodegenError("unnamed schema \(name)") }
            return .message(messageName)
        }
    }

    private func rpc(_ spec: RPCSpec, _ operation: OpenAPIDocument.Operation, document: OpenAPIDocument) throws(CodegenError) -> RPC {
        let id = operation.operationID
        let pathParameters = operation.parameters.filter { $0.location == .path }.map(\.name)
        var query: [(String, Scalar, Bool)] = []
        for parameter in operation.parameters where parameter.location == .query {
            guard case .scalar(let scalar) = try kind(of: parameter.schema, in: document) else {
                throw CodegenError("\(id): query parameter \(parameter.name) is not a scalar")
            }
            query.append((parameter.name, scalar, Overrides.repeatedQueryParameters[id]?.contains(parameter.name) ?? false))
        }
        let declaresNonce = operation.parameters.contains { $0.location == .header && $0.name == "fly-machine-lease-nonce" }

        let success = operation.responses.first { ["200", "201", "202", "204"].contains($0.status) }
        var responseKind: Kind?
        if let schema = success?.schema {
            responseKind = try kind(of: schema, in: document)
        } else if let extra = Overrides.emptySuccessBodies[id], let name = messageNames[extra] {
            responseKind = .message(name)
        }
        let takesLeaseNonce = declaresNonce || Overrides.leaseNonceOperations.contains(id)
        let longPollWindowField = Overrides.longPollWindowFields[id]
        if let field = longPollWindowField,
            !query.contains(where: { $0.0 == field && $0.1 == .int64 && !$0.2 })
        {
            throw CodegenError("\(id): long-poll window \(field) is not a single int64 query parameter")
        }
        return RPC(
            name: spec.name,
            operation: operation,
            method: operation.method,
            pathParameters: pathParameters,
            queryParameters: query,
            takesLeaseNonce: takesLeaseNonce,
            bodyKind: try operation.requestBody.map { (schema) throws(CodegenError) in try kind(of: schema, in: document) },
            responseKind: responseKind,
            successStatus: Int(success?.status ?? "200") ?? 200,
            leaseEnvelope: Overrides.leaseEnvelopeOperations.contains(id),
            rawBody: Overrides.rawBodyOperations.contains(id),
            traits: try Self.traits(spec, operation, takesLeaseNonce: takesLeaseNonce),
            longPollWindowField: longPollWindowField
        )
    }

    /// `fly.MachineConfig` -> `MachineConfig`, `main.memoryResponse` -> `MemoryResponse`.
    static func messageName(forSchema name: String) -> String {
        let base = name.split(separator: ".").last.map(String.init) ?? name
        return base.prefix(1).uppercased() + base.dropFirst()
    }

    static func enumValues(_ schema: OpenAPIDocument.Schema, _ document: OpenAPIDocument) -> [String] {
        switch schema {
        case .string(let values): values
        case .reference(let name): document.components[name]?.enumValues ?? []
        default: []
        }
    }

    /// A one-paragraph comment from a schema description, plus the allowed values.
    static func comment(_ description: String?, enumValues: [String] = []) -> String? {
        var text = (description ?? "").split(whereSeparator: \.isNewline).map { $0.trimmingSpaces }.joined(separator: " ")
        if !enumValues.isEmpty {
            text += (text.isEmpty ? "" : " ") + "One of: " + enumValues.joined(separator: ", ") + "."
        }
        return text.isEmpty ? nil : text
    }
}

extension Substring {
    var trimmingSpaces: String {
        String(drop(while: { $0 == " " || $0 == "\t" }).reversed().drop(while: { $0 == " " || $0 == "\t" }).reversed())
    }
}
