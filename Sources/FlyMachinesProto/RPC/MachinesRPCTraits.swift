/// What flygate does with one Machines rpc: who may call it, and how the stages and the
/// upstream client treat it. Generated per rpc (`MachinesRPC.traits`) from Fly's document and
/// flygate-codegen's overrides; nothing else decides these.
package struct MachinesRPCTraits: Sendable, Equatable {
    /// The access policy's class of the rpc.
    package var access: MethodClass
    /// False for reads (GET): the call changes nothing, so its answer may be shared.
    package var mutates: Bool
    /// A read whose answer may be cached and served again; Wait is coalesced but never cached.
    package var cacheable: Bool
    /// The call may hold an upstream connection for up to a minute (Wait, Exec), so it uses the
    /// upstream client's separate long-call pool.
    package var longRunning: Bool
    /// The local lease guard applies: the call mutates one Machine (its path names `machine_id`),
    /// so while another local caller holds that Machine's lease it is refused unless it brings
    /// the nonce (in `lease_nonce`, or as metadata `flygate-lease-nonce` where it has no such field).
    /// Fly itself checks the nonce only on the rpcs whose request has `lease_nonce`.
    package var leaseGuarded: Bool
    /// Safe to send again when an attempt may have reached Fly: reads, and ReleaseLease.
    package var replayable: Bool

    package init(
        access: MethodClass, mutates: Bool, cacheable: Bool, longRunning: Bool, leaseGuarded: Bool, replayable: Bool
    ) {
        self.access = access
        self.mutates = mutates
        self.cacheable = cacheable
        self.longRunning = longRunning
        self.leaseGuarded = leaseGuarded
        self.replayable = replayable
    }
}
