import FlyGateJSON

/// Generates the contract from Fly's OpenAPI document: a proto file, a field-number lock and a
/// Swift mapping per service, and the rpc table.
package enum Codegen {
    /// Where each generated file of `flygate.machines.v1.Machines` goes, relative to the repository root.
    package static let protoPath = machines.protoPath
    package static let swiftMappingPath = machines.swiftMappingPath
    /// Where the Machines file's field-number lock goes (``FieldNumbers``).
    package static let fieldNumbersPath = machines.numbersPath

    /// The rpc table of every service, `MachinesRPC`.
    package static let rpcTablePath = "Sources/FlyMachinesProto/Generated/MachinesRPC+Table.swift"

    /// Every service's proto file, relative to the repository root, in generation order.
    package static var protoPaths: [String] { Overrides.services.map(\.protoPath) }

    /// Every service's field-number lock, relative to the repository root.
    package static var fieldNumbersPaths: [String] { Overrides.services.map(\.numbersPath) }

    /// The fully qualified names of the generated services (`flygate.machines.v1.Machines`, ...).
    package static var serviceNames: [String] { Overrides.services.map(\.fullName) }

    /// Operations of the document that are deliberately not rpcs, with the reason.
    package static var excludedOperations: [(method: String, path: String, reason: String)] {
        Overrides.excludedOperations.map { ($0.method, $0.path, $0.reason) }
    }

    private static var machines: ServiceSpec { Overrides.services[0] }

    /// Generated files by their path relative to the repository root, the updated field-number
    /// locks among them.
    ///
    /// - Parameters:
    ///   - fieldNumbers: each lock file's text as committed, by its path; a file without one
    ///     numbers its fields in document order.
    ///   - sourceName: how the generated files name the document they came from.
    package static func generate(
        openAPIDocument bytes: [UInt8], fieldNumbers: [String: String], sourceName: String = "fly-machines-openapi.json"
    ) throws(CodegenError) -> [String: String] {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw CodegenError("the OpenAPI document is not JSON: \(error)")
        }
        var locks: [String: FieldNumbers] = [:]
        for service in Overrides.services {
            let path = service.numbersPath
            locks[path] = try fieldNumbers[path].map { text throws(CodegenError) in try FieldNumbers(parsing: text, path: path) }
                ?? FieldNumbers(path: path)
        }
        let model = try ProtoModel(document: OpenAPIDocument(json: json)) { locks[$0.numbersPath]! }
        var files: [String: String] = [:]
        for file in model.files {
            let numbers = locks[file.service.numbersPath]!
            files[file.service.protoPath] = ProtoEmitter(file: file, sourceName: sourceName, numbers: numbers).emit()
            files[file.service.swiftMappingPath] = SwiftMappingEmitter(model: model, sourceName: sourceName).emitMapping(of: file)
        }
        // The locks last: emitting the request and response messages numbers their fields.
        for (path, lock) in locks { files[path] = lock.text }
        files[rpcTablePath] = SwiftMappingEmitter(model: model, sourceName: sourceName).emitRPCTable()
        return files
    }
}
