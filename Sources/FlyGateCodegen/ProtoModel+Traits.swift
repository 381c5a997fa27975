extension ProtoModel {
    /// What flygate does with an rpc, from the document (GET is a read, as are the POSTs of
    /// `Overrides.postReads`) and the override tables; the generated `MachinesRPCTraits` has
    /// the same members.
    struct Traits: Equatable {
        var access: AccessClass
        /// Not a GET (nor a POST that reads).
        var mutates: Bool
        /// A read whose answer may be stored and served again.
        var cacheable: Bool
        /// Uses the upstream client's pool for long calls.
        var longRunning: Bool
        /// The local lease guard applies: a mutation of one Machine (its path names `machine_id`).
        var leaseGuarded: Bool
        /// May be sent again after it may have reached Fly.
        var replayable: Bool
    }

    static func traits(
        _ spec: RPCSpec, _ operation: OpenAPIDocument.Operation, takesLeaseNonce: Bool
    ) throws(CodegenError) -> Traits {
        let id = operation.operationID
        guard let access = Overrides.accessClasses[id] else {
            throw CodegenError("\(spec.name) (\(id)) has no access class: declare one in Overrides.accessClasses")
        }
        let mutates = operation.method != "GET" && !Overrides.postReads.contains(id)
        if mutates && access == .read {
            throw CodegenError("\(spec.name) (\(id)) is \(operation.method), not a read: give it another access class")
        }
        // The guard is flygate's, not Fly's: while a local caller holds a Machine's lease, every
        // change to that Machine (Exec, metadata and memory writes too, which Fly lets through
        // without the nonce) is the holder's to make. Create makes a new Machine, which nobody
        // can hold a lease on yet; reads change nothing.
        let leaseGuarded = mutates && operation.path.contains("{machine_id}")
        if takesLeaseNonce && !leaseGuarded {
            throw CodegenError("\(spec.name) (\(id)) takes the lease nonce but is not a mutation of one machine: the guard would skip it")
        }
        return Traits(
            access: access,
            mutates: mutates,
            cacheable: !mutates && !Overrides.uncachedReads.contains(id),
            longRunning: Overrides.longRunningOperations.contains(id),
            leaseGuarded: leaseGuarded,
            replayable: !mutates || Overrides.replayableMutations.contains(id)
        )
    }

    /// Fails when a trait override names no rpc, or says nothing a read or mutation does not
    /// already say: a stale or mistyped entry would otherwise be ignored silently.
    static func checkTraitOverrides(_ rpcs: [RPC]) throws(CodegenError) {
        let reads = Set(rpcs.filter { !$0.traits.mutates }.map(\.operation.operationID))
        let all = Set(rpcs.map(\.operation.operationID))
        let tables: [(name: String, ids: Set<String>, allowed: Set<String>)] = [
            ("accessClasses", Set(Overrides.accessClasses.keys), all),
            ("uncachedReads", Overrides.uncachedReads, reads),
            ("longRunningOperations", Overrides.longRunningOperations, all),
            ("replayableMutations", Overrides.replayableMutations, all.subtracting(reads)),
            ("longPollWindowFields", Set(Overrides.longPollWindowFields.keys), all),
            ("postReads", Overrides.postReads, Set(rpcs.filter { $0.method == "POST" }.map(\.operation.operationID))),
        ]
        for table in tables {
            if let stray = table.ids.subtracting(table.allowed).sorted().first {
                throw CodegenError("Overrides.\(table.name) names \(stray), which is not one of the rpcs it may name")
            }
        }
    }
}
