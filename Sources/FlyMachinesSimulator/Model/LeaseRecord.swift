import FlyGateJSON

/// A lease held on a machine.
package struct LeaseRecord: Sendable {
    /// The secret a holder presents in `fly-machine-lease-nonce`.
    package var nonce: String
    /// When it lapses (reported in Unix seconds).
    package var expiresAt: WallClock
    /// Who took it.
    package var owner: String
    /// Why, as given by the holder.
    package var description: String
    /// The machine version it was taken at.
    package var version: String

    /// Whether the lease still holds at `now`.
    package func isLive(at now: WallClock) -> Bool { expiresAt > now }

    /// The flat `Lease` object (the `data` of the envelope).
    package var json: JSONValue {
        ["nonce": .string(nonce), "expires_at": .int(expiresAt.seconds), "owner": .string(owner),
         "description": .string(description), "version": .string(version)]
    }

    /// The wire form, `{"status":"success","data":{…}}`.
    package var envelope: JSONValue { ["status": "success", "data": json] }
}
