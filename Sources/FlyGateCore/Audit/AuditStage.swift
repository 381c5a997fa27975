import FlyGateJSON
import FlyMachinesProto

/// Audits every Machines call: for a mutation, a `received` record on disk before anything goes
/// upstream (or the call is refused with UNAVAILABLE); for every call, a `completed` record.
///
/// Sits before the policy stage, so a call the policy refuses is on record too (its `completed`
/// record says PERMISSION_DENIED). Without a log (audit disabled) it passes calls through.
package struct AuditStage: MachinesStage {
    let log: AuditLog?
    let executables: PeerExecutables

    package init(log: AuditLog?, executables: PeerExecutables = PeerExecutables()) {
        self.log = log
        self.executables = executables
    }

    package func handle<Request: MachinesRPCRequest>(
        _ request: Request,
        context: CallContext,
        next: MachinesNext<Request>
    ) async throws -> Request.Response {
        guard let log else { return try await next(request, context) }
        let start = ContinuousClock.now
        let rpc = Request.rpc
        let requestID = context.metadataValue("flygate-request-id").map(AuditArguments.clipped) ?? Self.generatedRequestID()
        let described = AuditCallRecord.describe(
            request,
            context: context,
            requestID: requestID,
            executable: executables.path(connectionID: context.connectionID, pid: context.peer.pid)
        )
        if rpc.traits.mutates {
            do {
                try await log.append(.received, described, durable: true)
            } catch {
                log.noteFailure(error, stage: .received, method: rpc.rawValue)
                throw DaemonError(code: .unavailable, message: "\(rpc.rawValue) refused: the audit log cannot record it (\(error))")
            }
        }
        var failure: (any Error)?
        var response: Request.Response?
        do {
            response = try await next(request, context)
        } catch {
            failure = error
        }
        let completed = AuditCallRecord.completed(
            described,
            error: failure,
            nonce: request.leaseNonceValue,
            annotations: context.annotations.values,
            duration: ContinuousClock.now - start
        )
        do {
            try await log.append(.completed, completed, durable: false)
        } catch {
            log.noteFailure(error, stage: .completed, method: rpc.rawValue)
        }
        if let failure { throw failure }
        return response!
    }

    /// 16 random bytes in hex, for a call that brought no `flygate-request-id`.
    static func generatedRequestID() -> String {
        // Two draws, not sixteen: each draw from the system generator is a getrandom call.
        var generator = SystemRandomNumberGenerator()
        let (high, low) = (generator.next(), generator.next())
        return AuditChain.hex((0..<16).map { UInt8(truncatingIfNeeded: ($0 < 8 ? high : low) >> (8 * UInt64($0 % 8))) })
    }
}
