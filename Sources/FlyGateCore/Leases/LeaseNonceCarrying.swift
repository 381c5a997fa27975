import FlyMachinesProto

/// An answer that can hold lease nonces: a Machine's (when it was created or updated with
/// `lease_ttl`) or a Lease's. ``NonceRedactionStage`` rewrites them per caller.
protocol LeaseNonceCarrying {
    /// Replaces each nonce in the answer with `transform(machine, nonce)`; `request` is the
    /// Machine the call was addressed to (nil for app-wide calls such as List and Create).
    mutating func mapLeaseNonces(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String)
}

/// A Machine or a Lease: one nonce, about one machine.
protocol LeaseNonceBody {
    /// Replaces the nonce with `transform(machine, nonce)`; `request` is the addressed machine.
    mutating func mapLeaseNonce(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String)
}

/// An answer whose one `body` is a ``LeaseNonceBody``.
protocol LeaseNonceBodyAnswer: LeaseNonceCarrying {
    associatedtype Body: LeaseNonceBody
    var hasBody: Bool { get }
    var body: Body { get set }
}

extension LeaseNonceBodyAnswer {
    mutating func mapLeaseNonces(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String) {
        guard hasBody else { return }
        body.mapLeaseNonce(app: app, request: machine, transform)
    }
}

extension Flygate_Machines_V1_Machine: LeaseNonceBody {
    /// The machine's own nonce, keyed by its id (or the addressed machine when the answer has none).
    mutating func mapLeaseNonce(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String) {
        guard !nonce.isEmpty else { return }
        let id = self.id.isEmpty ? (machine ?? "") : self.id
        nonce = transform(LeaseKey(app: app, machine: id), nonce)
    }
}

extension Flygate_Machines_V1_Lease: LeaseNonceBody {
    /// A lease answer is about the addressed machine.
    mutating func mapLeaseNonce(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String) {
        guard !nonce.isEmpty, let machine else { return }
        nonce = transform(LeaseKey(app: app, machine: machine), nonce)
    }
}

extension Flygate_Machines_V1_ShowResponse: LeaseNonceBodyAnswer {}
extension Flygate_Machines_V1_CreateResponse: LeaseNonceBodyAnswer {}
extension Flygate_Machines_V1_UpdateResponse: LeaseNonceBodyAnswer {}
extension Flygate_Machines_V1_ShowLeaseResponse: LeaseNonceBodyAnswer {}
extension Flygate_Machines_V1_CreateLeaseResponse: LeaseNonceBodyAnswer {}

extension Flygate_Machines_V1_ListResponse: LeaseNonceCarrying {
    mutating func mapLeaseNonces(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String) {
        for index in body.indices { body[index].mapLeaseNonce(app: app, request: nil, transform) }
    }
}
