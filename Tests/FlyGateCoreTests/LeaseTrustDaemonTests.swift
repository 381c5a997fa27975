import FlyGateClient
import FlyGateCore
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Foundation
import Testing

/// The lease book's trust rules in the daemon, two connections in front of the simulator: a
/// nonce reaches only its holder (also from the read cache), and every mutation of a booked
/// machine is guarded, Exec, metadata and memory writes included.
@Suite(.timeLimit(.minutes(1)))
struct LeaseTrustDaemonTests {
    typealias Harness = LeaseDaemonHarness

    static let stale = [(key: CoalescingStage.maxStalenessKey, value: "600000")]

    static func showLease(_ machine: String) -> Flygate_Machines_V1_ShowLeaseRequest {
        var request = Flygate_Machines_V1_ShowLeaseRequest()
        request.appName = Harness.app
        request.machineID = machine
        return request
    }

    static func nonceOptions(_ nonce: String) -> MachinesCallOptions {
        MachinesCallOptions(timeout: .seconds(10), metadata: [(key: LeaseStage.nonceMetadataKey, value: nonce)])
    }

    static func exec(_ machine: String) -> Flygate_Machines_V1_ExecRequest {
        var request = Flygate_Machines_V1_ExecRequest()
        request.appName = Harness.app
        request.machineID = machine
        request.body.command = ["echo", "hi"]
        return request
    }

    static func setMetadata(_ machine: String) -> Flygate_Machines_V1_UpdateMetadataRequest {
        var request = Flygate_Machines_V1_UpdateMetadataRequest()
        request.appName = Harness.app
        request.machineID = machine
        request.key = "role"
        request.body.value = "primary"
        return request
    }

    static func setMemory(_ machine: String) -> Flygate_Machines_V1_SetMemoryLimitRequest {
        var request = Flygate_Machines_V1_SetMemoryLimitRequest()
        request.appName = Harness.app
        request.machineID = machine
        request.body.limitMb = 256
        return request
    }

    @Test("the holder sees its lease's nonce whole, another connection only its prefix, also from the read cache")
    func nonceOnlyForItsHolder() async throws {
        try await Harness.with { harness in
            let machine = try harness.seedMachine()
            try await harness.withClient { owner in
                try await harness.withClient { other in
                    let taken = try await owner.createLease(LeaseBookDaemonTests.leaseRequest(machine)).body
                    #expect(taken.nonce.count > 4)
                    let prefix = LeaseRecord.redacted(taken.nonce)
                    #expect(prefix == String(taken.nonce.prefix(4)) + "…")

                    #expect(try await owner.showLease(Self.showLease(machine)).body.nonce == taken.nonce)
                    let shown = try await other.showLease(Self.showLease(machine)).body
                    #expect(shown.nonce == prefix)
                    #expect(shown.description_p == "deploy" && shown.expiresAt == taken.expiresAt)

                    // One upstream answer in the cache, two callers: each sees its own view.
                    let options = MachinesCallOptions(timeout: .seconds(10), metadata: Self.stale)
                    _ = try await other.callWithInfo(Self.showLease(machine), options: options)
                    harness.simulator.resetCounters()
                    let cachedForOther = try await other.callWithInfo(Self.showLease(machine), options: options)
                    let cachedForOwner = try await owner.callWithInfo(Self.showLease(machine), options: options)
                    #expect(cachedForOther.info.cacheAge != nil && cachedForOwner.info.cacheAge != nil)
                    #expect(harness.simulator.requestCount(for: .showLease) == 0, "the cache did not answer")
                    #expect(cachedForOther.response.body.nonce == prefix)
                    #expect(cachedForOwner.response.body.nonce == taken.nonce)
                }
            }
        }
    }

    @Test("a lease taken outside flygate shows its nonce by prefix to every local caller")
    func foreignLeaseIsRedacted() async throws {
        try await Harness.with { harness in
            let machine = try harness.seedMachine()
            let foreign = try await harness.upstream.createLease(LeaseBookDaemonTests.leaseRequest(machine)).body
            try await harness.withClient { client in
                let shown = try await client.showLease(Self.showLease(machine)).body
                #expect(shown.nonce == LeaseRecord.redacted(foreign.nonce))
            }
        }
    }

