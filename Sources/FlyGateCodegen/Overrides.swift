/// What the OpenAPI document does not say, or says differently from the live API.
///
/// Each entry cites FLY_API.md (the project's research notes on the Machines API). Keep this
/// table small: anything the document states correctly comes from the document.
enum Overrides {
    /// The 29 rpcs of `flygate.machines.v1.Machines`: the 22 names of Fly's Python `fly_sdk`
    /// (from the Dec 2023 spec) plus the machine operations the current document added.
    static let rpcs: [RPCSpec] = [
        RPCSpec("Cordon", "Machines_cordon"),
        RPCSpec("Create", "Machines_create"),
        RPCSpec("CreateLease", "Machines_create_lease"),
        RPCSpec("Delete", "Machines_delete"),
        RPCSpec("DeleteMetadata", "Machines_delete_metadata"),
        RPCSpec("Exec", "Machines_exec"),
        RPCSpec("List", "Machines_list"),
        RPCSpec("ListEvents", "Machines_list_events"),
        RPCSpec("ListProcesses", "Machines_list_processes"),
        RPCSpec("ListVersions", "Machines_list_versions"),
        RPCSpec("ReleaseLease", "Machines_release_lease"),
        RPCSpec("Restart", "Machines_restart"),
        RPCSpec("Show", "Machines_show"),
        RPCSpec("ShowLease", "Machines_show_lease"),
        RPCSpec("ShowMetadata", "Machines_show_metadata"),
        RPCSpec("Signal", "Machines_signal"),
        RPCSpec("Start", "Machines_start"),
        RPCSpec("Stop", "Machines_stop"),
        RPCSpec("Uncordon", "Machines_uncordon"),
        RPCSpec("Update", "Machines_update"),
        // fly_sdk's per-key metadata POST; the document renamed it upsert.
        RPCSpec("UpdateMetadata", "Machines_upsert_metadata"),
        RPCSpec("Wait", "Machines_wait"),
        RPCSpec("Suspend", "Machines_suspend"),
        RPCSpec("GetMetadataKey", "Machines_get_metadata_key"),
        // The document's bulk update is PUT and PATCH on one id; both merge, PATCH says so.
        RPCSpec("PatchMetadata", "Machines_update_metadata", method: "PATCH"),
        RPCSpec("GetMemory", "Machines_get_memory"),
        RPCSpec("SetMemoryLimit", "Machines_set_memory_limit"),
        RPCSpec("ReclaimMemory", "Machines_reclaim_memory"),
        RPCSpec("ListOrgMachines", "Machines_org_list"),
    ]

    /// Mutations that take `fly-machine-lease-nonce` on a leased Machine. The document declares
    /// the header only on the lease calls; Fly's docs and Go client send it on these (§2, §5).
    ///
    /// This decides only what is sent upstream (the request's `lease_nonce` field). The local
    /// lease guard (`leaseGuarded`) covers more: every mutation of one Machine, Exec, metadata
    /// and memory writes included, whose nonce comes as ttrpc metadata `flygate-lease-nonce`.
    static let leaseNonceOperations: Set<String> = [
        "Machines_update", "Machines_start", "Machines_stop", "Machines_restart", "Machines_delete",
        "Machines_cordon", "Machines_uncordon", "Machines_suspend", "Machines_signal",
    ]

    /// Who may call each rpc, for the access policy (the generated `MethodClass`). The document
    /// has no such notion. Every rpc must be listed: the generator fails on one that is not, so
    /// a new rpc cannot slip in without a class. A call that is not a GET cannot be a read.
    static let accessClasses: [String: AccessClass] = [
        // Reads look and change nothing: Machines, their lease, metadata, events, processes,
        // versions and memory, and the org-wide listing.
        "Machines_list": .read,
        "Machines_show": .read,
        "Machines_show_lease": .read,
        "Machines_show_metadata": .read,
        "Machines_get_metadata_key": .read,
        "Machines_list_events": .read,
        "Machines_list_processes": .read,
        "Machines_list_versions": .read,
        // Wait blocks until a state is reached (§8) but changes nothing.
        "Machines_wait": .read,
        "Machines_get_memory": .read,
        "Machines_org_list": .read,
        // Operate drives an existing Machine's lifecycle; what it is and runs stays as it was.
        "Machines_start": .operate,
        "Machines_stop": .operate,
        "Machines_restart": .operate,
        "Machines_suspend": .operate,
        "Machines_signal": .operate,
        "Machines_cordon": .operate,
        "Machines_uncordon": .operate,
        // Leases only settle who operates a Machine (§5).
        "Machines_create_lease": .operate,
        "Machines_release_lease": .operate,
        // Admin makes, reconfigures or destroys a Machine...
        "Machines_create": .admin,
        "Machines_update": .admin,
        "Machines_delete": .admin,
        // ...runs any command inside its guest...
        "Machines_exec": .admin,
        // ...rewrites the metadata other tools rely on...
        "Machines_upsert_metadata": .admin,
        "Machines_delete_metadata": .admin,
        "Machines_update_metadata": .admin,
        // ...or changes the running guest's memory.
        "Machines_set_memory_limit": .admin,
        "Machines_reclaim_memory": .admin,
    ]

