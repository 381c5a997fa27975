/// What the OpenAPI document does not say, or says differently from the live API.
///
/// Each entry cites FLY_API.md (the project's research notes on the Machines API). Keep this
/// table small: anything the document states correctly comes from the document.
enum Overrides {
    /// The services, each a proto file of its own, in the order their files are generated: a
    /// model message lives in the file of the first service that reaches it, and later files
    /// import it. Machines comes first, so its names and numbers never move.
    ///
    /// The document's tags group them: Machines, Apps (with its IP assignments), Volumes (with
    /// the org-wide listing, beside Machines' own), Secrets (with secret keys), TLS Certificates
    /// and Platform. New rpc names are unique across services (`ListApps`, not `List`) and take
    /// their verb from the operation id, so each is one case of the generated `MachinesRPC`.
    static let services: [ServiceSpec] = [
        ServiceSpec(
            package: "flygate.machines.v1", name: "Machines", title: "The Fly Machines API", rpcs: machineRPCs),
        ServiceSpec(
            package: "flygate.apps.v1", name: "Apps", title: "Fly apps and their IP assignments",
            rpcs: [
                RPCSpec("ListApps", "Apps_list"),
                RPCSpec("CreateApp", "Apps_create"),
                RPCSpec("ShowApp", "Apps_show"),
                RPCSpec("DeleteApp", "Apps_delete"),
                RPCSpec("ListIPAssignments", "App_IPAssignments_list"),
                RPCSpec("CreateIPAssignment", "App_IPAssignments_create"),
                RPCSpec("DeleteIPAssignment", "App_IPAssignments_delete"),
            ]),
        ServiceSpec(
            package: "flygate.volumes.v1", name: "Volumes", title: "Fly volumes and their snapshots",
            rpcs: [
                RPCSpec("ListVolumes", "Volumes_list"),
                RPCSpec("CreateVolume", "Volumes_create"),
                RPCSpec("GetVolume", "Volumes_get_by_id"),
                RPCSpec("UpdateVolume", "Volumes_update"),
                RPCSpec("DeleteVolume", "Volume_delete"),
                RPCSpec("ExtendVolume", "Volumes_extend"),
                RPCSpec("ListVolumeSnapshots", "Volumes_list_snapshots"),
                RPCSpec("CreateVolumeSnapshot", "createVolumeSnapshot"),
                RPCSpec("ListOrgVolumes", "Volumes_org_list"),
            ]),
        ServiceSpec(
            package: "flygate.secrets.v1", name: "Secrets", title: "Fly app secrets and secret keys",
            rpcs: [
                RPCSpec("ListSecrets", "Secrets_list"),
                RPCSpec("UpdateSecrets", "Secrets_update"),
                RPCSpec("GetSecret", "Secret_get"),
                RPCSpec("CreateSecret", "Secret_create"),
                RPCSpec("DeleteSecret", "Secret_delete"),
                RPCSpec("ListSecretKeys", "Secretkeys_list"),
                RPCSpec("GetSecretKey", "Secretkey_get"),
                RPCSpec("SetSecretKey", "Secretkey_set"),
                RPCSpec("DeleteSecretKey", "Secretkey_delete"),
                RPCSpec("GenerateSecretKey", "Secretkey_generate"),
                RPCSpec("Encrypt", "Secretkey_encrypt"),
                RPCSpec("Decrypt", "Secretkey_decrypt"),
                RPCSpec("Sign", "Secretkey_sign"),
                RPCSpec("Verify", "Secretkey_verify"),
            ]),
        ServiceSpec(
            package: "flygate.certificates.v1", name: "Certificates", title: "Fly TLS certificates",
            rpcs: [
                RPCSpec("ListCertificates", "App_Certificates_list"),
                RPCSpec("CreateAcmeCertificate", "App_Certificates_acme_create"),
                RPCSpec("CreateCustomCertificate", "App_Certificates_custom_create"),
                RPCSpec("ShowCertificate", "App_Certificates_show"),
                RPCSpec("DeleteCertificate", "App_Certificates_delete"),
                RPCSpec("DeleteAcmeCertificate", "App_Certificates_acme_delete"),
                RPCSpec("DeleteCustomCertificate", "App_Certificates_custom_delete"),
                RPCSpec("CheckCertificate", "App_Certificates_check"),
            ]),
        ServiceSpec(
            package: "flygate.platform.v1", name: "Platform", title: "Fly's platform: regions and placements",
            rpcs: [
                RPCSpec("ListRegions", "Platform_regions_get"),
                RPCSpec("GetPlacements", "Platform_placements_post"),
            ]),
    ]

