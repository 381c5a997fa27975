import FlyMachinesProto
@testable import FlyGateServer
import FlyGateWire
import Foundation
import SwiftProtobuf
import Testing

/// Server reflection over the descriptors generated with the contract: what grpcurl and
/// friends are told, question by question.
@Suite("gRPC server reflection")
struct GRPCReflectionTests {
    static let served = ["flygate.gateway.v1.Gateway", "flygate.machines.v1.Machines"]

    let reflection: GRPCReflection

    init() throws {
        self.reflection = try GRPCReflection(
            services: Self.served + ["grpc.health.v1.Health"],
            descriptorSets: [ContractDescriptors.serialized, ProtocolDescriptors.serialized])
    }

    typealias Request = Grpc_Reflection_V1_ServerReflectionRequest
    typealias Response = Grpc_Reflection_V1_ServerReflectionResponse

    func ask(_ question: Request.OneOf_MessageRequest?, host: String = "", sent: inout Set<String>) throws -> Response {
        var request = Request()
        request.host = host
        request.messageRequest = question
        let answer = try self.reflection.answer(try request.serializedBytes(), sent: &sent)
        let response = try Response(serializedBytes: answer)
        #expect(response.originalRequest == request, "each answer carries the request it answers")
        #expect(response.validHost == host)
        return response
    }

    func files(of response: Response) throws -> [Google_Protobuf_FileDescriptorProto] {
        guard case .fileDescriptorResponse(let files)? = response.messageResponse else {
            Issue.record("expected descriptors, got \(String(describing: response.messageResponse))")
            return []
        }
        return try files.fileDescriptorProto.map { try Google_Protobuf_FileDescriptorProto(serializedBytes: $0) }
    }

