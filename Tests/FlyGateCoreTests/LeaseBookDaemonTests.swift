import FlyGateClient
import FlyGateCore
import FlyGateJSON
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Foundation
import SwiftProtobuf
import Testing

/// The lease book in the daemon, in-process in front of the simulator: the guard, nonce
/// attachment, release when the holder leaves or the daemon stops, upstream 409s, ListLeases.
@Suite(.timeLimit(.minutes(1)))
struct LeaseBookDaemonTests {
    typealias Harness = LeaseDaemonHarness

    static func leaseRequest(_ machine: String, ttl: Int64 = 30, description: String = "deploy") -> Flygate_Machines_V1_CreateLeaseRequest {
        var request = Flygate_Machines_V1_CreateLeaseRequest()
        request.appName = Harness.app
        request.machineID = machine
        request.body.ttl = ttl
        request.body.description_p = description
        return request
    }

    static func target<Request: MachinesRPCRequest & AddressedRequest>(_ type: Request.Type, _ machine: String, nonce: String = "") -> Request {
        var request = Request()
        request.appName = Harness.app
        request.machineID = machine
        if !nonce.isEmpty { request.leaseNonceValue = nonce }
        return request
    }

    static func waitFor(_ client: RPCClient, _ machine: String, state: String) async throws {
        var wait = Flygate_Machines_V1_WaitRequest()
        wait.appName = Harness.app
        wait.machineID = machine
        wait.state = [state]
        wait.timeout = 10
        _ = try await client.wait(wait)
    }

