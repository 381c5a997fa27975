import FlyMachinesProto
import Synchronization

/// Refuses calls the access policy does not allow, before anything else sees them.
///
/// The policy can be swapped at run time (SIGHUP reload); calls in flight keep the decision
/// they got.
package final class PolicyStage: MachinesStage {
    private let current: Mutex<AccessPolicy>

    package init(policy: AccessPolicy) {
        self.current = Mutex(policy)
    }

    /// The policy in force.
    package var policy: AccessPolicy {
        get { current.withLock { $0 } }
        set { current.withLock { $0 = newValue } }
    }

    package func handle<Request: MachinesRPCRequest>(
        _ request: Request,
        context: CallContext,
        next: MachinesNext<Request>
    ) async throws -> Request.Response {
        let rpc = Request.rpc
        let decision = policy.decide(
            peer: context.peer,
            method: rpc.rawValue,
            methodClass: rpc.traits.access,
            app: request.pathParameter("app_name")
        )
        if case .denied(let reason) = decision {
            throw DaemonError(code: .permissionDenied, message: reason)
        }
        return try await next(request, context)
    }

    /// Checks a gateway method (not a Machines rpc) of `methodClass`.
    package func check(peer: PeerCredentials, method: String, methodClass: MethodClass) throws(DaemonError) {
        if case .denied(let reason) = policy.decide(peer: peer, method: method, methodClass: methodClass, app: nil) {
            throw DaemonError(code: .permissionDenied, message: reason)
        }
    }
}
