import FlyGateServer
import FlyMachinesProto

#if canImport(Glibc)
import Glibc
#endif

/// The way the daemon makes a Machines call of its own (the lease book's renewals and releases):
/// through the same interceptors and pipeline as every peer's call, so it is observed,
/// audited with the daemon as the peer, rate-limited, and invalidates the read cache.
package struct DaemonCaller: Sendable {
    /// The connection id of the daemon's own calls; accepted connections are numbered from 1.
    package static let connectionID: UInt64 = 0

    let interceptors: RPCInterceptorChain
    let pipeline: MachinesPipeline
    /// The daemon process, as the audit log names it.
    let identity: PeerCredentials

    /// Calls through `interceptors` (the router's) and `pipeline`.
    package init(interceptors: RPCInterceptorChain, pipeline: MachinesPipeline) {
        self.interceptors = interceptors
        self.pipeline = pipeline
        self.identity = PeerCredentials(uid: UInt32(getuid()), gid: UInt32(getgid()), pid: getpid())
    }

    /// Runs `request` as a call of the daemon's own, marked `initiated`, answered by `deadline`.
    package func call<Request: MachinesRPCRequest>(
        _ request: Request,
        deadline: ContinuousClock.Instant,
        initiated: DaemonInitiated
    ) async throws -> Request.Response {
        let context = CallContext(
            service: Request.rpc.serviceName,
            method: Request.rpc.rawValue,
            peer: self.identity,
            connectionID: Self.connectionID,
            streamID: 0,
            deadline: deadline,
            metadata: []
        )
        context.values[DaemonInitiated.self] = initiated
        let pipeline = self.pipeline
        let chain = self.interceptors.specialized(service: Request.rpc.serviceName, method: Request.rpc.rawValue)
        return try await chain.run(request, context: context) { request, context in
            try await pipeline.handle(request, context: context)
        }
    }
}
