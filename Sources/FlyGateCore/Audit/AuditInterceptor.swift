import FlyGateJSON
import FlyGateServer
import FlyGateWire
import FlyMachinesProto
import SwiftProtobuf
import Synchronization

/// Audits every call its method's ``MethodRule/Audit`` rule covers: for a mutation, a
/// `received` record on disk before anything goes on (or the call is refused with
/// UNAVAILABLE); for every audited call, a `completed` record, in the file before the answer
/// leaves (``AuditLog/appendCompleted(_:method:)``).
///
/// Runs after the policy interceptor: a refused call never reaches it (the policy's
/// ``DenialRecorder`` keeps a summary of refusals instead), so only callers a rule allows can
/// make the daemon write a durable record. Without a log (audit disabled) it passes calls
/// through.
package struct AuditInterceptor: RPCInterceptor {
    let log: AuditLog?
    let rules: MethodRules
    let executables: PeerExecutables
    /// The audit rule of the one method this copy records, once specialized.
    private var bound: MethodRule.Audit?

    /// Audits the methods of `rules` into `log` (nil: auditing is off).
    package init(log: AuditLog?, rules: MethodRules, executables: PeerExecutables = PeerExecutables()) {
        self.log = log
        self.rules = rules
        self.executables = executables
    }

    /// A copy bound to the method's audit rule; left out of the chains of methods it records
    /// nothing for (and of all, when auditing is off).
    package func specialized(service: String, method: String) -> (any RPCInterceptor)? {
        guard self.log != nil else { return nil }
        // A method without a rule never gets here (the policy refuses it); fail closed all the same.
        let audit = self.rules.rule(service: service, method: method)?.audit ?? .receivedAndCompleted
        if case .none = audit { return nil }
        var copy = self
        copy.bound = audit
        return copy
    }

    package func intercept<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request,
        context: CallContext,
        next: RPCInterceptorNext<Request, Response>
    ) async throws -> Response {
        guard let log else { return try await next(request, context) }
        let durable: Bool
        switch self.bound ?? self.rules.rule(for: context)?.audit {
        case .none(reason: _)?: return try await next(request, context)
        case .completed?: durable = false
        // A method without a rule never gets here: the policy refuses it. Fail closed all the same.
        case .receivedAndCompleted?, nil: durable = true
        }
        let start = ContinuousClock.now
        let requestID = context.metadataValue("flygate-request-id").map(AuditArguments.clipped) ?? Self.generatedRequestID()
        let described = AuditCallRecord.describe(
            request,
            context: context,
            requestID: requestID,
            executable: self.executables.path(connectionID: context.connectionID, pid: context.peer.pid)
        )
        if durable {
            do {
                try await log.append(.received, described, durable: true)
            } catch {
                log.noteFailure(error, stage: .received, method: context.method)
                throw DaemonError(code: .unavailable, message: "\(context.method) refused: the audit log cannot record it (\(error))")
            }
        }
        var failure: (any Error)?
        var response: Response?
        do {
            response = try await next(request, context)
        } catch {
            failure = error
        }
        let completed = AuditCallRecord.completed(
            described,
            error: failure,
            nonce: LeaseStage.broughtNonce(request as? any MachinesRPCRequest, context),
            annotations: context.annotations.values,
            duration: ContinuousClock.now - start
        )
        do {
            // Written with the other records of this turn, before the answer leaves.
            try log.appendCompleted(completed, method: context.method)
        } catch {
            log.noteFailure(error, stage: .completed, method: context.method)
        }
        if let failure { throw failure }
        return response!
    }

    /// 32 hex digits for a call that brought no `flygate-request-id`: 16 drawn at random once
    /// per daemon, then a count. Unique over the daemon's life and, but for a 1 in 2^64 draw,
    /// across restarts; it needs no system call (a random draw per call was two `getrandom`s).
    static func generatedRequestID() -> String {
        let count = RequestIDs.counter.wrappingAdd(1, ordering: .relaxed).newValue
        return RequestIDs.prefix + AuditChain.hex((0..<8).map { UInt8(truncatingIfNeeded: count >> (8 * UInt64(7 - $0))) })
    }
}

/// The parts of generated request ids.
private enum RequestIDs {
    static let prefix: String = {
        var generator = SystemRandomNumberGenerator()
        let random = generator.next()
        return AuditChain.hex((0..<8).map { UInt8(truncatingIfNeeded: random >> (8 * UInt64($0))) })
    }()
    static let counter = Atomic<UInt64>(0)
}
