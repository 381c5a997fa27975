import FlyGateServer
import FlyMachinesProto

/// The upstream, as the daemon's last stage sees it: send a request under the caller's
/// deadline, get the response and what the upstream said about it.
package protocol MachinesUpstream: Sendable {
    func send<Request: MachinesRPCRequest>(
        _ request: Request,
        deadline: ContinuousClock.Instant?
    ) async throws -> (response: Request.Response, upstream: CallAnnotations.Upstream)
}

/// The terminal stage: hands the call to the upstream client and notes what it answered.
package struct UpstreamStage: MachinesStage {
    let upstream: any MachinesUpstream

    package init(upstream: any MachinesUpstream) {
        self.upstream = upstream
    }

    package func handle<Request: MachinesRPCRequest>(
        _ request: Request,
        context: CallContext,
        next: MachinesNext<Request>
    ) async throws -> Request.Response {
        do {
            let (response, upstream) = try await upstream.send(request, deadline: context.deadline)
            context.annotations.update { $0.upstream = upstream }
            return response
        } catch let error as any UpstreamDescribing {
            context.annotations.update { $0.upstream = error.upstream }
            throw error
        }
    }
}

/// An upstream failure that knows what the upstream answered (HTTP status, request id, attempts).
package protocol UpstreamDescribing: Error {
    var upstream: CallAnnotations.Upstream { get }
}
