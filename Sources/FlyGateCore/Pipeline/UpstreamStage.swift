import FlyGateServer
import FlyMachinesProto

/// The upstream, as the daemon's last stage sees it: send a request for `caller` (whom the
/// rate limiter shares its slots fairly between) under the caller's deadline, get the response
/// and what the upstream said about it.
package protocol MachinesUpstream: Sendable {
    func send<Request: MachinesRPCRequest>(
        _ request: Request,
        deadline: ContinuousClock.Instant?,
        caller: String
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
            let (response, upstream) = try await upstream.send(request, deadline: context.deadline, caller: Self.caller(context))
            context.annotations.update { $0.upstream = upstream }
            return response
        } catch let error as any UpstreamDescribing {
            context.annotations.update { $0.upstream = error.upstream }
            throw error
        }
    }
}

extension UpstreamStage {
    /// Whom the limiter counts a call for: the peer's uid, or the daemon's own housekeeping.
    static func caller(_ context: CallContext) -> String {
        context.daemonInitiated == nil ? "uid:\(context.peer.uid)" : "daemon"
    }
}

/// An upstream failure that knows what the upstream answered (HTTP status, request id, attempts).
package protocol UpstreamDescribing: Error {
    var upstream: CallAnnotations.Upstream { get }
}
