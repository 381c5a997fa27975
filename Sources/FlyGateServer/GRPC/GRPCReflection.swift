import FlyGateWire
import Foundation
import SwiftProtobuf

/// gRPC server reflection (`grpc.reflection.v1` and `v1alpha`, whose messages are the same
/// field for field): lists the served services and hands out the descriptors of the proto
/// files that define them, so grpcurl, grpcui, Postman and Evans work with no proto files at hand.
///
/// Answered from descriptors generated with the contract (protoc's FileDescriptorSet, comments
/// included), behind no interceptor: it tells what `proto/` publishes, nothing of Fly's or of
/// any caller's.
struct GRPCReflection: Sendable {
    /// The two names the protocol is served under.
    static let services = ["grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection"]
    static let method = "ServerReflectionInfo"

    /// One proto file: its serialized `FileDescriptorProto` and the files it imports.
    private struct File: Sendable {
        var serialized: Data
        var dependencies: [String]
    }

    /// The services a client is told of, sorted.
    let serviceNames: [String]
    private let files: [String: File]
    /// Each fully qualified symbol (message, field, oneof, enum, enum value, service, method,
    /// extension) → the file that defines it.
    private let symbols: [String: String]
    /// Each extended message type → its extension numbers → the file that defines the extension.
    private let extensions: [String: [Int32: String]]

    /// Whether `service`/`method` is the reflection stream, under either name.
    static func isReflection(service: String, method: String) -> Bool {
        method == Self.method && Self.services.contains(service)
    }

    /// Reflection over `services` (with reflection's own names added), defined by the files of
    /// `descriptorSets` (serialized `FileDescriptorSet`s; a file in more than one counts once).
    init(services: some Sequence<String>, descriptorSets: [Data]) throws {
        var files: [String: File] = [:]
        var symbols: [String: String] = [:]
        var extensions: [String: [Int32: String]] = [:]
        for set in descriptorSets {
            for file in try Google_Protobuf_FileDescriptorSet(serializedBytes: set).file where files[file.name] == nil {
                files[file.name] = File(serialized: try file.serializedBytes(), dependencies: file.dependency)
                var index = SymbolIndex(file: file.name)
                index.add(file)
                symbols.merge(index.symbols) { first, _ in first }
                extensions.merge(index.extensions) { $0.merging($1) { first, _ in first } }
            }
        }
        self.files = files
        self.symbols = symbols
        self.extensions = extensions
        self.serviceNames = Set(services).union(Self.services).sorted()
    }

    /// The answer to one request of a reflection stream. `sent` holds the files already sent on
    /// this stream: a file asked for is always sent, its dependencies only once per stream.
    /// A question that cannot be answered is an `error_response`, and the stream goes on; a
    /// payload that is not a request throws INVALID_ARGUMENT, which ends it.
    func answer(_ payload: Data, sent: inout Set<String>) throws -> Data {
        let request: Grpc_Reflection_V1_ServerReflectionRequest
        do {
            request = try Grpc_Reflection_V1_ServerReflectionRequest(serializedBytes: payload)
        } catch {
            throw RPCError(code: .invalidArgument, message: "payload is not a grpc.reflection.v1.ServerReflectionRequest")
        }
        var response = Grpc_Reflection_V1_ServerReflectionResponse()
        response.validHost = request.host
        response.originalRequest = request
        switch request.messageRequest {
        case .fileByFilename(let name):
            response.messageResponse = self.fileResponse(name.isEmpty ? nil : name, sent: &sent, missing: "file \(name)")
        case .fileContainingSymbol(let symbol):
            let name = self.symbols[symbol.hasPrefix(".") ? String(symbol.dropFirst()) : symbol]
            response.messageResponse = self.fileResponse(name, sent: &sent, missing: "symbol \(symbol)")
        case .fileContainingExtension(let request):
            let name = self.extensions[request.containingType]?[request.extensionNumber]
            response.messageResponse = self.fileResponse(
                name, sent: &sent, missing: "extension \(request.extensionNumber) of \(request.containingType)")
        case .allExtensionNumbersOfType(let type):
            if self.symbols[type] != nil {
                var numbers = Grpc_Reflection_V1_ExtensionNumberResponse()
                numbers.baseTypeName = type
                numbers.extensionNumber = (self.extensions[type] ?? [:]).keys.sorted()
                response.allExtensionNumbersResponse = numbers
            } else {
                response.errorResponse = Self.notFound("type \(type)")
            }
        case .listServices:
            var list = Grpc_Reflection_V1_ListServiceResponse()
            list.service = self.serviceNames.map { name in
                var service = Grpc_Reflection_V1_ServiceResponse()
                service.name = name
                return service
            }
            response.listServicesResponse = list
        case nil:
            var error = Grpc_Reflection_V1_ErrorResponse()
            error.errorCode = RPCStatusCode.invalidArgument.rawValue
            error.errorMessage = "the request asks nothing (no message_request is set)"
            response.errorResponse = error
        }
        return try response.serializedBytes()
    }