    /// Every rpc of every service, in file order.
    static var rpcs: [RPCSpec] { services.flatMap(\.rpcs) }

    /// Operations of the document that are no rpc, each with its reason. The generator fails on
    /// an operation that is neither an rpc nor here, so a new Fly operation cannot be skipped
    /// silently: it is generated or excluded, with a reason a reviewer reads.
    static let excludedOperations: [ExcludedOperation] = [
        // Credentials: serving these would let any local caller walk away with a token, which is
        // the one thing the gateway exists to keep. An operator who needs them uses a token of
        // their own.
        ExcludedOperation("POST", "/apps/{app_name}/deploy_token", "mints a deploy token for the app: a credential"),
        ExcludedOperation("POST", "/tokens/authenticate", "exchanges and inspects tokens: a credential operation"),
        ExcludedOperation("POST", "/tokens/authorize", "exchanges and inspects tokens: a credential operation"),
        ExcludedOperation("GET", "/tokens/current", "describes the daemon's own token (its organisations and scopes)"),
        ExcludedOperation("POST", "/tokens/kms", "mints a KMS token: a credential"),
        ExcludedOperation("POST", "/tokens/oidc", "mints an OIDC token: a credential"),
        // The bulk metadata update is one operation id on two methods; both merge (FLY_API.md §2).
        ExcludedOperation(
            "PUT", "/apps/{app_name}/machines/{machine_id}/metadata",
            "the same operation (Machines_update_metadata) as PATCH, which PatchMetadata serves"),
    ]

    /// Query parameters the contract leaves out, with the reason.
    static let omittedQueryParameters: [String: [String: String]] = [
        // With `show_secrets` Fly answers secret values. A read-class caller could then read
        // every secret of an app; flygate never asks for them, so no local caller gets one.
        "Secrets_list": ["show_secrets": "would answer secret values to a read-class caller"],
        "Secret_get": ["show_secrets": "would answer secret values to a read-class caller"],
    ]

    /// POSTs that change nothing: their answer is computed from the request (placements), or
    /// from the request and a secret key (encrypt, decrypt, sign, verify). As reads they drop no
    /// cached answer (a verify loop would otherwise empty its app's cache on every call), may be
    /// sent again, and identical ones in flight at once share a call; their access classes
    /// still say who may make them, and `uncachedReads` keeps their answers out of the cache.
    static let postReads: Set<String> = [
        "Platform_placements_post",
        "Secretkey_encrypt", "Secretkey_decrypt", "Secretkey_sign", "Secretkey_verify",
    ]

