import FlyMachinesProto

extension LeaseRecord {
    /// The record as `Gateway/ListLeases` shows it: the nonce by its prefix only.
    package var gatewayEntry: Flygate_Gateway_V1_LeaseEntry {
        var entry = Flygate_Gateway_V1_LeaseEntry()
        entry.appName = app
        entry.machineID = machine
        entry.noncePrefix = noncePrefix
        entry.expiresAt = expiresAt
        entry.description_p = description
        entry.ttlSeconds = ttlSeconds
        entry.holderUid = Int64(holder.uid)
        entry.holderPid = Int64(holder.pid)
        entry.renew = renew
        entry.lastRefreshError = lastError ?? ""
        return entry
    }
}