    /// Reads whose answer must never be cached. Wait's answer is about a moment (a state was
    /// reached, §8): callers waiting at the same time may share one call, later callers may not.
    static let uncachedReads: Set<String> = ["Machines_wait"]

    /// Calls that may hold an upstream connection for up to a minute, given a connection pool of
    /// their own: Wait long-polls up to 60 s (§8); Exec answers when its command ends (§3).
    static let longRunningOperations: Set<String> = ["Machines_wait", "Machines_exec"]

    /// Mutations safe to send again when the first attempt may have reached Fly. Releasing a
    /// lease twice is harmless, and "lease not found" means it is released (§5).
    static let replayableMutations: Set<String> = ["Machines_release_lease"]

    /// The request field, in whole seconds, that bounds an rpc's long poll: wait's `timeout` (§8).
    static let longPollWindowFields: [String: String] = ["Machines_wait": "timeout"]

    /// Query parameters that may repeat: wait's `state` is "repeated or comma-separated" (§8).
    static let repeatedQueryParameters: [String: Set<String>] = ["Machines_wait": ["state"]]

    /// Members whose JSON comes in more than one form (§3).
    static let fieldCodecs: [String: [String: FieldCodec]] = [
        // `autostop` is off|stop|suspend, but responses still send false/true for off/stop.
        "fly.MachineService": ["autostop": .autostop],
        // Durations are Go duration strings ("15s"); older payloads send nanoseconds.
        "fly.MachineCheck": ["interval": .duration, "timeout": .duration, "grace_period": .duration],
        "fly.MachineServiceCheck": ["interval": .duration, "timeout": .duration, "grace_period": .duration],
        "fly.StopConfig": ["timeout": .duration],
        "StopRequest": ["timeout": .duration],
        // Fly's Go client sends `{"signal": 9}`: a number as well as a name.
        "SignalRequest": ["signal": .signal],
    ]

    /// Operations whose 200 the document leaves without a body although Fly sends one (§2, §10).
    static let emptySuccessBodies: [String: String] = [
        "Machines_start": "StartResult",
        "Machines_stop": "OkResult",
        "Machines_restart": "OkResult",
        "Machines_suspend": "OkResult",
        "Machines_cordon": "OkResult",
        "Machines_uncordon": "OkResult",
        "Machines_signal": "OkResult",
        "Machines_delete": "OkResult",
        "Machines_release_lease": "OkResult",
    ]

    /// Messages for those bodies, written from Fly's documented examples.
    static let extraComponents: [OpenAPIDocument.Component] = [
        OpenAPIDocument.Component(
            name: "OkResult",
            description: "The `{\"ok\": true}` body Fly sends for calls the document leaves empty.",
            properties: [.init(name: "ok", schema: .boolean)],
            enumValues: nil
        ),
        OpenAPIDocument.Component(
            name: "StartResult",
            description: "Start's answer: Fly's docs show previous_state, migrated and new_host; Fly's Go client reads message and status too.",
            properties: [
                .init(name: "message", schema: .string(enumValues: [])),
                .init(name: "migrated", schema: .boolean),
                .init(name: "new_host", schema: .string(enumValues: [])),
                .init(name: "previous_state", schema: .string(enumValues: [])),
                .init(name: "status", schema: .string(enumValues: [])),
            ],
            enumValues: nil
        ),
    ]

    /// Lease calls answer `{"status": "success", "data": {...}}`, not the flat schema (§5).
    static let leaseEnvelopeOperations: Set<String> = [
        "Machines_show_lease", "Machines_create_lease", "Machines_release_lease",
    ]

    /// Exec may answer `application/octet-stream`; its bytes are the command's output (§1, §10).
    static let rawBodyOperations: Set<String> = ["Machines_exec"]

    /// The proto file's package.
    static let protoPackage = "flygate.machines.v1"
    static let serviceName = "Machines"
    /// Field number of the member bag in every model message: far from any schema's fields.
    static let unknownMembersFieldNumber = 2047
}

/// One rpc: its name and the document operation it maps to.
struct RPCSpec: Sendable {
    var name: String
    var operationID: String
    var method: String?

    init(_ name: String, _ operationID: String, method: String? = nil) {
        self.name = name
        self.operationID = operationID
        self.method = method
    }
}

/// Who may call an rpc; the generated `MethodClass` has the same cases.
enum AccessClass: String, Sendable {
    case read
    case operate
    case admin
}

/// How a member's JSON becomes a proto value when the plain type is not enough.
enum FieldCodec: String, Sendable {
    case autostop
    case duration
    case signal
}
