import FlyGateWire
import FlyMachinesProto
import SwiftProtobuf

/// The 29 typed Machines methods (`show`, `start`, `wait`, ...) come with `MachinesCalling`.
extension RPCClient: MachinesCalling {
    /// Calls the Machines rpc `Request` stands for.
    package func call<Request: MachinesRPCRequest>(
        _ request: Request,
        options: MachinesCallOptions
    ) async throws -> Request.Response {
        try await self.call(
            service: Request.rpc.serviceName,
            method: Request.rpc.rawValue,
            request: request,
            as: Request.Response.self,
            timeout: options.timeout,
            metadata: options.metadata.map { ($0.key, $0.value) }
        )
    }
}

extension RPCClient {
    /// Calls the Machines rpc `Request` stands for and returns the answer with what the daemon
    /// said about it (``CallInfo/cacheAge`` when it came from the read cache).
    package func callWithInfo<Request: MachinesRPCRequest>(
        _ request: Request,
        options: MachinesCallOptions = MachinesCallOptions()
    ) async throws -> (response: Request.Response, info: CallInfo) {
        try await self.callWithInfo(
            service: Request.rpc.serviceName,
            method: Request.rpc.rawValue,
            request: request,
            as: Request.Response.self,
            timeout: options.timeout,
            metadata: options.metadata.map { ($0.key, $0.value) }
        )
    }
}

/// The daemon's own service, `flygate.gateway.v1.Gateway`.
extension RPCClient {
    /// The ttrpc service name of the gateway service.
    package static let gatewayService = "flygate.gateway.v1.Gateway"

    /// Is the daemon up, and what does it talk to.
    package func health(timeout: Duration? = nil) async throws -> Flygate_Gateway_V1_HealthResponse {
        try await call(service: Self.gatewayService, method: "Health", request: Flygate_Gateway_V1_HealthRequest(), timeout: timeout)
    }

    /// Counters per method and status.
    package func stats(timeout: Duration? = nil) async throws -> Flygate_Gateway_V1_StatsResponse {
        try await call(service: Self.gatewayService, method: "Stats", request: Flygate_Gateway_V1_StatsRequest(), timeout: timeout)
    }

    /// The daemon's lease book.
    package func listLeases(timeout: Duration? = nil) async throws -> Flygate_Gateway_V1_ListLeasesResponse {
        try await call(
            service: Self.gatewayService,
            method: "ListLeases",
            request: Flygate_Gateway_V1_ListLeasesRequest(),
            timeout: timeout
        )
    }

    /// Connects to the socket at `path`, or where the daemon listens by default
    /// (`$FLYGATE_SOCKET`, `$XDG_RUNTIME_DIR/flygate/flygate.sock`, ...).
    package static func connect(path: String?, environment: [String: String]) async throws -> RPCClient {
        try await connect(path: path ?? SocketPath.default(environment: environment))
    }
}