    /// The file `name` and those of its dependencies (transitively) not yet in `sent`; an
    /// error response when there is no such file.
    private func fileResponse(
        _ name: String?, sent: inout Set<String>, missing: String
    ) -> Grpc_Reflection_V1_ServerReflectionResponse.OneOf_MessageResponse {
        guard let name, let file = self.files[name] else { return .errorResponse(Self.notFound(missing)) }
        var response = Grpc_Reflection_V1_FileDescriptorResponse()
        response.fileDescriptorProto = [file.serialized]
        sent.insert(name)
        var queue = file.dependencies
        while let next = queue.popLast() {
            guard let dependency = self.files[next], sent.insert(next).inserted else { continue }
            response.fileDescriptorProto.append(dependency.serialized)
            queue.append(contentsOf: dependency.dependencies)
        }
        return .fileDescriptorResponse(response)
    }

    private static func notFound(_ what: String) -> Grpc_Reflection_V1_ErrorResponse {
        var error = Grpc_Reflection_V1_ErrorResponse()
        error.errorCode = RPCStatusCode.notFound.rawValue
        error.errorMessage = "\(what) not found"
        return error
    }
}

/// The fully qualified names one file defines, by protobuf's scoping rules (an enum's values
/// are named in the enum's own scope's parent, beside the enum).
private struct SymbolIndex {
    let file: String
    var symbols: [String: String] = [:]
    var extensions: [String: [Int32: String]] = [:]

    init(file: String) {
        self.file = file
    }

    mutating func add(_ descriptor: Google_Protobuf_FileDescriptorProto) {
        let scope = descriptor.package
        for message in descriptor.messageType { self.add(message, in: scope) }
        for type in descriptor.enumType { self.add(type, in: scope) }
        for field in descriptor.extension { self.addExtension(field, in: scope) }
        for service in descriptor.service {
            let name = Self.qualified(service.name, in: scope)
            self.symbols[name] = self.file
            for method in service.method { self.symbols[Self.qualified(method.name, in: name)] = self.file }
        }
    }

    private mutating func add(_ message: Google_Protobuf_DescriptorProto, in scope: String) {
        let name = Self.qualified(message.name, in: scope)
        self.symbols[name] = self.file
        for field in message.field { self.symbols[Self.qualified(field.name, in: name)] = self.file }
        for oneof in message.oneofDecl { self.symbols[Self.qualified(oneof.name, in: name)] = self.file }
        for nested in message.nestedType { self.add(nested, in: name) }
        for type in message.enumType { self.add(type, in: name) }
        for field in message.extension { self.addExtension(field, in: name) }
    }

    private mutating func add(_ type: Google_Protobuf_EnumDescriptorProto, in scope: String) {
        self.symbols[Self.qualified(type.name, in: scope)] = self.file
        for value in type.value { self.symbols[Self.qualified(value.name, in: scope)] = self.file }
    }

    private mutating func addExtension(_ field: Google_Protobuf_FieldDescriptorProto, in scope: String) {
        self.symbols[Self.qualified(field.name, in: scope)] = self.file
        let extendee = field.extendee.hasPrefix(".") ? String(field.extendee.dropFirst()) : field.extendee
        self.extensions[extendee, default: [:]][field.number] = self.file
    }

    private static func qualified(_ name: String, in scope: String) -> String {
        scope.isEmpty ? name : "\(scope).\(name)"
    }
}