    @Test("list_services names the contract's services, health and both reflection names")
    func listServices() throws {
        var sent = Set<String>()
        let response = try self.ask(.listServices(""), sent: &sent)
        #expect(response.listServicesResponse.service.map(\.name) == [
            "flygate.gateway.v1.Gateway", "flygate.machines.v1.Machines", "grpc.health.v1.Health",
            "grpc.reflection.v1.ServerReflection", "grpc.reflection.v1alpha.ServerReflection",
        ])
    }

    @Test("every listed service and each of its methods resolves to the file that defines it")
    func everyServiceResolves() throws {
        var sent = Set<String>()
        for service in self.reflection.serviceNames {
            let files = try self.files(of: try self.ask(.fileContainingSymbol(service), sent: &sent))
            let file = try #require(files.first, "\(service)")
            let defined = try #require(file.service.first { "\(file.package).\($0.name)" == service }, "\(service) in \(file.name)")
            #expect(!defined.method.isEmpty)
            for method in defined.method {
                let again = try self.files(of: try self.ask(.fileContainingSymbol("\(service).\(method.name)"), sent: &sent))
                #expect(again.first?.name == file.name, "\(service).\(method.name)")
            }
        }
    }

    @Test("messages, nested types, fields, enum values and oneofs resolve; the files carry their comments", arguments: [
        ("flygate.machines.v1.MachineConfig", "flygate/machines/v1/machines.proto"),
        (".flygate.machines.v1.ShowRequest", "flygate/machines/v1/machines.proto"),
        ("flygate.machines.v1.ShowRequest.app_name", "flygate/machines/v1/machines.proto"),
        ("flygate.gateway.v1.HealthResponse", "flygate/gateway/v1/gateway.proto"),
        ("grpc.health.v1.HealthCheckResponse.SERVICE_UNKNOWN", "grpc/health/v1/health.proto"),
        ("grpc.health.v1.HealthCheckResponse.ServingStatus", "grpc/health/v1/health.proto"),
        ("grpc.reflection.v1alpha.ServerReflectionRequest.message_request", "grpc/reflection/v1alpha/reflection.proto"),
    ])
    func symbols(symbol: String, file: String) throws {
        var sent = Set<String>()
        let files = try self.files(of: try self.ask(.fileContainingSymbol(symbol), sent: &sent))
        #expect(files.map(\.name) == [file])
        #expect(files.first?.sourceCodeInfo.location.contains { !$0.leadingComments.isEmpty } == true,
                "comments travel, so tools can show them")
    }

    @Test("unknown names get NOT_FOUND in an error response, and the stream can go on")
    func notFound() throws {
        var sent = Set<String>()
        for question: Request.OneOf_MessageRequest in [
            .fileContainingSymbol("flygate.machines.v1.Nope"), .fileByFilename("nope.proto"), .fileByFilename(""),
            .fileContainingExtension(.with { $0.containingType = "flygate.machines.v1.Machine"; $0.extensionNumber = 100 }),
            .allExtensionNumbersOfType("flygate.machines.v1.Nope"),
        ] {
            let response = try self.ask(question, sent: &sent)
            #expect(response.errorResponse.errorCode == RPCStatusCode.notFound.rawValue, "\(question)")
            #expect(!response.errorResponse.errorMessage.isEmpty)
        }
        #expect(sent.isEmpty)
        let empty = try self.ask(nil, sent: &sent)
        #expect(empty.errorResponse.errorCode == RPCStatusCode.invalidArgument.rawValue)
    }

    @Test("a known message type has no extensions; the answer names it")
    func extensionNumbers() throws {
        var sent = Set<String>()
        let response = try self.ask(.allExtensionNumbersOfType("flygate.machines.v1.Machine"), sent: &sent)
        #expect(response.allExtensionNumbersResponse.baseTypeName == "flygate.machines.v1.Machine")
        #expect(response.allExtensionNumbersResponse.extensionNumber.isEmpty)
    }

    @Test("a file asked for is always sent; its dependencies once per stream")
    func dependenciesOncePerStream() throws {
        // A set whose b.proto imports a.proto.
        var a = Google_Protobuf_FileDescriptorProto()
        a.name = "a.proto"
        a.package = "p"
        a.messageType = [.with { $0.name = "A" }]
        var b = Google_Protobuf_FileDescriptorProto()
        b.name = "b.proto"
        b.package = "p"
        b.dependency = ["a.proto"]
        b.messageType = [.with { $0.name = "B" }]
        b.extension = [.with { $0.name = "tag"; $0.number = 1000; $0.extendee = ".p.A" }]
        let set = try Google_Protobuf_FileDescriptorSet.with { $0.file = [a, b] }.serializedBytes() as Data
        let reflection = try GRPCReflection(services: [], descriptorSets: [set])
        var sent = Set<String>()
        func names(_ question: Request.OneOf_MessageRequest) throws -> [String] {
            let answer = try reflection.answer(try Request.with { $0.messageRequest = question }.serializedBytes(), sent: &sent)
            return try self.files(of: try Response(serializedBytes: answer)).map(\.name)
        }
        #expect(try names(.fileContainingSymbol("p.B")) == ["b.proto", "a.proto"])
        #expect(try names(.fileByFilename("b.proto")) == ["b.proto"], "a.proto went already on this stream")
        #expect(try names(.fileByFilename("a.proto")) == ["a.proto"], "asked for by name, it is sent again")
        #expect(try names(.fileContainingExtension(.with { $0.containingType = "p.A"; $0.extensionNumber = 1000 })) == ["b.proto"])
        let numbers = try Response(serializedBytes: try reflection.answer(
            try Request.with { $0.allExtensionNumbersOfType = "p.A" }.serializedBytes(), sent: &sent))
        #expect(numbers.allExtensionNumbersResponse.extensionNumber == [1000])
    }

    @Test("a payload that is not a request is INVALID_ARGUMENT")
    func garbage() {
        var sent = Set<String>()
        let error = #expect(throws: RPCError.self) { try self.reflection.answer(Data([0xFF, 0xFF, 0xFF]), sent: &sent) }
        #expect(error?.code == .invalidArgument)
    }
}
