import FlyGateJSON
import FlyGateServer
import FlyGateWire
import FlyMachinesProto
import SwiftProtobuf

/// The members of a call's `received` and `completed` records.
package enum AuditCallRecord {
    /// Who called what on which machine with which arguments; the same in both records.
    ///
    /// A call the daemon makes on its own names the daemon as the peer, and the lease holder it
    /// acts for under `on_behalf_of`.
    package static func describe<Request: SwiftProtobuf.Message>(
        _ request: Request,
        context: CallContext,
        requestID: String,
        executable: JSONValue
    ) -> JSONMembersWriter {
        var fields = JSONMembersWriter(terminalSafe: true)
        fields.append("request_id", string: requestID)
        var peer = JSONMembersWriter(terminalSafe: true)
        peer.append("uid", int: Int(context.peer.uid))
        peer.append("gid", int: Int(context.peer.gid))
        if !context.peer.groups.isEmpty {
            // Policy rules match these too, so the record shows what the decision saw.
            peer.append("groups", .array(context.peer.groups.map { .int($0) }))
        }
        peer.append("pid", int: Int(context.peer.pid))
        peer.append("exe", executable)
        peer.append("connection", int: context.connectionID)
        if let initiated = context.daemonInitiated {
            peer.append("daemon", string: initiated.reason)
        }
        fields.append("peer", object: peer)
        if let holder = context.daemonInitiated?.onBehalfOf {
            var owner = JSONMembersWriter(terminalSafe: true)
            owner.append("uid", int: Int(holder.uid))
            owner.append("pid", int: Int(holder.pid))
            owner.append("connection", holder.connectionID.map { .int($0) } ?? .null)
            fields.append("on_behalf_of", object: owner)
        }
        if context.service != MachinesRPC.machinesServiceName { fields.append("service", string: context.service) }
        fields.append("method", string: context.method)
        let machines = request as? any MachinesRPCRequest
        let parameters = machines?.pathParameters ?? []
        func parameter(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
        if let org = parameter("org_slug") { fields.append("org", string: AuditArguments.clipped(org)) }
        let app = parameter("app_name") ?? (request as? any NamesOneApp)?.namedApp
        fields.append("app", string: app.map(AuditArguments.clipped))
        fields.append("machine", string: parameter("machine_id").map(AuditArguments.clipped))
        fields.append("args", object: JSONMembersWriter(machines.map { AuditArguments.extract($0) } ?? JSONObject(), terminalSafe: true))
        let payload = (try? request.serializedBytes() as [UInt8]) ?? []
        fields.append("payload_sha256", string: AuditChain.digest(payload))
        // Its presence only, whether in `lease_nonce` or in metadata `flygate-lease-nonce`.
        fields.append("lease_nonce_present", bool: !LeaseStage.broughtNonce(machines, context).isEmpty)
        return fields
    }

    /// `describe` plus the outcome, what the other stages noted, and the duration.
    package static func completed(
        _ described: JSONMembersWriter,
        error: (any Error)?,
        nonce: String,
        annotations: CallAnnotations.Values,
        duration: Duration
    ) -> JSONMembersWriter {
        var fields = described
        var outcome = JSONMembersWriter(terminalSafe: true)
        if let error {
            let status = RPCError(converting: error)
            outcome.append("code", string: status.code.name)
            outcome.append("message", string: AuditRedaction.message(status.message, nonce: nonce.isEmpty ? nil : nonce))
        } else {
            outcome.append("code", string: RPCStatusCode.ok.name)
        }
        if let upstream = annotations.upstream {
            outcome.append("http_status", upstream.httpStatus.map { .int($0) } ?? .null)
            outcome.append("fly_request_id", string: upstream.flyRequestID.map(AuditArguments.clipped))
            outcome.append("attempts", int: upstream.attempts)
        }
        fields.append("outcome", object: outcome)
        fields.append("coalesced", bool: annotations.coalesced)
        fields.append("cache_hit", bool: annotations.cacheHit)
        if let age = annotations.cacheAge { fields.append("cache_age_ms", int: Int(age.milliseconds)) }
        let (seconds, attoseconds) = duration.components
        fields.append("duration_us", int: Int(seconds * 1_000_000 + attoseconds / 1_000_000_000_000))
        return fields
    }
}