    @Test("Create with lease_ttl answers the nonce whole to its caller, who holds the lease")
    func createWithLease() async throws {
        try await Harness.with { harness in
            try await harness.withClient { owner in
                try await harness.withClient { other in
                    var create = Flygate_Machines_V1_CreateRequest()
                    create.appName = Harness.app
                    create.body.config.image = "nginx:1.27"
                    create.body.leaseTtl = 30
                    let created = try await owner.create(create).body
                    let booked = try #require(harness.daemon.leaseBook.lease(LeaseKey(app: Harness.app, machine: created.id)))
                    #expect(!created.nonce.isEmpty && created.nonce == booked.nonce)
                    let refused = await #expect(throws: RPCError.self) { _ = try await other.exec(Self.exec(created.id)) }
                    #expect(refused?.code == .failedPrecondition)
                }
            }
        }
    }

    @Test("another connection's Exec, UpdateMetadata and SetMemoryLimit are refused locally while a lease is held; with the nonce as metadata they pass")
    func everyMutationIsGuarded() async throws {
        try await Harness.with(audit: true) { harness in
            let machine = try harness.seedMachine()
            let nonce = try await harness.withClient { owner in
                try await harness.withClient { other in
                    let lease = try await owner.createLease(LeaseBookDaemonTests.leaseRequest(machine)).body
                    harness.simulator.resetCounters()

                    let refusals: [(SimulatorOperation, RPCError?)] = [
                        (.exec, await #expect(throws: RPCError.self) { _ = try await other.exec(Self.exec(machine)) }),
                        (.upsertMetadata, await #expect(throws: RPCError.self) { _ = try await other.updateMetadata(Self.setMetadata(machine)) }),
                        (.setMemoryLimit, await #expect(throws: RPCError.self) { _ = try await other.setMemoryLimit(Self.setMemory(machine)) }),
                    ]
                    for (operation, refusal) in refusals {
                        #expect(refusal?.code == .failedPrecondition, "\(operation)")
                        #expect(refusal?.message.contains("pid \(getpid())") == true && refusal?.message.contains("\"deploy\"") == true)
                        #expect(refusal?.message.contains(lease.nonce) == false)
                        #expect(harness.simulator.requestCount(for: operation) == 0, "the refused \(operation) reached the upstream")
                    }
                    // A wrong nonce is no nonce.
                    await #expect(throws: RPCError.self) { _ = try await other.exec(Self.exec(machine), options: Self.nonceOptions("nope")) }

                    let options = Self.nonceOptions(lease.nonce)
                    #expect(try await other.exec(Self.exec(machine), options: options).body.stdout == "hi\n")
                    _ = try await other.updateMetadata(Self.setMetadata(machine), options: options)
                    #expect(try await other.setMemoryLimit(Self.setMemory(machine), options: options).body.limitMb == 256)
                    // The holder's own need nothing.
                    _ = try await owner.exec(Self.exec(machine))
                    #expect(harness.simulator.requestCount(for: .exec) == 2)

                    // lease_nonce and the metadata naming different nonces is a mistake, not a choice.
                    let stop = LeaseBookDaemonTests.target(Flygate_Machines_V1_StopRequest.self, machine, nonce: lease.nonce)
                    let mixed = await #expect(throws: RPCError.self) { _ = try await other.stop(stop, options: Self.nonceOptions("other")) }
                    #expect(mixed?.code == .invalidArgument)
                    return lease.nonce
                }
            }
            // The metadata nonce is on record by its presence only.
            let path = try #require(harness.auditPath)
            let text = try String(contentsOfFile: path, encoding: .utf8)
            let records = try fileRecords(path)
            let passed = records.filter { $0["method"]?.stringValue == "Exec" && $0["stage"]?.stringValue == "completed" && $0["outcome"]?["code"]?.stringValue == "OK" }
            #expect(passed.count == 2)
            #expect(passed.contains { $0["lease_nonce_present"]?.boolValue == true })
            #expect(!text.contains(nonce), "a lease nonce reached the audit log")
        }
    }
}
