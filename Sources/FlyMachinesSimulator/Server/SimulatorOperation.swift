/// The operations of Fly's Machines API document the simulator serves, named by their OpenAPI
/// `operationId`: every one except the credential-minting ones (`/tokens/*` and
/// `POST /apps/{app_name}/deploy_token`), which flygate never serves and which answer 404.
///
/// Bulk metadata PUT and PATCH are one operation (`Machines_update_metadata`), as in the document.
package enum SimulatorOperation: String, Sendable, CaseIterable, Hashable {
    // Machines.
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

    // Apps and their IP assignments.
    case listApps = "Apps_list"
    case createApp = "Apps_create"
    case showApp = "Apps_show"
    case deleteApp = "Apps_delete"
    case listIPAssignments = "App_IPAssignments_list"
    case createIPAssignment = "App_IPAssignments_create"
    case deleteIPAssignment = "App_IPAssignments_delete"

    // TLS certificates.
    case listCertificates = "App_Certificates_list"
    case createACMECertificate = "App_Certificates_acme_create"
    case createCustomCertificate = "App_Certificates_custom_create"
    case showCertificate = "App_Certificates_show"
    case deleteCertificate = "App_Certificates_delete"
    case deleteACMECertificate = "App_Certificates_acme_delete"
    case checkCertificate = "App_Certificates_check"
    case deleteCustomCertificate = "App_Certificates_custom_delete"

    // Secrets.
    case listSecrets = "Secrets_list"
    case updateSecrets = "Secrets_update"
    case showSecret = "Secret_get"
    case setSecret = "Secret_create"
    case deleteSecret = "Secret_delete"

    // Secret keys.
    case listSecretKeys = "Secretkeys_list"
    case showSecretKey = "Secretkey_get"
    case setSecretKey = "Secretkey_set"
    case deleteSecretKey = "Secretkey_delete"
    case decryptWithSecretKey = "Secretkey_decrypt"
    case encryptWithSecretKey = "Secretkey_encrypt"
    case generateSecretKey = "Secretkey_generate"
    case signWithSecretKey = "Secretkey_sign"
    case verifyWithSecretKey = "Secretkey_verify"

    // Volumes.
    case listVolumes = "Volumes_list"
    case createVolume = "Volumes_create"
    case showVolume = "Volumes_get_by_id"
    case updateVolume = "Volumes_update"
    case deleteVolume = "Volume_delete"
    case extendVolume = "Volumes_extend"
    case listVolumeSnapshots = "Volumes_list_snapshots"
    case createVolumeSnapshot = "createVolumeSnapshot"
    case orgListVolumes = "Volumes_org_list"

    // Platform.
    case listRegions = "Platform_regions_get"
    case getPlacements = "Platform_placements_post"

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
