import FlyMachinesProto

/// An answer that can hold lease nonces: a Machine's (when it was created or updated with
/// `lease_ttl`) or a Lease's. ``NonceRedactionStage`` rewrites them per caller.
protocol LeaseNonceCarrying {
    /// Replaces each nonce in the answer with `transform(machine, nonce)`; `request` is the
    /// Machine the call was addressed to (nil for app-wide calls such as List and Create).
    mutating func mapLeaseNonces(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String)
}

extension Flygate_Machines_V1_Machine {
    /// The machine's own nonce, keyed by its id (or the addressed machine when the answer has none).
    mutating func mapLeaseNonce(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String) {
        guard !nonce.isEmpty else { return }
        let id = self.id.isEmpty ? (machine ?? "") : self.id
        nonce = transform(LeaseKey(app: app, machine: id), nonce)
    }
}

extension Flygate_Machines_V1_Lease {
    /// A lease answer is about the addressed machine.
    mutating func mapLeaseNonce(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String) {
        guard !nonce.isEmpty, let machine else { return }
        nonce = transform(LeaseKey(app: app, machine: machine), nonce)
    }
}

extension Flygate_Machines_V1_ShowResponse: LeaseNonceCarrying {
    mutating func mapLeaseNonces(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String) {
        guard hasBody else { return }
        body.mapLeaseNonce(app: app, request: machine, transform)
    }
}

extension Flygate_Machines_V1_CreateResponse: LeaseNonceCarrying {
    mutating func mapLeaseNonces(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String) {
        guard hasBody else { return }
        body.mapLeaseNonce(app: app, request: machine, transform)
    }
}

extension Flygate_Machines_V1_UpdateResponse: LeaseNonceCarrying {
    mutating func mapLeaseNonces(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String) {
        guard hasBody else { return }
        body.mapLeaseNonce(app: app, request: machine, transform)
    }
}

extension Flygate_Machines_V1_ListResponse: LeaseNonceCarrying {
    mutating func mapLeaseNonces(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String) {
        for index in body.indices { body[index].mapLeaseNonce(app: app, request: nil, transform) }
    }
}

extension Flygate_Machines_V1_ShowLeaseResponse: LeaseNonceCarrying {
    mutating func mapLeaseNonces(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String) {
        guard hasBody else { return }
        body.mapLeaseNonce(app: app, request: machine, transform)
    }
}

extension Flygate_Machines_V1_CreateLeaseResponse: LeaseNonceCarrying {
    mutating func mapLeaseNonces(app: String, request machine: String?, _ transform: (LeaseKey, String) -> String) {
        guard hasBody else { return }
        body.mapLeaseNonce(app: app, request: machine, transform)
    }
}
