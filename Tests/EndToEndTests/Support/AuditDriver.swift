import FlyGateClient
import FlyMachinesProto

/// Calls each of the 29 rpcs once or more on one machine, with secrets where a careless log would keep them.
enum AuditDriver {
    /// Returns the lease nonce it took (which the audit log must not hold).
    static func callEveryRPC(_ client: RPCClient, app: String, envSecret: String, stdinSecret: String) async throws -> String {
        var create = Machines.create(app, name: "audited")
        create.body.region = "ord"
        create.body.config.env = ["API_KEY": envSecret]
        let id = try await client.create(create).body.id
        _ = try await client.wait(Machines.wait(app, id, state: "started"))
        _ = try await client.show(Machines.target(Flygate_Machines_V1_ShowRequest.self, app, id))
        var list = Flygate_Machines_V1_ListRequest()
        list.appName = app
        list.region = "ord"
        _ = try await client.list(list)
        var org = Flygate_Machines_V1_ListOrgMachinesRequest()
        org.orgSlug = "personal"
        _ = try await client.listOrgMachines(org)

        var exec = Machines.target(Flygate_Machines_V1_ExecRequest.self, app, id)
        exec.body.command = ["cat"]
        exec.body.stdin = stdinSecret
        _ = try await client.exec(exec)
        _ = try await client.listProcesses(Machines.target(Flygate_Machines_V1_ListProcessesRequest.self, app, id))
        var signal = Machines.target(Flygate_Machines_V1_SignalRequest.self, app, id)
        signal.body.signal = "SIGUSR1"
        _ = try await client.signal(signal)
        _ = try await client.getMemory(Machines.target(Flygate_Machines_V1_GetMemoryRequest.self, app, id))
        var setMemory = Machines.target(Flygate_Machines_V1_SetMemoryLimitRequest.self, app, id)
        setMemory.body.limitMb = 128
        _ = try await client.setMemoryLimit(setMemory)
        var reclaim = Machines.target(Flygate_Machines_V1_ReclaimMemoryRequest.self, app, id)
        reclaim.body.amountMb = 16
        _ = try await client.reclaimMemory(reclaim)

        var upsert = Machines.target(Flygate_Machines_V1_UpdateMetadataRequest.self, app, id)
        upsert.key = "role"
        upsert.body.value = "primary"
        _ = try await client.updateMetadata(upsert)
        var get = Machines.target(Flygate_Machines_V1_GetMetadataKeyRequest.self, app, id)
        get.key = "role"
        _ = try await client.getMetadataKey(get)
        var patch = Machines.target(Flygate_Machines_V1_PatchMetadataRequest.self, app, id)
        patch.body.metadata = ["zone": "b"]
        _ = try await client.patchMetadata(patch)
        _ = try await client.showMetadata(Machines.target(Flygate_Machines_V1_ShowMetadataRequest.self, app, id))
        var deleteKey = Machines.target(Flygate_Machines_V1_DeleteMetadataRequest.self, app, id)
        deleteKey.key = "zone"
        _ = try await client.deleteMetadata(deleteKey)
        _ = try await client.cordon(Machines.target(Flygate_Machines_V1_CordonRequest.self, app, id))
        _ = try await client.uncordon(Machines.target(Flygate_Machines_V1_UncordonRequest.self, app, id))

        var lease = Machines.target(Flygate_Machines_V1_CreateLeaseRequest.self, app, id)
        lease.body.ttl = 30
        let nonce = try await client.createLease(lease).body.nonce
        _ = try await client.showLease(Machines.target(Flygate_Machines_V1_ShowLeaseRequest.self, app, id))
        var stop = Machines.target(Flygate_Machines_V1_StopRequest.self, app, id)
        stop.leaseNonce = nonce
        stop.body.signal = "SIGTERM"
        stop.body.timeout = "5s"
        _ = try await client.stop(stop)
        _ = try await client.wait(Machines.wait(app, id, state: "stopped"))
        var start = Machines.target(Flygate_Machines_V1_StartRequest.self, app, id)
        start.leaseNonce = nonce
        _ = try await client.start(start)
        _ = try await client.wait(Machines.wait(app, id, state: "started"))
        var release = Machines.target(Flygate_Machines_V1_ReleaseLeaseRequest.self, app, id)
        release.leaseNonce = nonce
        _ = try await client.releaseLease(release)

        let shown = try await client.show(Machines.target(Flygate_Machines_V1_ShowRequest.self, app, id)).body
        var update = Machines.target(Flygate_Machines_V1_UpdateRequest.self, app, id)
        update.body.config = shown.config
        update.body.config.image = "nginx:1.28"
        _ = try await client.update(update)
        _ = try await client.wait(Machines.wait(app, id, state: "started"))
        _ = try await client.listVersions(Machines.target(Flygate_Machines_V1_ListVersionsRequest.self, app, id))
        _ = try await client.listEvents(Machines.target(Flygate_Machines_V1_ListEventsRequest.self, app, id))
        _ = try await client.restart(Machines.target(Flygate_Machines_V1_RestartRequest.self, app, id))
        _ = try await client.wait(Machines.wait(app, id, state: "started"))
        _ = try await client.suspend(Machines.target(Flygate_Machines_V1_SuspendRequest.self, app, id))
        _ = try await client.wait(Machines.wait(app, id, state: "suspended"))
        var delete = Machines.target(Flygate_Machines_V1_DeleteRequest.self, app, id)
        delete.force = true
        _ = try await client.delete(delete)
        return nonce
    }
}
