import FlyGateServer
import FlyMachinesProto

/// `flygate.machines.v1.Machines`: every rpc, registered generically, runs through the pipeline.
package struct MachinesService: Sendable {
    let pipeline: MachinesPipeline

    package init(pipeline: MachinesPipeline) {
        self.pipeline = pipeline
    }

    /// Registers the 29 rpcs on `router`.
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
            router.register(service: MachinesRPC.serviceName, method: Request.rpc.rawValue) {
                (request: Request, context: CallContext) -> Request.Response in
                try await pipeline.handle(request, context: context)
            }
        }
    }
}
