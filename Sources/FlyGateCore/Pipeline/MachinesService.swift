import FlyGateServer
import FlyMachinesProto

/// The services generated from Fly's document (Machines, Apps, Volumes, Secrets, Certificates,
/// Platform): every rpc, registered generically, runs through the pipeline.
package struct MachinesService: Sendable {
    let pipeline: MachinesPipeline

    package init(pipeline: MachinesPipeline) {
        self.pipeline = pipeline
    }

    /// Registers every rpc of every generated service on `router`.
    package func register(on router: inout RPCRouter) {
        var registrar = Registrar(router: router, pipeline: pipeline)
        MachinesRPC.visitAll(&registrar)
        router = registrar.router
    }

    private struct Registrar: MachinesRPCVisitor {
        var router: RPCRouter
        let pipeline: MachinesPipeline

        mutating func visit<Request: MachinesRPCRequest>(_ type: Request.Type) {
            let pipeline = self.pipeline
            router.register(service: Request.rpc.serviceName, method: Request.rpc.rawValue) {
                (request: Request, context: CallContext) -> Request.Response in
                try await pipeline.handle(request, context: context)
            }
        }
    }
}
