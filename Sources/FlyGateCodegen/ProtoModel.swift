/// The messages and rpcs to generate, built from the document and the override tables: one
/// file per service (``Overrides/services``).
struct ProtoModel {
    /// A proto scalar, and how its JSON looks.
    enum Scalar: String {
        case string, int64, double, bool
        /// A member of no declared shape, carried as its JSON text in a proto string.
        case json

        var protoType: String { self == .json ? "string" : rawValue }
    }

    /// A message by its proto package and name.
    struct MessageName: Hashable {
        var package: String
        var name: String
    }

    indirect enum Kind {
        case scalar(Scalar)
        case message(MessageName)
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
        /// The proto package of the rpc's service (its request and response messages).
        var package: String
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

    /// One proto file: a service, its rpcs, and the model messages first reached by them.
    struct File {
        var service: ServiceSpec
        var rpcs: [RPC] = []
        var models: [Message] = []
        /// Import paths (relative to `proto/`) of the files whose messages this one names.
        var imports: [String] = []
    }

    var files: [File] = []
    /// Component schema name -> message.
    var messageNames: [String: MessageName] = [:]

    /// Every rpc, in file order.
    var rpcs: [RPC] { files.flatMap(\.rpcs) }

    /// - Parameter numbers: the field-number lock of each service's file, by lock path.
    init(document: OpenAPIDocument, numbers: (ServiceSpec) -> FieldNumbers) throws(CodegenError) {
        var document = document
        for extra in Overrides.extraComponents { document.components[extra.name] = extra }
        try Self.checkCoverage(document)
        try Self.checkNames()

        var placed: [String: Int] = [:]
        var operationsByFile: [[(RPCSpec, OpenAPIDocument.Operation)]] = []
        for (index, service) in Overrides.services.enumerated() {
            var operations: [(RPCSpec, OpenAPIDocument.Operation)] = []
            for spec in service.rpcs {
                let candidates = document.operations(withID: spec.operationID)
                guard let operation = candidates.first(where: { spec.method == nil || $0.method == spec.method }) else {
                    throw CodegenError("operation \(spec.operationID) is not in the document")
                }
                operations.append((spec, operation))
            }
            operationsByFile.append(operations)

            // Every component the service's operations reach that no earlier file holds.
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
                guard !reached.contains(name), placed[name] == nil else { continue }
                guard let component = document.components[name] else { throw CodegenError("missing schema \(name)") }
                reached.append(name)
                component.properties.forEach { visit($0.schema) }
            }
            let rpcMessageNames = Set(service.rpcs.flatMap { [$0.name + "Request", $0.name + "Response"] })
            var taken: [String: String] = [:]
            for name in reached where document.components[name]?.enumValues == nil {
                var messageName = Self.messageName(forSchema: name)
                if rpcMessageNames.contains(messageName) { messageName += "Body" }
                if let other = taken[messageName] {
                    throw CodegenError("schemas \(other) and \(name) both become message \(messageName)")
                }
                taken[messageName] = name
                messageNames[name] = MessageName(package: service.package, name: messageName)
                placed[name] = index
            }
            var file = File(service: service)
            file.models = reached.filter { messageNames[$0] != nil }.map { ($0, messageNames[$0]!.name) }
                .sorted { $0.1 < $1.1 }
                .map { Message(name: $0.1, comment: nil, fields: [], keepsUnknownMembers: true) }
            files.append(file)
        }

        // Fields, once every component has its message.
        for index in files.indices {
            let service = files[index].service
            let fileNumbers = numbers(service)
            let schemas = Dictionary(
                uniqueKeysWithValues: messageNames.filter { $0.value.package == service.package }.map { ($0.value.name, $0.key) })
            for modelIndex in files[index].models.indices {
                let messageName = files[index].models[modelIndex].name
                guard let name = schemas[messageName], let component = document.components[name] else { continue }
                var fields: [Field] = []
                var caseTwins: [String] = []
                for property in component.properties {
                    // Two members that differ only in case would be one proto-generated property
                    // (Fly's `AppSecretsUpdateResp` has a deprecated `Version` beside `version`):
                    // the snake-case one is the field, the other stays in `unknown_json`.
                    if property.name != property.name.lowercased(),
                        component.properties.contains(where: { $0.name != property.name && $0.name.lowercased() == property.name.lowercased() })
                    {
                        caseTwins.append(property.name)
                        continue
                    }
                    fields.append(
                        Field(
                            name: property.name,
                            number: fileNumbers.number(messageName, property.name),
                            kind: try kind(of: property.schema, in: document),
                            codec: Overrides.fieldCodecs[name]?[property.name],
                            comment: Self.comment(property.description, enumValues: Self.enumValues(property.schema, document))
                        )
                    )
                }
                var source = name == messageName ? "" : " Fly's schema `\(name)`."
                for twin in caseTwins {
                    source += " Its member `\(twin)` differs from `\(twin.lowercased())` only in case and stays in unknown_json."
                }
                files[index].models[modelIndex].comment = (Self.comment(component.description) ?? "") + source
                files[index].models[modelIndex].fields = fields
            }
            for (spec, operation) in operationsByFile[index] {
                files[index].rpcs.append(try rpc(spec, operation, package: service.package, document: document))
            }
            files[index].imports = importPaths(of: files[index])
        }
        try Self.checkTraitOverrides(rpcs)
    }

