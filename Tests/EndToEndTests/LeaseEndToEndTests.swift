import FlyGateClient
import FlyGateCore
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Leases through a real `flygate serve`: they follow their holder process, are renewed while it
/// idles, and never outlive it, nor a graceful stop, nor a SIGKILL of the daemon itself.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct LeaseEndToEndTests {
    static let app = "leases-e2e"
    static let noRateLimits = #"{"simulator": {"rate_limits": false}}"#

    static func lease(_ machine: String, ttl: Int64, description: String = "e2e") -> Flygate_Machines_V1_CreateLeaseRequest {
        var request = Machines.target(Flygate_Machines_V1_CreateLeaseRequest.self, app, machine)
        request.body.ttl = ttl
        request.body.description_p = description
        return request
    }

    /// The lease on `machine` as the daemon's ShowLease reports it; nil on NOT_FOUND.
    static func shownLease(_ client: RPCClient, _ machine: String) async throws -> Flygate_Machines_V1_Lease? {
        do {
            return try await client.showLease(Machines.target(Flygate_Machines_V1_ShowLeaseRequest.self, app, machine)).body
        } catch let error as RPCError where error.code == .notFound {
            return nil
        }
    }

    @Test("a holder process killed with SIGKILL loses its lease upstream within a second", .enabled(if: LeaseHolderProcess.available))
    func killedHolder() async throws {
        try await DaemonProcess.with(config: Self.noRateLimits) { daemon in
            try await daemon.withClient { client in
                let machine = try await client.create(Machines.create(Self.app, skipLaunch: true)).body.id

                try await LeaseHolderProcess.with(socket: daemon.socketPath, app: Self.app, machine: machine, ttl: 120, description: "holder") { holder in
                    #expect(try await Self.shownLease(client, machine) != nil)
                    let entry = try #require(try await client.listLeases().leases.first)
                    #expect(entry.holderPid == Int64(holder.processID) && entry.description_p == "holder")
                    // Someone else's mutation is refused locally while the holder lives.
                    let refused = await #expect(throws: RPCError.self) {
                        _ = try await client.start(Machines.target(Flygate_Machines_V1_StartRequest.self, Self.app, machine))
                    }
                    #expect(refused?.code == .failedPrecondition && refused?.message.contains("pid \(holder.processID)") == true)

                    await holder.kill()
                    #expect(try await eventually(within: .seconds(1)) { try await Self.shownLease(client, machine) == nil })
                    #expect(try await client.listLeases().leases.isEmpty)
                }
            }
        }
    }

    @Test("a renewing lease with a 3 s TTL outlives 10 s of its holder idling")
    func renewal() async throws {
        try await DaemonProcess.with(config: Self.noRateLimits) { daemon in
            try await daemon.withClient { owner in
                try await daemon.withClient { observer in
                    let machine = try await owner.create(Machines.create(Self.app, skipLaunch: true)).body.id
                    let taken = try await owner.createLease(
                        Self.lease(machine, ttl: 3), options: MachinesCallOptions(metadata: [("flygate-lease-renew", "true")])
                    ).body

                    try await Task.sleep(for: .seconds(10))
                    let shown = try #require(try await Self.shownLease(observer, machine), "the lease lapsed while its holder idled")
                    // The observer is not the holder: it sees the nonce by its prefix only.
                    #expect(shown.nonce == LeaseRecord.redacted(taken.nonce))
                    #expect(shown.expiresAt > taken.expiresAt + 5)
                    let entry = try #require(try await observer.listLeases().leases.first)
                    // The book may have renewed again since the Show (every second of a 3 s TTL): never older.
                    #expect(entry.renew && entry.lastRefreshError.isEmpty && entry.expiresAt >= shown.expiresAt)
                    // The nonce never reaches the daemon's log, though it ran at debug level.
                    #expect(!daemon.log.contains(taken.nonce))

                    // The holder leaving stops the renewal and releases the lease: released by the
                    // daemon ("lease released"), not lapsed (then the release would find it gone).
                    await owner.close()
                    #expect(try await eventually { try await Self.shownLease(observer, machine) == nil })
                    #expect(try await eventually { daemon.log.contains("lease released") })
                    #expect(!daemon.log.contains("lease already gone upstream"))
                }
            }
        }
    }

    @Test("SIGTERM releases every lease before the daemon exits")
    func gracefulShutdown() async throws {
        try await UpstreamSimulator.with { upstream in
            let machines = [try upstream.seedMachine(app: Self.app), try upstream.seedMachine(app: Self.app)]
            try await DaemonProcess.with(arguments: ["--upstream", upstream.baseURL, "--no-rate-limits"]) { daemon in
                try await daemon.withClient { client in
                    for machine in machines {
                        _ = try await client.createLease(Self.lease(machine, ttl: 120))
                        #expect(try await upstream.lease(app: Self.app, machine: machine) != nil)
                    }
                    daemon.signal(SIGTERM)
                    #expect(try await daemon.waitForExit() == 0)
                    for machine in machines {
                        #expect(try await upstream.lease(app: Self.app, machine: machine) == nil, "a lease outlived the daemon")
                    }
                }
            }
        }
    }

    @Test("a daemon killed with SIGKILL releases its leases when it starts again")
    func restartAfterKill() async throws {
        try await UpstreamSimulator.with { upstream in
            let machine = try upstream.seedMachine(app: Self.app)
            let arguments = ["--upstream", upstream.baseURL, "--no-rate-limits"]
            try await DaemonProcess.with(arguments: arguments) { first in
                try await first.withClient { client in
                    _ = try await client.createLease(Self.lease(machine, ttl: 120))
                    first.signal(SIGKILL)
                    _ = try await first.waitForExit()
                }
                #expect(try await upstream.lease(app: Self.app, machine: machine) != nil, "the lease was released before the restart")

                // The second daemon runs in the first one's folder, which the first one's scope removes last.
                try await DaemonProcess.with(arguments: arguments, directory: first.directory) { second in
                    #expect(try await eventually(within: .seconds(2)) { try await upstream.lease(app: Self.app, machine: machine) == nil })
                    try await second.withClient { observer async throws in
                        #expect(try await eventually(within: .seconds(1)) { try await observer.listLeases().leases.isEmpty })
                    }
                }
            }
        }
    }
}
