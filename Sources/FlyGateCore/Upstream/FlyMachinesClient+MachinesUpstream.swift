import FlyGateWire
import FlyMachinesAPI
import FlyMachinesProto

/// The upstream REST client is the pipeline's terminal.
extension FlyMachinesClient: MachinesUpstream {
    package func send<Request: MachinesRPCRequest>(
        _ request: Request,
        deadline: ContinuousClock.Instant?,
        caller: String
    ) async throws -> (response: Request.Response, upstream: CallAnnotations.Upstream) {
        let (response, info) = try await perform(request, deadline: deadline, caller: caller)
        return (response, CallAnnotations.Upstream(httpStatus: info.httpStatus, flyRequestID: info.flyRequestID, attempts: info.attempts))
    }
}

/// Upstream failures become wire statuses here (called by the dispatcher's one mapping).
extension FlyAPIError: RPCErrorConvertible, UpstreamDescribing {
    package var rpcError: RPCError {
        var error = RPCError(code: RPCStatusCode(self.code), message: message)
        error.details = UpstreamStatusDetails.details(httpStatus: httpStatus, flyRequestID: flyRequestID, retryAfter: retryAfter)
        return error
    }

    package var upstream: CallAnnotations.Upstream {
        CallAnnotations.Upstream(httpStatus: httpStatus, flyRequestID: flyRequestID, attempts: attempts)
    }
}

extension RPCStatusCode {
    /// The wire code of an upstream error code (they share google.rpc's names).
    init(_ code: FlyAPIError.Code) {
        self = RPCStatusCode.allCases.first { $0.name == code.rawValue } ?? .unknown
    }
}