    /// The 29 rpcs of `flygate.machines.v1.Machines`: the 22 names of Fly's Python `fly_sdk`
    /// (from the Dec 2023 spec) plus the machine operations the current document added.
    static let machineRPCs: [RPCSpec] = [
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

        // Apps and IP assignments: listing and showing are reads; making, deleting and routing
        // traffic to an app are admin.
        "Apps_list": .read,
        "Apps_show": .read,
        "App_IPAssignments_list": .read,
        "Apps_create": .admin,
        "Apps_delete": .admin,
        "App_IPAssignments_create": .admin,
        "App_IPAssignments_delete": .admin,
        // Volumes: reads look; a snapshot only copies, like an operation on a Machine; making,
        // resizing, reconfiguring and destroying storage is admin.
        "Volumes_list": .read,
        "Volumes_get_by_id": .read,
        "Volumes_list_snapshots": .read,
        "Volumes_org_list": .read,
        "createVolumeSnapshot": .operate,
        "Volumes_create": .admin,
        "Volumes_update": .admin,
        "Volume_delete": .admin,
        "Volumes_extend": .admin,
        // Secrets: names, digests and versions are reads (values are never asked for, see
        // omittedQueryParameters). Every write is admin, and so is every use of a secret key's
        // private half (decrypt, sign); encrypt and verify use only what a key would let anyone
        // check, so operate.
        "Secrets_list": .read,
        "Secret_get": .read,
        "Secretkeys_list": .read,
        "Secretkey_get": .read,
        "Secretkey_encrypt": .operate,
        "Secretkey_verify": .operate,
        "Secrets_update": .admin,
        "Secret_create": .admin,
        "Secret_delete": .admin,
        "Secretkey_set": .admin,
        "Secretkey_delete": .admin,
        "Secretkey_generate": .admin,
        "Secretkey_decrypt": .admin,
        "Secretkey_sign": .admin,
        // Certificates: a check asks Fly to look at DNS again and changes no configuration.
        "App_Certificates_list": .read,
        "App_Certificates_show": .read,
        "App_Certificates_check": .operate,
        "App_Certificates_acme_create": .admin,
        "App_Certificates_custom_create": .admin,
        "App_Certificates_delete": .admin,
        "App_Certificates_acme_delete": .admin,
        "App_Certificates_custom_delete": .admin,
        // Platform: what regions exist and where Machines could go.
        "Platform_regions_get": .read,
        "Platform_placements_post": .read,
    ]

    /// Reads whose answer must never be cached. Wait's answer is about a moment (a state was
    /// reached, §8): callers waiting at the same time may share one call, later callers may not.
    /// Placements are computed from the regions' capacity at the moment they are asked for. What
    /// a secret key computes is about material no answer should outlive: a decrypted plaintext or
    /// a signature stays in the daemon only while its call is in flight.
    static let uncachedReads: Set<String> = [
        "Machines_wait", "Platform_placements_post",
        "Secretkey_encrypt", "Secretkey_decrypt", "Secretkey_sign", "Secretkey_verify",
    ]

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

    /// Field number of the member bag in every model message: far from any schema's fields.
    static let unknownMembersFieldNumber = 2047
}

/// One service: its proto package and name, and its rpcs. Its files are named after the
/// package: `flygate.apps.v1` is `proto/flygate/apps/v1/apps.proto`, with `apps.numbers`
/// (``FieldNumbers``) beside it and `Sources/FlyMachinesProto/Generated/apps+JSON.swift`.
struct ServiceSpec: Sendable {
    var package: String
    var name: String
    /// What the service covers, for the proto file's first comment.
    var title: String
    var rpcs: [RPCSpec]

    /// `apps` for `flygate.apps.v1`.
    var baseName: String { String(package.split(separator: ".").dropFirst().first ?? "") }
    var directory: String { "proto/" + package.split(separator: ".").joined(separator: "/") }
    /// The proto file, relative to the repository root.
    var protoPath: String { "\(directory)/\(baseName).proto" }
    /// The proto file as its importers name it (relative to `proto/`).
    var importPath: String { String(protoPath.dropFirst("proto/".count)) }
    var numbersPath: String { "\(directory)/\(baseName).numbers" }
    var swiftMappingPath: String { "Sources/FlyMachinesProto/Generated/\(baseName)+JSON.swift" }
    var fullName: String { "\(package).\(name)" }
    var goPackage: String {
        let version = package.split(separator: ".").last.map(String.init) ?? "v1"
        return "github.com/flygate/flygate/\(directory);\(baseName)\(version)"
    }
}

/// An operation of the document that is not served, and why.
struct ExcludedOperation: Sendable {
    var method: String
    var path: String
    var reason: String

    init(_ method: String, _ path: String, _ reason: String) {
        self.method = method
        self.path = path
        self.reason = reason
    }
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
