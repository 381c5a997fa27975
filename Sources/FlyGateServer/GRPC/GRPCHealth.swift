import FlyGateWire
import Foundation
import NIOCore
import SwiftProtobuf

/// `grpc.health.v1.Health/Check` on the gRPC side, answered from the server's own state: the
/// server ("") and each service it serves are SERVING until it begins to shut down, then
/// NOT_SERVING; any other name is NOT_FOUND, as the health-checking protocol says.
///
/// It reads nothing of Fly's and runs behind no interceptor: any peer allowed to connect may
/// ask whether the daemon is up.
struct GRPCHealth: Sendable {
    static let service = "grpc.health.v1.Health"

    /// The services reported, besides "" and Health itself.
    let services: Set<String>
    let registry: ConnectionRegistry

    /// The answer when `service`/`method` is the health service's; nil for any other service.
    func answer(service: String, method: String, request: ByteBuffer) -> Result<Data, any Error>? {
        guard service == Self.service else { return nil }
        guard method == "Check" else {
            return .failure(RPCError(code: .unimplemented, message: "method \(method)"))
        }
        let check: Grpc_Health_V1_HealthCheckRequest
        do {
            check = try Grpc_Health_V1_HealthCheckRequest(serializedBytes: Data(request.readableBytesView))
        } catch {
            return .failure(RPCError(code: .invalidArgument, message: "payload is not a grpc.health.v1.HealthCheckRequest"))
        }
        guard check.service.isEmpty || check.service == Self.service || self.services.contains(check.service) else {
            return .failure(RPCError(code: .notFound, message: "unknown service \(check.service)"))
        }
        var response = Grpc_Health_V1_HealthCheckResponse()
        response.status = self.registry.isDraining ? .notServing : .serving
        return Result { try response.serializedBytes() }
    }
}
