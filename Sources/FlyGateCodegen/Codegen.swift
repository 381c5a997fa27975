import FlyGateJSON

/// Generates the contract from Fly's OpenAPI document: the proto file and the Swift mapping.
package enum Codegen {
    /// Where each generated file goes, relative to the repository root.
    package static let protoPath = "proto/flygate/machines/v1/machines.proto"
    package static let swiftMappingPath = "Sources/FlyMachinesProto/Generated/machines+JSON.swift"

    /// Generated files by their path relative to the repository root.
    ///
    /// - Parameter sourceName: how the generated files name the document they came from.
    package static func generate(openAPIDocument bytes: [UInt8], sourceName: String = "fly-machines-openapi.json") throws(CodegenError) -> [String: String] {
        let json: JSONValue
        do {
            json = try JSONValue(parsing: bytes)
        } catch {
            throw CodegenError("the OpenAPI document is not JSON: \(error)")
        }
        let model = try ProtoModel(document: OpenAPIDocument(json: json))
        return [
            protoPath: ProtoEmitter(model: model, sourceName: sourceName).emit(),
            swiftMappingPath: SwiftMappingEmitter(model: model, sourceName: sourceName).emit(),
        ]
    }
}
