import FlyGateTestSupport
import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Synchronization
import Testing

@Suite("Every rpc through the typed methods, against the simulator")
struct FlyMachinesClientRPCTests {
    @Test("all 29 rpcs reach their operation and come back with real answers", .timeLimit(.minutes(1)))
    func everyRPC() async throws {
        try await ClientHarness.with { harness in
            let client = harness.client
            let app = "rpc-tour"

            var create = Flygate_Machines_V1_CreateRequest()
            create.appName = app
            create.body.name = "tour-1"
            create.body.config.image = "registry.fly.io/tour:1"
            create.body.config.guest.cpus = 1
            create.body.config.guest.memoryMb = 512
            let created = try await client.create(create).body
            #expect(created.name == "tour-1")
            #expect(created.id.count == 14)
            let id = created.id
            try await Self.waitFor("started", app, id, client)

            var show = Flygate_Machines_V1_ShowRequest()
            (show.appName, show.machineID) = (app, id)
            let shown = try await client.show(show).body
            #expect(shown.state == "started")
            #expect(shown.config.image == "registry.fly.io/tour:1")

            var list = Flygate_Machines_V1_ListRequest()
            list.appName = app
            #expect(try await client.list(list).body.map(\.id) == [id])

            var org = Flygate_Machines_V1_ListOrgMachinesRequest()
            org.orgSlug = "personal"
            #expect(try await client.listOrgMachines(org).body.machines.contains { $0.id == id })

            var events = Flygate_Machines_V1_ListEventsRequest()
            (events.appName, events.machineID, events.limit) = (app, id, 5)
            #expect(try await client.listEvents(events).body.contains { $0.type == "launch" })

            var versions = Flygate_Machines_V1_ListVersionsRequest()
            (versions.appName, versions.machineID) = (app, id)
            #expect(try await client.listVersions(versions).body.first?.version == created.instanceID)

            var processes = Flygate_Machines_V1_ListProcessesRequest()
            (processes.appName, processes.machineID, processes.sortBy, processes.order) = (app, id, "pid", "asc")
            #expect(try await client.listProcesses(processes).body.first?.pid == 1)

            var exec = Flygate_Machines_V1_ExecRequest()
            (exec.appName, exec.machineID) = (app, id)
            exec.body.command = ["echo", "hello", "tour"]
            let executed = try await client.exec(exec).body
            #expect(executed.stdout == "hello tour\n")
            #expect(executed.exitCode == 0)

            var memory = Flygate_Machines_V1_GetMemoryRequest()
            (memory.appName, memory.machineID) = (app, id)
            #expect(try await client.getMemory(memory).body.limitMb == 512)
            var setMemory = Flygate_Machines_V1_SetMemoryLimitRequest()
            (setMemory.appName, setMemory.machineID, setMemory.body.limitMb) = (app, id, 256)
            #expect(try await client.setMemoryLimit(setMemory).body.limitMb == 256)
            var reclaim = Flygate_Machines_V1_ReclaimMemoryRequest()
            (reclaim.appName, reclaim.machineID, reclaim.body.amountMb) = (app, id, 16)
            #expect(try await client.reclaimMemory(reclaim).hasBody)

            var upsert = Flygate_Machines_V1_UpdateMetadataRequest()
            (upsert.appName, upsert.machineID, upsert.key, upsert.body.value) = (app, id, "role", "db")
            _ = try await client.updateMetadata(upsert)
            var getKey = Flygate_Machines_V1_GetMetadataKeyRequest()
            (getKey.appName, getKey.machineID, getKey.key) = (app, id, "role")
            #expect(try await client.getMetadataKey(getKey).body.value == "db")
            var patch = Flygate_Machines_V1_PatchMetadataRequest()
            (patch.appName, patch.machineID) = (app, id)
            patch.body.metadata = ["tier": "gold"]
            _ = try await client.patchMetadata(patch)
            var showMetadata = Flygate_Machines_V1_ShowMetadataRequest()
            (showMetadata.appName, showMetadata.machineID) = (app, id)
            #expect(try await client.showMetadata(showMetadata).body == ["role": "db", "tier": "gold"])
            var deleteKey = Flygate_Machines_V1_DeleteMetadataRequest()
            (deleteKey.appName, deleteKey.machineID, deleteKey.key) = (app, id, "role")
            _ = try await client.deleteMetadata(deleteKey)
            let gone = await #expect(throws: FlyAPIError.self) { try await client.getMetadataKey(getKey) }
            #expect(gone?.code == .notFound)

            var signal = Flygate_Machines_V1_SignalRequest()
            (signal.appName, signal.machineID, signal.body.signal) = (app, id, "SIGUSR1")
            #expect(try await client.signal(signal).body.ok)
            var cordon = Flygate_Machines_V1_CordonRequest()
            (cordon.appName, cordon.machineID) = (app, id)
            #expect(try await client.cordon(cordon).body.ok)
            var uncordon = Flygate_Machines_V1_UncordonRequest()
            (uncordon.appName, uncordon.machineID) = (app, id)
            #expect(try await client.uncordon(uncordon).body.ok)

            var acquire = Flygate_Machines_V1_CreateLeaseRequest()
            (acquire.appName, acquire.machineID) = (app, id)
            (acquire.body.ttl, acquire.body.description_p) = (60, "tour")
            let nonce = try await client.createLease(acquire).body.nonce
            #expect(nonce.count >= 8)
            var showLease = Flygate_Machines_V1_ShowLeaseRequest()
            (showLease.appName, showLease.machineID) = (app, id)
            #expect(try await client.showLease(showLease).body.description_p == "tour")

            var restart = Flygate_Machines_V1_RestartRequest()
            (restart.appName, restart.machineID, restart.leaseNonce) = (app, id, nonce)
            #expect(try await client.restart(restart).body.ok)
            try await Self.waitFor("started", app, id, client)

            var update = Flygate_Machines_V1_UpdateRequest()
            (update.appName, update.machineID, update.leaseNonce) = (app, id, nonce)
            update.body.config = shown.config
            update.body.config.image = "registry.fly.io/tour:2"
            let updated = try await client.update(update).body
            #expect(updated.config.image == "registry.fly.io/tour:2")
            #expect(updated.instanceID != created.instanceID)
            try await Self.waitFor("started", app, id, client)

            var suspend = Flygate_Machines_V1_SuspendRequest()
            (suspend.appName, suspend.machineID, suspend.leaseNonce) = (app, id, nonce)
            #expect(try await client.suspend(suspend).body.ok)
            try await Self.waitFor("suspended", app, id, client)
            var start = Flygate_Machines_V1_StartRequest()
            (start.appName, start.machineID, start.leaseNonce) = (app, id, nonce)
            #expect(try await client.start(start).body.previousState == "suspended")
            try await Self.waitFor("started", app, id, client)

            var stop = Flygate_Machines_V1_StopRequest()
            (stop.appName, stop.machineID, stop.leaseNonce) = (app, id, nonce)
            (stop.body.signal, stop.body.timeout) = ("SIGTERM", "5s")
            #expect(try await client.stop(stop).body.ok)
            try await Self.waitFor("stopped", app, id, client)

            var release = Flygate_Machines_V1_ReleaseLeaseRequest()
            (release.appName, release.machineID, release.leaseNonce) = (app, id, nonce)
            #expect(try await client.releaseLease(release).body.ok)
            var delete = Flygate_Machines_V1_DeleteRequest()
            (delete.appName, delete.machineID, delete.force) = (app, id, true)
            #expect(try await client.delete(delete).body.ok)
            try await Self.waitFor("destroyed", app, id, client)

            let reached = Set(harness.simulator.requestCounts.filter { $0.value > 0 }.keys)
            let machineOperations = Set(SimulatorOperation.allCases.filter { $0.rawValue.hasPrefix("Machines_") })
            #expect(machineOperations.count == 29)
            #expect(reached == machineOperations, "operations never reached: \(machineOperations.subtracting(reached))")
            #expect(MachinesRPC.rpcs(of: MachinesRPC.machinesServiceName).count == 29)
        }
    }

