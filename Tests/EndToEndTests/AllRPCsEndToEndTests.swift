import FlyGateClient
import FlyGateCore
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import Foundation
import Testing

/// `flygate serve` as a real process with its built-in simulator, driven through the socket.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct AllRPCsEndToEndTests {
    @Test("every one of the 29 rpcs answers through the daemon")
    func everyRPC() async throws {
        try await DaemonProcess.with(config: #"{"simulator": {"rate_limits": false}}"#) { daemon in
            try await daemon.withClient { client in
                let app = "e2e"
                var called: Set<MachinesRPC> = []
                func note(_ rpc: MachinesRPC) { called.insert(rpc) }

                // Create, wait until started, show, list.
                let created = try await client.create(Machines.create(app, name: "web-1")).body
                note(.create)
                let id = created.id
                #expect(id.count == 14 && created.name == "web-1")
                let started = try await client.wait(Machines.wait(app, id, state: "started")).body
                note(.wait)
                #expect(started.ok && started.state == "started")
                let shown = try await client.show(Machines.target(Flygate_Machines_V1_ShowRequest.self, app, id)).body
                note(.show)
                #expect(shown.state == "started" && shown.config.image == "nginx:1.27")
                var list = Flygate_Machines_V1_ListRequest()
                list.appName = app
                #expect(try await client.list(list).body.map(\.id) == [id])
                note(.list)
                var org = Flygate_Machines_V1_ListOrgMachinesRequest()
                org.orgSlug = "personal"
                #expect(try await client.listOrgMachines(org).body.machines.contains { $0.id == id && $0.appName == app })
                note(.listOrgMachines)

                // Exec, ps, signal, memory.
                var exec = Machines.target(Flygate_Machines_V1_ExecRequest.self, app, id)
                exec.body.command = ["cat"]
                exec.body.stdin = "hello through the socket\n"
                let output = try await client.exec(exec).body
                note(.exec)
                #expect(output.stdout == "hello through the socket\n" && output.exitCode == 0)
                exec.body = Flygate_Machines_V1_MachineExecRequest()
                exec.body.command = ["sh", "-c", "exit 3"]
                #expect(try await client.exec(exec).body.exitCode == 3)
                #expect(try await client.listProcesses(Machines.target(Flygate_Machines_V1_ListProcessesRequest.self, app, id)).body.count >= 1)
                note(.listProcesses)
                var signal = Machines.target(Flygate_Machines_V1_SignalRequest.self, app, id)
                signal.body.signal = "SIGUSR1"
                _ = try await client.signal(signal)
                note(.signal)
                #expect(try await client.getMemory(Machines.target(Flygate_Machines_V1_GetMemoryRequest.self, app, id)).body.limitMb == 256)
                note(.getMemory)
                var setMemory = Machines.target(Flygate_Machines_V1_SetMemoryLimitRequest.self, app, id)
                setMemory.body.limitMb = 128
                #expect(try await client.setMemoryLimit(setMemory).body.limitMb == 128)
                note(.setMemoryLimit)
                var reclaim = Machines.target(Flygate_Machines_V1_ReclaimMemoryRequest.self, app, id)
                reclaim.body.amountMb = 16
                #expect(try await client.reclaimMemory(reclaim).body.hasActualMb)
                note(.reclaimMemory)

                // Metadata: upsert, get, show, bulk patch, delete.
                var upsert = Machines.target(Flygate_Machines_V1_UpdateMetadataRequest.self, app, id)
                upsert.key = "role"
                upsert.body.value = "primary"
                _ = try await client.updateMetadata(upsert)
                note(.updateMetadata)
                var get = Machines.target(Flygate_Machines_V1_GetMetadataKeyRequest.self, app, id)
                get.key = "role"
                #expect(try await client.getMetadataKey(get).body.value == "primary")
                note(.getMetadataKey)
                var patch = Machines.target(Flygate_Machines_V1_PatchMetadataRequest.self, app, id)
                patch.body.metadata = ["zone": "b"]
                _ = try await client.patchMetadata(patch)
                note(.patchMetadata)
                let metadata = try await client.showMetadata(Machines.target(Flygate_Machines_V1_ShowMetadataRequest.self, app, id)).body
                note(.showMetadata)
                #expect(metadata["role"] == "primary" && metadata["zone"] == "b")
                var deleteKey = Machines.target(Flygate_Machines_V1_DeleteMetadataRequest.self, app, id)
                deleteKey.key = "zone"
                _ = try await client.deleteMetadata(deleteKey)
                note(.deleteMetadata)
                await #expect(throws: RPCError.self) { _ = try await client.getMetadataKey({ var g = get; g.key = "zone"; return g }()) }

                // Cordon and uncordon.
                _ = try await client.cordon(Machines.target(Flygate_Machines_V1_CordonRequest.self, app, id))
                note(.cordon)
                _ = try await client.uncordon(Machines.target(Flygate_Machines_V1_UncordonRequest.self, app, id))
                note(.uncordon)

                // Leases: take one, see it, the simulator refuses a stop without the nonce, release it.
                var lease = Machines.target(Flygate_Machines_V1_CreateLeaseRequest.self, app, id)
                lease.body.ttl = 30
                lease.body.description_p = "e2e"
                let taken = try await client.createLease(lease).body
                note(.createLease)
                #expect(!taken.nonce.isEmpty && taken.expiresAt > Int64(Date().timeIntervalSince1970))
                #expect(try await client.showLease(Machines.target(Flygate_Machines_V1_ShowLeaseRequest.self, app, id)).body.nonce == taken.nonce)
                note(.showLease)
                var release = Machines.target(Flygate_Machines_V1_ReleaseLeaseRequest.self, app, id)
                release.leaseNonce = taken.nonce
                _ = try await client.releaseLease(release)
                note(.releaseLease)

                // Update makes a new version; events and versions show it.
                var update = Machines.target(Flygate_Machines_V1_UpdateRequest.self, app, id)
                update.body.config = shown.config
                update.body.config.image = "nginx:1.28"
                let updated = try await client.update(update).body
                note(.update)
                #expect(updated.config.image == "nginx:1.28" && updated.instanceID != shown.instanceID)
                _ = try await client.wait(Machines.wait(app, id, state: "started"))
                #expect(try await client.listVersions(Machines.target(Flygate_Machines_V1_ListVersionsRequest.self, app, id)).body.count == 2)
                note(.listVersions)
                var events = Machines.target(Flygate_Machines_V1_ListEventsRequest.self, app, id)
                events.limit = 50
                #expect(try await client.listEvents(events).body.contains { $0.type == "update" || $0.type == "launch" })
                note(.listEvents)

                // Stop, start, restart, suspend; then delete.
                var stop = Machines.target(Flygate_Machines_V1_StopRequest.self, app, id)
                stop.body.signal = "SIGTERM"
                stop.body.timeout = "5s"
                _ = try await client.stop(stop)
                note(.stop)
                _ = try await client.wait(Machines.wait(app, id, state: "stopped"))
                let start = try await client.start(Machines.target(Flygate_Machines_V1_StartRequest.self, app, id)).body
                note(.start)
                #expect(start.previousState == "stopped")
                _ = try await client.wait(Machines.wait(app, id, state: "started"))
                _ = try await client.restart(Machines.target(Flygate_Machines_V1_RestartRequest.self, app, id))
                note(.restart)
                _ = try await client.wait(Machines.wait(app, id, state: "started"))
                _ = try await client.suspend(Machines.target(Flygate_Machines_V1_SuspendRequest.self, app, id))
                note(.suspend)
                _ = try await client.wait(Machines.wait(app, id, state: "suspended"))
                var delete = Machines.target(Flygate_Machines_V1_DeleteRequest.self, app, id)
                delete.force = true
                _ = try await client.delete(delete)
                note(.delete)
                _ = try await client.wait(Machines.wait(app, id, state: "destroyed"))

                #expect(called == Set(MachinesRPC.rpcs(of: MachinesRPC.machinesServiceName)))

                // The daemon counted every call.
                let stats = try await client.stats()
                let methods = Set(stats.methods.filter { ($0.callsByCode["OK"] ?? 0) > 0 }.map(\.method))
                #expect(methods.isSuperset(of: MachinesRPC.rpcs(of: MachinesRPC.machinesServiceName).map { "flygate.machines.v1.Machines/\($0.rawValue)" }))
            }
        }
    }

    @Test("errors from the simulator arrive as statuses with Fly's text, HTTP status and request id")
    func errorsMapToStatuses() async throws {
        try await DaemonProcess.with(config: #"{"simulator": {"rate_limits": false}}"#) { daemon in
            try await daemon.withClient { client in
                let missing = await #expect(throws: RPCError.self) {
                    _ = try await client.show(Machines.target(Flygate_Machines_V1_ShowRequest.self, "e2e", "0123456789abcd"))
                }
                #expect(missing?.code == .notFound)
                let details = UpstreamStatusDetails.read(missing?.details ?? [])
                #expect(details.httpStatus == 404 && details.flyRequestID?.isEmpty == false)

                let id = try await client.create(Machines.create("e2e")).body.id
                _ = try await client.wait(Machines.wait("e2e", id, state: "started"))
                var lease = Machines.target(Flygate_Machines_V1_CreateLeaseRequest.self, "e2e", id)
                lease.body.ttl = 30
                _ = try await client.createLease(lease)
                var stop = Machines.target(Flygate_Machines_V1_StopRequest.self, "e2e", id)
                stop.leaseNonce = "not-the-nonce"
                let held = await #expect(throws: RPCError.self) { _ = try await client.stop(stop) }
                #expect(held?.code == .failedPrecondition)
                #expect(held?.message.contains("lease currently held") == true, "\(held?.message ?? "")")

                let hostile = await #expect(throws: RPCError.self) {
                    _ = try await client.show(Machines.target(Flygate_Machines_V1_ShowRequest.self, "e2e", "../../orgs/x"))
                }
                #expect(hostile?.code == .invalidArgument && hostile?.message.contains("machine_id") == true)
            }
        }
    }
}