    @Test("another local caller's stop is refused locally, naming the holder; with the nonce it passes; the holder's own passes without one")
    func guardAndAttach() async throws {
        try await Harness.with { harness in
            let machine = try harness.seedMachine()
            try await harness.withClient { owner in
                try await harness.withClient { other in
                    let lease = try await owner.createLease(Self.leaseRequest(machine)).body
                    #expect(!lease.nonce.isEmpty)
                    harness.simulator.resetCounters()

                    let refusal = await #expect(throws: RPCError.self) {
                        _ = try await other.stop(Self.target(Flygate_Machines_V1_StopRequest.self, machine))
                    }
                    #expect(refusal?.code == .failedPrecondition)
                    let message = refusal?.message ?? ""
                    #expect(message.contains("pid \(getpid())") && message.contains("uid \(getuid())") && message.contains("\"deploy\""))
                    #expect(!message.contains(lease.nonce))
                    #expect(harness.simulator.requestCount(for: .stop) == 0, "the refused stop reached the upstream")

                    _ = try await other.stop(Self.target(Flygate_Machines_V1_StopRequest.self, machine, nonce: lease.nonce))
                    #expect(harness.simulator.requestCount(for: .stop) == 1)
                    try await Self.waitFor(owner, machine, state: "stopped")

                    // The simulator refuses these without the nonce: they pass because the daemon attaches it.
                    _ = try await owner.start(Self.target(Flygate_Machines_V1_StartRequest.self, machine))
                    try await Self.waitFor(owner, machine, state: "started")
                    _ = try await owner.stop(Self.target(Flygate_Machines_V1_StopRequest.self, machine))
                    #expect(harness.simulator.requestCount(for: .stop) == 2)
                }
            }
        }
    }

    @Test("the holder's connection closing releases its lease upstream at once")
    func releaseOnClose() async throws {
        try await Harness.with { harness in
            let machine = try harness.seedMachine()
            try await harness.withClient { owner in
                _ = try await owner.createLease(Self.leaseRequest(machine))
                #expect(try await harness.upstreamLease(machine) != nil)
                await owner.close()
            }
            // Released because the holder left, not because the 30 s lease ran out; the bound is
            // only a hang guard (it was 1 s, which a busy machine can miss).
            #expect(try await eventually(within: .seconds(10)) { try await harness.upstreamLease(machine) == nil })
            #expect(try await eventually { harness.daemon.leaseBook.leases.isEmpty })
            // Released: anyone may act on the machine again.
            try await harness.withClient { other in
                _ = try await other.stop(Self.target(Flygate_Machines_V1_StopRequest.self, machine))
            }
        }
    }

    @Test("the daemon's own release after a holder leaves goes through the pipeline: audited as the daemon's, for the holder, and the cached ShowLease is dropped")
    func releaseOnCloseIsAuditedAndInvalidates() async throws {
        try await Harness.with(audit: true) { harness in
            let machine = try harness.seedMachine()
            var show = Flygate_Machines_V1_ShowLeaseRequest()
            show.appName = Harness.app
            show.machineID = machine
            let stale = MachinesCallOptions(timeout: .seconds(10), metadata: [(key: "flygate-max-staleness-ms", value: "600000")])
            try await harness.withClient { reader in
                try await harness.withClient { owner in
                    _ = try await owner.createLease(Self.leaseRequest(machine, description: "held"))
                    // Cache the lease, and see that the cache now answers.
                    _ = try await reader.callWithInfo(show, options: stale)
                    #expect(try await reader.callWithInfo(show, options: stale).info.cacheAge != nil)
                    await owner.close()
                }
                #expect(try await eventually(within: .seconds(10)) { try await harness.upstreamLease(machine) == nil })
                #expect(try await eventually { harness.daemon.leaseBook.leases.isEmpty })
                // The release invalidated the machine's cached reads: the lease is asked of Fly
                // again, which no longer has it.
                await #expect {
                    _ = try await reader.callWithInfo(show, options: stale)
                } throws: { error in
                    (error as? RPCError)?.code == .notFound
                }
            }
            let records = try fileRecords(try #require(harness.auditPath))
            let releases = records.filter { $0["method"]?.stringValue == "ReleaseLease" }
            let received = try #require(releases.first { $0["stage"]?.stringValue == "received" })
            let completed = try #require(releases.first { $0["stage"]?.stringValue == "completed" })
            for record in [received, completed] {
                #expect(record["peer"]?["daemon"]?.stringValue == "lease release")
                #expect(record["peer"]?["connection"]?.int64Value == 0)
                #expect(record["on_behalf_of"]?["uid"]?.int64Value == Int64(getuid()))
                #expect(record["machine"]?.stringValue == machine)
                #expect(record["lease_nonce_present"]?.boolValue == true)
            }
            #expect(completed["outcome"]?["code"]?.stringValue == "OK")
            // The holder's own calls name its connection, not the daemon.
            let take = try #require(records.first { $0["method"]?.stringValue == "CreateLease" && $0["stage"]?.stringValue == "completed" })
            #expect(take["peer"]?["daemon"] == nil)
            #expect(take["on_behalf_of"] == nil)
        }
    }

    @Test("a mutation whose caller stopped waiting runs to its end: audited with its real outcome, and the lease it took is booked and released")
    func mutationOutlivesItsCaller() async throws {
        try await Harness.with(audit: true) { harness in
            let machine = try harness.seedMachine()
            harness.simulator.faults.heldOperations = [.createLease]
            try await harness.withClient { owner in
                // The caller leaves once its CreateLease has reached Fly (the simulator holds the
                // answer back until then): its connection closes under the call.
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        let error = await #expect(throws: RPCError.self) {
                            _ = try await owner.createLease(Self.leaseRequest(machine), options: MachinesCallOptions(timeout: .seconds(30)))
                        }
                        #expect(error?.code == .unavailable || error?.code == .cancelled, "\(String(describing: error))")
                    }
                    #expect(try await eventually(within: .seconds(10)) { harness.simulator.requestCount(for: .createLease) >= 1 })
                    await owner.close()
                    harness.simulator.faults.heldOperations = []
                    try await group.waitForAll()
                }
            }
            let path = try #require(harness.auditPath)
            func completed(_ method: String) throws -> [JSONValue] {
                try fileRecords(path).filter { $0["method"]?.stringValue == method && $0["stage"]?.stringValue == "completed" }
            }
            // Fly took the lease after the caller gave up: the record says so, not CANCELLED.
            #expect(try await eventually(within: .seconds(15)) { try !completed("CreateLease").isEmpty })
            #expect(try completed("CreateLease").first?["outcome"]?["code"]?.stringValue == "OK")
            // Its holder being gone, the daemon released it.
            #expect(try await eventually(within: .seconds(15)) { try completed("ReleaseLease").first?["peer"]?["daemon"]?.stringValue == "lease release" })
            #expect(try await eventually(within: .seconds(10)) { try await harness.upstreamLease(machine) == nil })
            #expect(harness.daemon.leaseBook.leases.isEmpty)
        }
    }

    @Test("ReleaseLease through the daemon takes the lease out of the book; the holder's release needs no nonce")
    func releaseThroughDaemon() async throws {
        try await Harness.with { harness in
            let machine = try harness.seedMachine()
            try await harness.withClient { owner in
                _ = try await owner.createLease(Self.leaseRequest(machine))
                #expect(harness.daemon.leaseBook.leases.count == 1)
                _ = try await owner.releaseLease(Self.target(Flygate_Machines_V1_ReleaseLeaseRequest.self, machine))
                #expect(harness.daemon.leaseBook.leases.isEmpty)
                #expect(try await harness.upstreamLease(machine) == nil)
            }
        }
    }

    @Test("ListLeases shows the holder, the expiry and a nonce prefix, never the nonce")
    func listLeases() async throws {
        try await Harness.with { harness in
            let machine = try harness.seedMachine()
            try await harness.withClient { owner in
                let before = Int64(Date().timeIntervalSince1970)
                let lease = try await owner.createLease(Self.leaseRequest(machine, ttl: 60), options: MachinesCallOptions(metadata: [(LeaseStage.renewMetadataKey, "true")])).body
                let entries = try await owner.listLeases().leases
                #expect(entries.count == 1)
                let entry = try #require(entries.first)
                #expect(entry.appName == Harness.app && entry.machineID == machine)
                #expect(entry.holderPid == Int64(getpid()) && entry.holderUid == Int64(getuid()))
                #expect(entry.expiresAt == lease.expiresAt && entry.expiresAt >= before + 59)
                #expect(entry.ttlSeconds == 60 && entry.description_p == "deploy" && entry.renew)
                #expect(!entry.noncePrefix.isEmpty && lease.nonce.hasPrefix(entry.noncePrefix) && entry.noncePrefix != lease.nonce)
                #expect(!(try entry.jsonString()).contains(lease.nonce))
            }
        }
    }

    @Test("an upstream 409 (a lease taken elsewhere) becomes FAILED_PRECONDITION with Fly's message")
    func upstreamConflict() async throws {
        try await Harness.with { harness in
            let machine = try harness.seedMachine()
            _ = try await harness.upstream.createLease(Self.leaseRequest(machine))
            try await harness.withClient { client in
                let stop = await #expect(throws: RPCError.self) {
                    _ = try await client.stop(Self.target(Flygate_Machines_V1_StopRequest.self, machine))
                }
                #expect(stop?.code == .failedPrecondition)
                #expect(stop?.message.contains("lease currently held by") == true)
                #expect(UpstreamStatusDetails.read(stop?.details ?? []).httpStatus == 409)
                let take = await #expect(throws: RPCError.self) { _ = try await client.createLease(Self.leaseRequest(machine)) }
                #expect(take?.code == .failedPrecondition && take?.message.contains("lease currently held by") == true)
                #expect(harness.daemon.leaseBook.leases.isEmpty)
            }
        }
    }

    @Test("a lease taken by Update with lease_ttl is booked and guarded like any other")
    func leaseAtUpdate() async throws {
        try await Harness.with { harness in
            let machine = try harness.seedMachine()
            try await harness.withClient { owner in
                try await harness.withClient { other in
                    let shown = try await owner.show(Self.target(Flygate_Machines_V1_ShowRequest.self, machine)).body
                    var update = Self.target(Flygate_Machines_V1_UpdateRequest.self, machine)
                    update.body.config = shown.config
                    update.body.leaseTtl = 30
                    let updated = try await owner.update(update).body
                    #expect(!updated.nonce.isEmpty)
                    #expect(harness.daemon.leaseBook.leases.map(\.machine) == [machine])
                    await #expect(throws: RPCError.self) { _ = try await other.stop(Self.target(Flygate_Machines_V1_StopRequest.self, machine)) }
                    await owner.close()
                    #expect(try await eventually { try await harness.upstreamLease(machine) == nil })
                }
            }
        }
    }

    @Test("a graceful shutdown releases every lease before the daemon stops")
    func shutdownReleases() async throws {
        try await Harness.with { harness in
            let first = try harness.seedMachine()
            let second = try harness.seedMachine()
            try await harness.withClient { owner in
                _ = try await owner.createLease(Self.leaseRequest(first))
                _ = try await owner.createLease(Self.leaseRequest(second), options: MachinesCallOptions(metadata: [(LeaseStage.renewMetadataKey, "true")]))
                await harness.shutDownDaemon()
                #expect(try await eventually { try await harness.upstreamLease(first) == nil })
                #expect(try await eventually { try await harness.upstreamLease(second) == nil })
                #expect(try await eventually { harness.daemon.leaseBook.leases.isEmpty })
                let file = LeaseBookFile(directory: harness.stateDirectory)
                #expect(try await eventually { try file.read().isEmpty })
            }
        }
    }
}

/// Requests addressed by app and machine.
protocol AddressedRequest {
    var appName: String { get set }
    var machineID: String { get set }
}

extension Flygate_Machines_V1_StopRequest: AddressedRequest {}
extension Flygate_Machines_V1_StartRequest: AddressedRequest {}
extension Flygate_Machines_V1_ShowRequest: AddressedRequest {}
extension Flygate_Machines_V1_UpdateRequest: AddressedRequest {}
extension Flygate_Machines_V1_ReleaseLeaseRequest: AddressedRequest {}
