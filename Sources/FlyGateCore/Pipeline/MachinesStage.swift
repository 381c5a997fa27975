import FlyGateServer
import FlyMachinesProto

/// One step of a Machines call on its way upstream: policy, audit, coalescing, the lease
/// book, and finally the upstream client. A stage either answers itself or calls `next`.
package protocol MachinesStage: Sendable {
    /// Whether the stage has anything to do for calls of `Request`; the pipeline passes a call
    /// by the stages that have not, sparing each an async frame and its checks. The last stage
    /// of a pipeline always runs. The default: every request.
    func applies<Request: MachinesRPCRequest>(to request: Request.Type) -> Bool

    func handle<Request: MachinesRPCRequest>(
        _ request: Request,
        context: CallContext,
        next: MachinesNext<Request>
    ) async throws -> Request.Response
}

extension MachinesStage {
    package func applies<Request: MachinesRPCRequest>(to request: Request.Type) -> Bool { true }
}

/// The rest of the pipeline after a stage.
package struct MachinesNext<Request: MachinesRPCRequest>: Sendable {
    let run: @Sendable (Request, CallContext) async throws -> Request.Response

    /// Hands the call to the next stage.
    package func callAsFunction(_ request: Request, _ context: CallContext) async throws -> Request.Response {
        try await run(request, context)
    }
}

/// The stages a Machines call passes through, in order; the last one must answer.
package struct MachinesPipeline: Sendable {
    private let stages: [any MachinesStage]

    /// A pipeline of `stages`; the last stage is the terminal (the upstream client).
    package init(stages: [any MachinesStage]) {
        precondition(!stages.isEmpty, "a pipeline needs a terminal stage")
        self.stages = stages
    }

    /// Runs `request` through every stage.
    package func handle<Request: MachinesRPCRequest>(_ request: Request, context: CallContext) async throws -> Request.Response {
        try await run(0, request, context)
    }

    private func run<Request: MachinesRPCRequest>(
        _ index: Int,
        _ request: Request,
        _ context: CallContext
    ) async throws -> Request.Response {
        var index = index
        while index + 1 < self.stages.count, !self.stages[index].applies(to: Request.self) { index += 1 }
        let next = MachinesNext<Request> { [index] request, context in
            guard index + 1 < self.stages.count else {
                throw DaemonError(code: .internalError, message: "the last stage of the pipeline passed the call on")
            }
            return try await self.run(index + 1, request, context)
        }
        return try await stages[index].handle(request, context: context, next: next)
    }
}
