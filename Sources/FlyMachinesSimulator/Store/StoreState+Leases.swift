import FlyGateJSON

extension StoreState {
    /// `Machines_show_lease`: the live lease in its envelope, or 404 "lease not found".
    package func showLease(app: String, id: String, now: WallClock) throws(SimulatorError) -> JSONValue {
        let machine = try machine(app, id)
        guard let lease = machine.lease, lease.isLive(at: now) else {
            throw .lease(404, "lease not found", code: "not_found")
        }
        return lease.envelope
    }

    /// `Machines_create_lease`: takes a lease, or refreshes it when `nonce` is the holder's; 409 when
    /// someone else holds it.
    package mutating func createLease(
        app: String, id: String, ttl: Int64, description: String?, nonce: String?, now: WallClock
    ) throws(SimulatorError) -> JSONValue {
        guard var machine = machines[id], machine.appName == app, machine.state != .destroyed else {
            throw .lease(404, "machine not found: \(id)", code: "not_found")
        }
        if let lease = machine.lease, lease.isLive(at: now) {
            guard let nonce, nonce == lease.nonce else {
                throw .lease(
                    409,
                    "machine ID \(id) lease currently held by \(lease.owner), expires at \(lease.expiresAt.rfc3339)",
                    code: "invalid")
            }
            var refreshed = lease
            refreshed.expiresAt = now.adding(.seconds(ttl))
            if let description { refreshed.description = description }
            machine.lease = refreshed
        } else {
            machine.lease = newLease(ttl: ttl, description: description ?? "", version: machine.instanceID, now: now)
        }
        machines[id] = machine
        return machine.lease?.envelope ?? .null
    }

    /// `Machines_release_lease`: drops the lease when `nonce` is the holder's.
    package mutating func releaseLease(app: String, id: String, nonce: String?, now: WallClock) throws(SimulatorError)
        -> JSONValue
    {
        guard var machine = machines[id], machine.appName == app else {
            throw .lease(404, "machine not found: \(id)", code: "not_found")
        }
        guard let nonce, !nonce.isEmpty else {
            throw .lease(400, "fly-machine-lease-nonce header is required", code: "invalid")
        }
        guard let lease = machine.lease, lease.isLive(at: now) else {
            throw .lease(404, "lease not found", code: "not_found")
        }
        guard lease.nonce == nonce else {
            throw .lease(
                409, "machine ID \(id) lease currently held by \(lease.owner), expires at \(lease.expiresAt.rfc3339)",
                code: "invalid")
        }
        machine.lease = nil
        machines[id] = machine
        return ["status": "success", "data": ["ok": true]]
    }
}