    /// The files whose messages `file` names, in service order.
    private func importPaths(of file: File) -> [String] {
        var packages: Set<String> = []
        func note(_ kind: Kind?) {
            switch kind {
            case .message(let name)?: packages.insert(name.package)
            case .repeated(let inner)?, .map(let inner)?: note(inner)
            default: break
            }
        }
        file.models.forEach { $0.fields.forEach { note($0.kind) } }
        file.rpcs.forEach {
            note($0.bodyKind)
            note($0.responseKind)
        }
        packages.remove(file.service.package)
        return Overrides.services.filter { packages.contains($0.package) }.map(\.importPath)
    }

    /// Fails unless every operation of the document is an rpc or excluded, and no exclusion or
    /// omission names what the document does not have.
    static func checkCoverage(_ document: OpenAPIDocument) throws(CodegenError) {
        var served: Set<String> = []
        for spec in Overrides.rpcs {
            for operation in document.operations(withID: spec.operationID) where spec.method == nil || operation.method == spec.method {
                served.insert("\(operation.method) \(operation.path)")
            }
        }
        let excluded = Set(Overrides.excludedOperations.map { "\($0.method) \($0.path)" })
        for operation in document.operations {
            let key = "\(operation.method) \(operation.path)"
            if served.contains(key) && excluded.contains(key) {
                throw CodegenError("\(key) (\(operation.operationID)) is both an rpc and excluded")
            }
            if !served.contains(key) && !excluded.contains(key) {
                throw CodegenError(
                    "\(key) (\(operation.operationID)) is neither an rpc nor excluded: add it to a service in Overrides.services, "
                        + "or to Overrides.excludedOperations with the reason")
            }
        }
        let present = Set(document.operations.map { "\($0.method) \($0.path)" })
        if let stray = excluded.subtracting(present).sorted().first {
            throw CodegenError("Overrides.excludedOperations names \(stray), which the document does not have")
        }
        for (id, parameters) in Overrides.omittedQueryParameters {
            let declared = Set(document.operations(withID: id).flatMap(\.parameters).filter { $0.location == .query }.map(\.name))
            if let stray = Set(parameters.keys).subtracting(declared).sorted().first {
                throw CodegenError("Overrides.omittedQueryParameters names \(id) \(stray), which the document does not declare")
            }
        }
    }

    /// Fails when two rpcs share a name: each is one case of the generated rpc table.
    static func checkNames() throws(CodegenError) {
        var seen: Set<String> = []
        for spec in Overrides.rpcs where !seen.insert(spec.name).inserted {
            throw CodegenError("two rpcs are named \(spec.name): rpc names are unique across services")
        }
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

    private func rpc(
        _ spec: RPCSpec, _ operation: OpenAPIDocument.Operation, package: String, document: OpenAPIDocument
    ) throws(CodegenError) -> RPC {
        let id = operation.operationID
        let pathParameters = operation.parameters.filter { $0.location == .path }.map(\.name)
        var query: [(String, Scalar, Bool)] = []
        let omitted = Overrides.omittedQueryParameters[id] ?? [:]
        for parameter in operation.parameters where parameter.location == .query && omitted[parameter.name] == nil {
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
            package: package,
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
