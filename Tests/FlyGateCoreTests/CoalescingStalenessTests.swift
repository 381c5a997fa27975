import FlyGateClient
import FlyGateCore
import FlyGateWire
import FlyMachinesProto
import Testing

/// `flygate-max-staleness-ms` through the whole daemon: the age on the wire, the bound, and
/// invalidation by a mutation.
@Suite struct CoalescingStalenessTests {
    static func stale(_ milliseconds: Int) -> MachinesCallOptions {
        MachinesCallOptions(timeout: .seconds(10), metadata: [(key: "flygate-max-staleness-ms", value: "\(milliseconds)")])
    }

    @Test(.timeLimit(.minutes(1)))
    func cachedAnswersAreServedOnlyWithinTheAllowedStaleness() async throws {
        try await withDaemonStack { stack in
            let machine = stack.seedMachine()
            let client = try await stack.connect()
            let fresh = try await client.callWithInfo(showRequest(machine), options: .init(timeout: .seconds(10)))
            #expect(fresh.info.cacheAge == nil)
            #expect(stack.simulator.requestCount(for: .show) == 1)

            let cached = try await client.callWithInfo(showRequest(machine), options: Self.stale(60_000))
            #expect(cached.response == fresh.response)
            let age = try #require(cached.info.cacheAge)
            #expect(age >= .milliseconds(50) && age < .seconds(10))  // counted from when the upstream call started
            #expect(stack.simulator.requestCount(for: .show) == 1)

            // Older than allowed: a fresh upstream call, reported as fresh.
            let strict = try await client.callWithInfo(showRequest(machine), options: Self.stale(1))
            #expect(strict.info.cacheAge == nil)
            #expect(stack.simulator.requestCount(for: .show) == 2)

            // Without the metadata the cache is never used.
            _ = try await client.show(showRequest(machine), options: .init(timeout: .seconds(10)))
            #expect(stack.simulator.requestCount(for: .show) == 3)

            let stats = try await client.stats().methods.first { $0.method == "flygate.machines.v1.Machines/Show" }
            #expect(stats?.cacheHits == 1)
            await client.close()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aStartThroughTheDaemonInvalidatesTheCachedShow() async throws {
        try await withDaemonStack { stack in
            let machine = stack.seedMachine(state: .stopped)
            let client = try await stack.connect()
            let before = try await client.show(showRequest(machine), options: .init(timeout: .seconds(10)))
            #expect(before.body.state == "stopped")
            _ = try await client.callWithInfo(showRequest(machine), options: Self.stale(60_000))
            #expect(stack.simulator.requestCount(for: .show) == 1)

            var start = Flygate_Machines_V1_StartRequest()
            start.appName = "demo"
            start.machineID = machine
            _ = try await client.start(start, options: .init(timeout: .seconds(10)))

            let after = try await client.callWithInfo(showRequest(machine), options: Self.stale(60_000))
            #expect(after.info.cacheAge == nil)
            #expect(after.response.body.state != "stopped")
            #expect(stack.simulator.requestCount(for: .show) == 2)
            await client.close()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func waitAnswersAreNeverCached() async throws {
        try await withDaemonStack { stack in
            let machine = stack.seedMachine()
            let client = try await stack.connect()
            var wait = Flygate_Machines_V1_WaitRequest()
            wait.appName = "demo"
            wait.machineID = machine
            wait.state = ["started"]
            wait.timeout = 5
            _ = try await client.wait(wait, options: Self.stale(60_000))
            let second = try await client.callWithInfo(wait, options: Self.stale(60_000))
            #expect(second.info.cacheAge == nil)
            #expect(stack.simulator.requestCount(for: .wait) == 2)
            #expect(stack.daemon.coalescing.coalescer.cacheUsage.entries == 0)
            await client.close()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func aMalformedStalenessIsRefused() async throws {
        try await withDaemonStack { stack in
            let machine = stack.seedMachine()
            let client = try await stack.connect()
            let options = MachinesCallOptions(timeout: .seconds(10), metadata: [(key: "flygate-max-staleness-ms", value: "soon")])
            let error = await #expect(throws: RPCError.self) { try await client.show(showRequest(machine), options: options) }
            #expect(error?.code == .invalidArgument)
            await client.close()
        }
    }
}
