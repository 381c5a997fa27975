import FlyGateServer
import FlyMachinesProto
import SwiftProtobuf
import Synchronization

/// Refuses calls the access policy does not allow, before the audit interceptor and any stage
/// see them: a peer no rule covers cannot make the daemon write a durable record. Refusals are
/// on record all the same, summarized (``DenialRecorder``).
///
/// The policy can be swapped at run time (SIGHUP reload); calls in flight keep the decision
/// they got. Calls the daemon makes on its own (``DaemonInitiated``) are allowed by a rule of
/// their own: they are the lease book's housekeeping of leases its callers took.
package final class PolicyInterceptor: RPCInterceptor {
    private let current: Mutex<AccessPolicy>
    private let rules: MethodRules
    private let denials: DenialRecorder?

    /// Enforces `policy` on the methods of `rules`, noting refusals in `denials`.
    package init(policy: AccessPolicy, rules: MethodRules, denials: DenialRecorder? = nil) {
        self.current = Mutex(policy)
        self.rules = rules
        self.denials = denials
    }

    /// The policy in force.
    package var policy: AccessPolicy {
        get { self.current.withLock { $0 } }
        set { self.current.withLock { $0 = newValue } }
    }

    /// The check bound to the method's rule; nil for a method open to anyone (nothing to check).
    package func specialized(service: String, method: String) -> (any RPCInterceptor)? {
        let rule = self.rules.rule(service: service, method: method)
        if case .anyone? = rule?.access { return nil }
        return Bound(policy: self, rule: rule)
    }

    package func intercept<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request,
        context: CallContext,
        next: RPCInterceptorNext<Request, Response>
    ) async throws -> Response {
        try self.check(request, context: context, rule: self.rules.rule(for: context))
        return try await next(request, context)
    }

    /// The interceptor for one method, its rule resolved.
    struct Bound: RPCInlineInterceptor {
        let policy: PolicyInterceptor
        let rule: MethodRule?

        func intercept<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
            _ request: Request,
            context: CallContext,
            next: RPCInterceptorNext<Request, Response>
        ) async throws -> Response {
            try self.policy.check(request, context: context, rule: self.rule)
            return try await next(request, context)
        }

        func interceptInline<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
            _ request: Request,
            context: CallContext,
            next: (Request, CallContext) throws -> Response
        ) throws -> Response {
            try self.policy.check(request, context: context, rule: self.rule)
            return try next(request, context)
        }
    }

    /// Throws PERMISSION_DENIED when the policy does not allow the call under `rule`.
    func check<Request: SwiftProtobuf.Message>(_ request: Request, context: CallContext, rule: MethodRule?) throws(DaemonError) {
        guard let rule else {
            throw DaemonError(code: .internalError, message: "\(context.service)/\(context.method) has no declared rule")
        }
        guard case .policy(let methodClass) = rule.access, context.daemonInitiated == nil else { return }
        let app = (request as? any MachinesRPCRequest)?.pathParameter("app_name") ?? (request as? any NamesOneApp)?.namedApp
        let decision = self.policy.decide(peer: context.peer, method: context.method, methodClass: methodClass, app: app)
        if case .denied(let reason) = decision {
            self.denials?.note(peer: context.peer, method: context.method, reason: reason)
            throw DaemonError(code: .permissionDenied, message: reason)
        }
    }
}
