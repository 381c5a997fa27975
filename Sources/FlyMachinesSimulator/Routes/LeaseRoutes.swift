import FlyGateJSON

/// Leases: show, acquire or refresh (201), release. Answers use Fly's `{status, data}` envelope.
enum LeaseRoutes {
    /// The TTL when neither the body nor the query names one.
    static let defaultTTLSeconds: Int64 = 30

    /// `GET …/lease`.
    static func show(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        .json(try store.read { state throws(SimulatorError) in try state.showLease(app: route.app, id: route.machineID, now: .now()) })
    }

    /// `POST …/lease` with `{ttl, description}` (or FLYGO's `?ttl=` and no body); the nonce header refreshes.
    static func create(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let body: JSONValue?
        do {
            body = try request.jsonBody()
        } catch {
            throw .lease(400, "invalid request body", code: "invalid")
        }
        var ttl = defaultTTLSeconds
        if let value = body?["ttl"], !value.isNull {
            guard let seconds = value.int64Value, seconds > 0 else {
                throw .lease(400, "invalid ttl: \(value.serialized)", code: "invalid")
            }
            ttl = seconds
        } else if let text = request.query("ttl"), !text.isEmpty {
            guard let seconds = Int64(text), seconds > 0 else { throw .lease(400, "invalid ttl: \(text)", code: "invalid") }
            ttl = seconds
        }
        let description = body?["description"]?.stringValue
        let nonce = request.leaseNonce
        let envelope = try store.update { state, now throws(SimulatorError) in
            try state.createLease(app: route.app, id: route.machineID, ttl: ttl, description: description, nonce: nonce, now: now)
        }
        return .json(envelope, status: 201)
    }

    /// `DELETE …/lease` with the nonce header.
    static func release(_ request: SimulatorRequest, _ route: Route, _ store: MachineStore) throws(SimulatorError)
        -> SimulatorResponse
    {
        let nonce = request.leaseNonce
        return .json(
            try store.update { state, now throws(SimulatorError) in
                try state.releaseLease(app: route.app, id: route.machineID, nonce: nonce, now: now)
            })
    }
}
