import FlyGateJSON

/// Generates the contract from Fly's OpenAPI document: the proto file and the Swift mapping.
package enum Codegen {
    /// Where each generated file goes, relative to the repository root.
    package static let protoPath = "proto/flygate/machines/v1/machines.proto"
    package static let swiftMappingPath = "Sources/FlyMachinesProto/Generated/machines+JSON.swift"

    /// Where the field-number lock goes (``FieldNumbers``).
    package static let fieldNumbersPath = FieldNumbers.path

    /// Generated files by their path relative to the repository root, the updated field-number
    /// lock among them.
    ///
    /// - Parameters:
    ///   - fieldNumbers: the lock file's text as committed; nil numbers fields in document order.
    ///   - sourceName: how the generated files name the document they came from.
    package static func generate(
        openAPIDocument bytes: [UInt8], fieldNumbers: String?, sourceName: String = "fly-machines-openapi.json"
    ) throws(CodegenError) -> [String: String] {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw CodegenError("the OpenAPI document is not JSON: \(error)")
        }
        let numbers = try fieldNumbers.map { text throws(CodegenError) in try FieldNumbers(parsing: text) } ?? FieldNumbers()
        let model = try ProtoModel(document: OpenAPIDocument(json: json), numbers: numbers)
        let proto = ProtoEmitter(model: model, sourceName: sourceName, numbers: numbers).emit()
        return [
            protoPath: proto,
            swiftMappingPath: SwiftMappingEmitter(model: model, sourceName: sourceName).emit(),
            fieldNumbersPath: numbers.text,
        ]
    }
}
