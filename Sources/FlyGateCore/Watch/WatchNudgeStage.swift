import FlyGateServer
import FlyMachinesProto

/// Rings the watch loops of a mutation's machine and app once the mutation has been answered
/// (or has failed: a timed-out call may still have changed the machine), so watchers see the
/// change the daemon caused without waiting for the next poll.
package struct WatchNudgeStage: MachinesStage {
    let hub: WatchHub

    package init(hub: WatchHub) {
        self.hub = hub
    }

    /// Only mutations ring the loops.
    package func applies<Request: MachinesRPCRequest>(to request: Request.Type) -> Bool { Request.rpc.traits.mutates }

    package func handle<Request: MachinesRPCRequest>(
        _ request: Request,
        context: CallContext,
        next: MachinesNext<Request>
    ) async throws -> Request.Response {
        guard Request.rpc.traits.mutates, let app = request.pathParameter("app_name") else {
            return try await next(request, context)
        }
        defer { hub.nudge(app: app, machine: request.pathParameter("machine_id")) }
        return try await next(request, context)
    }
}

/// The watch loops' way upstream: the daemon's pipeline (coalescing with identical reads, the
/// rate limiter, the upstream client), as calls of the daemon's own. They pass none of the
/// interceptors: the watches themselves are the calls peers make, and are audited as such;
/// the loops' reads are counted in the statistics' upstream attempts.
package struct PipelineWatchUpstream: MachinesCalling {
    let pipeline: MachinesPipeline
    let identity: PeerCredentials

    package init(pipeline: MachinesPipeline, identity: PeerCredentials) {
        self.pipeline = pipeline
        self.identity = identity
    }

    package func call<Request: MachinesRPCRequest>(_ request: Request, options: MachinesCallOptions) async throws -> Request.Response {
        let context = CallContext(
            service: Request.rpc.serviceName,
            method: Request.rpc.rawValue,
            peer: identity,
            connectionID: DaemonCaller.connectionID,
            streamID: 0,
            deadline: options.timeout.map { .now + $0 },
            metadata: options.metadata
        )
        context.values[DaemonInitiated.self] = DaemonInitiated(reason: "watch", onBehalfOf: nil)
        return try await pipeline.handle(request, context: context)
    }
}