    @Test("perform returns the HTTP status, fly-request-id and attempts", .timeLimit(.minutes(1)))
    func callInfo() async throws {
        try await ClientHarness.with { harness in
            let id = try harness.seed(app: "info")
            var show = Flygate_Machines_V1_ShowRequest()
            (show.appName, show.machineID) = ("info", id)
            let (response, info) = try await harness.client.perform(show, deadline: .now + .seconds(10))
            #expect(response.body.id == id)
            #expect(info.httpStatus == 200)
            #expect(info.attempts == 1)
            #expect(info.flyRequestID?.hasSuffix("-iad") == true)
        }
    }

    @Test("long polls have a pool of their own: Waits holding every short-call connection do not hold up a Show", .timeLimit(.minutes(1)))
    func longPollsDoNotStarveShortCalls() async throws {
        try await ClientHarness.with(client: { $0.maxConnectionsPerHost = 2; $0.maxLongCallConnectionsPerHost = 4 }) { harness in
            let id = try harness.seed(app: "lanes")
            let client = harness.client
            // Four Waits for a state the machine never reaches, each holding an HTTP/1.1 connection for 30 s.
            let finishedWaits = FinishedCount()
            let waits = Task {
                await withTaskGroup(of: Void.self) { group in
                    for _ in 0..<4 {
                        group.addTask {
                            var wait = Flygate_Machines_V1_WaitRequest()
                            (wait.appName, wait.machineID, wait.state, wait.timeout) = ("lanes", id, ["destroyed"], 30)
                            _ = try? await client.wait(wait)
                            finishedWaits.count.withLock { $0 += 1 }
                        }
                    }
                }
            }
            let allPolling = try await eventually { harness.simulator.requestCount(for: .wait) >= 4 }
            #expect(allPolling && harness.simulator.requestCount(for: .wait) == 4, "the long polls did not all get a connection")
            var show = Flygate_Machines_V1_ShowRequest()
            (show.appName, show.machineID) = ("lanes", id)
            // The Shows are answered while every Wait still holds its connection. (Their deadline is
            // only a hang guard, well short of the Waits' 30 s.)
            for _ in 0..<4 {
                let (response, _) = try await client.perform(show, deadline: .now + .seconds(10))
                #expect(response.body.id == id)
            }
            #expect(finishedWaits.count.withLock { $0 } == 0, "a Show waited for a long poll to end")
            waits.cancel()
            await waits.value
        }
    }

    static func waitFor(_ state: String, _ app: String, _ id: String, _ client: FlyMachinesClient) async throws {
        var wait = Flygate_Machines_V1_WaitRequest()
        (wait.appName, wait.machineID, wait.state, wait.timeout) = (app, id, [state], 10)
        let answer = try await client.wait(wait).body
        #expect(answer.ok)
        #expect(answer.state == state)
    }
}

/// How many of a test's tasks have finished, shared with them.
private final class FinishedCount: Sendable {
    let count = Mutex(0)
}
