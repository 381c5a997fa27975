import FlyGateWire
import Foundation
import NIOCore
import SwiftProtobuf

/// `grpc.health.v1.Health` (Check and Watch) on the gRPC side, answered from the server's own
/// state: the server ("") and each service it serves are SERVING until it begins to shut
/// down, then NOT_SERVING; any other name is NOT_FOUND to Check and SERVICE_UNKNOWN to Watch,
/// as the health-checking protocol says.
///
/// It reads nothing of Fly's and runs behind no interceptor: any peer allowed to connect may
/// ask whether the daemon is up.
struct GRPCHealth: Sendable {
    static let service = "grpc.health.v1.Health"

    /// The services reported, besides "" and Health itself.
    let services: Set<String>
    let registry: ConnectionRegistry

    /// How often a Watch looks for a change of status (the only change is shutdown).
    static let watchInterval = Duration.milliseconds(200)

    /// The answer when `service`/`method` is Check; nil for any other method or service.
    func answer(service: String, method: String, request: ByteBuffer) -> Result<Data, any Error>? {
        guard service == Self.service, method == "Check" else { return nil }
        return Result {
            let name = try Self.serviceName(in: request)
            guard let status = self.status(of: name) else {
                throw RPCError(code: .notFound, message: "unknown service \(name)")
            }
            var response = Grpc_Health_V1_HealthCheckResponse()
            response.status = status
            return try response.serializedBytes()
        }
    }

    /// Whether `service`/`method` is Watch, the one streaming method.
    static func isWatch(service: String, method: String) -> Bool {
        service == Self.service && method == "Watch"
    }

    /// Serves Watch: the status now, then each change, until the caller goes (cancellation) or
    /// the server begins to shut down (NOT_SERVING, then UNAVAILABLE). An unknown service is SERVICE_UNKNOWN and stays watched, as the
    /// protocol says.
    func watch(request: ByteBuffer, send: (Data) async throws -> Void) async throws {
        let name = try Self.serviceName(in: request)
        var last: Grpc_Health_V1_HealthCheckResponse.ServingStatus?
        while !Task.isCancelled {
            let status = self.status(of: name) ?? .serviceUnknown
            if status != last {
                var response = Grpc_Health_V1_HealthCheckResponse()
                response.status = status
                try await send(try response.serializedBytes())
                last = status
            } else if last != .serving, self.registry.isDraining {
                // NOT_SERVING (or SERVICE_UNKNOWN) went out a watch interval ago: end the watch so
                // that it does not hold the shutdown up. Not in the same breath: a loaded CI run
                // once saw grpcio end a watch with UNAVAILABLE and no NOT_SERVING, and a watcher
                // that has read NOT_SERVING before the status comes cannot miss it.
                throw RPCError(code: .unavailable, message: "server is shutting down")
            }
            try await Task.sleep(for: Self.watchInterval)
        }
    }

    /// SERVING or NOT_SERVING for a known name ("" is the server), nil for an unknown one.
    private func status(of service: String) -> Grpc_Health_V1_HealthCheckResponse.ServingStatus? {
        guard service.isEmpty || service == Self.service || self.services.contains(service) else { return nil }
        return self.registry.isDraining ? .notServing : .serving
    }

    private static func serviceName(in request: ByteBuffer) throws -> String {
        do {
            return try Grpc_Health_V1_HealthCheckRequest(serializedBytes: Data(request.readableBytesView)).service
        } catch {
            throw RPCError(code: .invalidArgument, message: "payload is not a grpc.health.v1.HealthCheckRequest")
        }
    }
}
