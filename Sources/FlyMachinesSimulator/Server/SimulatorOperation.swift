/// The 29 Machines API operations the simulator serves, named by their OpenAPI `operationId`.
///
/// Bulk metadata PUT and PATCH are one operation (`Machines_update_metadata`), as in the document.
package enum SimulatorOperation: String, Sendable, CaseIterable, Hashable {
    case list = "Machines_list"
    case create = "Machines_create"
    case show = "Machines_show"
    case update = "Machines_update"
    case delete = "Machines_delete"
    case cordon = "Machines_cordon"
    case uncordon = "Machines_uncordon"
    case start = "Machines_start"
    case stop = "Machines_stop"
    case suspend = "Machines_suspend"
    case restart = "Machines_restart"
    case signal = "Machines_signal"
    case listEvents = "Machines_list_events"
    case exec = "Machines_exec"
    case showLease = "Machines_show_lease"
    case createLease = "Machines_create_lease"
    case releaseLease = "Machines_release_lease"
    case getMemory = "Machines_get_memory"
    case setMemoryLimit = "Machines_set_memory_limit"
    case reclaimMemory = "Machines_reclaim_memory"
    case showMetadata = "Machines_show_metadata"
    case updateMetadata = "Machines_update_metadata"
    case getMetadataKey = "Machines_get_metadata_key"
    case upsertMetadata = "Machines_upsert_metadata"
    case deleteMetadata = "Machines_delete_metadata"
    case listProcesses = "Machines_list_processes"
    case listVersions = "Machines_list_versions"
    case wait = "Machines_wait"
    case orgList = "Machines_org_list"

    /// The OpenAPI `operationId`.
    package var operationID: String { rawValue }

    /// Operations that change a machine, and so need the lease nonce while it is leased.
    package var needsLeaseNonce: Bool {
        switch self {
        case .update, .start, .stop, .restart, .suspend, .delete, .cordon, .uncordon, .signal: true
        default: false
        }
    }
}
