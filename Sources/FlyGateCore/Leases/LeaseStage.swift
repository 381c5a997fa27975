import FlyGateServer
import FlyGateWire
import FlyMachinesAPI
import FlyMachinesProto
import Foundation

/// The lease book's stage, just before the upstream: books the leases callers take, attaches
/// the holder's nonce to its own mutations, and refuses other local callers' mutations of a
/// booked machine (every rpc whose traits say `leaseGuarded`) unless they bring the nonce.
///
/// A caller brings the nonce in the request's `lease_nonce` or, for rpcs whose request has no
/// such field (Exec, metadata and memory writes), as metadata `flygate-lease-nonce`; where the
/// request has the field and it is empty, the metadata's nonce fills it and goes upstream too.
package struct LeaseStage: MachinesStage {
    /// Metadata asking the daemon to refresh a lease taken with CreateLease while its holder stays connected.
    package static let renewMetadataKey = "flygate-lease-renew"
    /// Metadata carrying the lease nonce for a guarded rpc; never logged or audited (only its presence).
    package static let nonceMetadataKey = "flygate-lease-nonce"

    let book: LeaseBook

    /// A stage keeping `book`.
    package init(book: LeaseBook) {
        self.book = book
    }

    /// The rpcs a lease guards, and those whose answers the book notes (``note(_:_:context:)``).
    package func applies<Request: MachinesRPCRequest>(to request: Request.Type) -> Bool {
        Request.rpc.traits.leaseGuarded || Self.booked.contains(Request.rpc)
    }

    /// The rpcs whose answers take, refresh or release a lease in the book.
    static let booked: Set<MachinesRPC> = [.createLease, .create, .update, .releaseLease]

    package func handle<Request: MachinesRPCRequest>(
        _ request: Request,
        context: CallContext,
        next: MachinesNext<Request>
    ) async throws -> Request.Response {
        var request = request
        if Request.rpc.traits.leaseGuarded, let app = request.pathParameter("app_name"),
            let machine = request.pathParameter("machine_id")
        {
            let brought = try Self.checkedNonce(request, context)
            // Sent upstream where the rpc takes the nonce; a no-op where its request has no field.
            if request.leaseNonceValue.isEmpty, !brought.isEmpty { request.leaseNonceValue = brought }
            let key = LeaseKey(app: app, machine: machine)
            switch book.decide(key, connectionID: context.connectionID, nonce: brought) {
            case .pass: break
            case .attach(let nonce): request.leaseNonceValue = nonce
            case .refuse(let holder): throw DaemonError(code: .failedPrecondition, message: Self.refusal(holder))
            }
        }
        let response: Request.Response
        do {
            response = try await next(request, context)
        } catch {
            // "lease not found": nothing is held any more.
            if Request.rpc == .releaseLease, RPCError(converting: error).code == .notFound { forget(request) }
            throw error
        }
        note(request, response, context: context)
        return response
    }

    /// Books what the answer says about leases: taken, refreshed, released.
    private func note<Request: MachinesRPCRequest>(_ request: Request, _ response: Request.Response, context: CallContext) {
        // Every case below is an rpc of `booked`: the casts are spared for all others.
        guard Self.booked.contains(Request.rpc) else { return }
        switch (request, response) {
        case let (request as Flygate_Machines_V1_CreateLeaseRequest, response as Flygate_Machines_V1_CreateLeaseResponse):
            let lease = response.body
            let key = LeaseKey(app: request.appName, machine: request.machineID)
            if !request.leaseNonce.isEmpty {
                // A refresh (the holder's, or the daemon's renewal): the same lease, further out.
                // An answer naming another nonce is another lease, which the book does not adopt.
                guard lease.nonce.isEmpty || lease.nonce == request.leaseNonce else { return }
                let ttl = request.body.hasTtl ? request.body.ttl : 0
                let expiresAt = lease.hasExpiresAt ? lease.expiresAt : book.now + ttl
                book.refreshed(key, nonce: request.leaseNonce, expiresAt: expiresAt)
            } else if !lease.nonce.isEmpty {
                let ttl = request.body.hasTtl ? request.body.ttl : max(1, lease.expiresAt - book.now)
                take(key, nonce: lease.nonce, ttl: ttl, expiresAt: lease.expiresAt, description: lease.description_p,
                     renew: Self.wantsRenewal(context), context: context)
            }
        case let (request as Flygate_Machines_V1_CreateRequest, response as Flygate_Machines_V1_CreateResponse):
            let machine = response.body
            guard request.body.leaseTtl > 0, !machine.nonce.isEmpty else { return }
            take(LeaseKey(app: request.appName, machine: machine.id), nonce: machine.nonce, ttl: request.body.leaseTtl,
                 expiresAt: book.now + request.body.leaseTtl, description: "", renew: false, context: context)
        case let (request as Flygate_Machines_V1_UpdateRequest, response as Flygate_Machines_V1_UpdateResponse):
            let machine = response.body
            guard request.body.leaseTtl > 0, !machine.nonce.isEmpty, machine.nonce != request.leaseNonce else { return }
            take(LeaseKey(app: request.appName, machine: request.machineID), nonce: machine.nonce, ttl: request.body.leaseTtl,
                 expiresAt: book.now + request.body.leaseTtl, description: "", renew: false, context: context)
        case (is Flygate_Machines_V1_ReleaseLeaseRequest, _):
            forget(request)
        default:
            break
        }
    }

    private func take(
        _ key: LeaseKey, nonce: String, ttl: Int64, expiresAt: Int64, description: String, renew: Bool, context: CallContext
    ) {
        book.take(
            LeaseRecord(
                app: key.app, machine: key.machine, nonce: nonce, ttlSeconds: ttl,
                expiresAt: expiresAt > 0 ? expiresAt : book.now + ttl, description: description,
                holder: LeaseHolder(connectionID: context.connectionID, uid: context.peer.uid, pid: context.peer.pid),
                renew: renew))
    }

    private func forget<Request: MachinesRPCRequest>(_ request: Request) {
        guard let app = request.pathParameter("app_name"), let machine = request.pathParameter("machine_id") else { return }
        book.released(LeaseKey(app: app, machine: machine), nonce: request.leaseNonceValue)
    }

    /// The nonce a call brings: its request's `lease_nonce`, else metadata `flygate-lease-nonce`; empty for none.
    package static func broughtNonce(_ request: (any MachinesRPCRequest)?, _ context: CallContext) -> String {
        if let field = request?.leaseNonceValue, !field.isEmpty { return field }
        return context.metadataValue(nonceMetadataKey) ?? ""
    }

    /// ``broughtNonce(_:_:)``, refusing a call whose field and metadata name different nonces.
    static func checkedNonce<Request: MachinesRPCRequest>(_ request: Request, _ context: CallContext) throws -> String {
        let field = request.leaseNonceValue
        if let metadata = context.metadataValue(nonceMetadataKey), !metadata.isEmpty, !field.isEmpty, metadata != field {
            throw DaemonError(code: .invalidArgument, message: "lease_nonce and metadata \(nonceMetadataKey) name different nonces")
        }
        return broughtNonce(request, context)
    }

    private static func wantsRenewal(_ context: CallContext) -> Bool {
        guard let value = context.metadataValue(renewMetadataKey)?.lowercased() else { return false }
        return value == "true" || value == "1" || value == "yes"
    }

    /// FAILED_PRECONDITION text naming the holder (never the nonce).
    static func refusal(_ holder: LeaseRecord) -> String {
        let expiry = ISO8601DateFormatter().string(from: Date(timeIntervalSince1970: TimeInterval(holder.expiresAt)))
        var text = "machine \(holder.machine) of app \(holder.app) is leased through flygate by pid \(holder.holder.pid) (uid \(holder.holder.uid))"
        let description = FlyErrorText.sanitized(holder.description, maxBytes: 80)
        if !description.isEmpty { text += " for \"\(description)\"" }
        text += " until \(expiry)"
        if holder.phase != .held { text += " (its holder is gone; the lease is being released)" }
        return text + "; pass the lease's nonce (lease_nonce, or metadata \(nonceMetadataKey)) to act on the machine anyway"
    }
}
