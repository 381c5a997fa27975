import FlyGateClient
import FlyGateCore
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import FlyMachinesSimulator
import Synchronization
import Testing

/// Coalescing through the whole daemon: real socket, real upstream client, the simulator.
@Suite struct CoalescingStackTests {
    static let show = "flygate.machines.v1.Machines/Show"

    /// Runs `calls` concurrent Shows (`machine(i)` picks each one's machine) spread over
    /// `connections` connections; returns how many succeeded.
    static func concurrentShows(
        _ stack: DaemonStack, calls: Int, connections: Int = 4, machine: @escaping @Sendable (Int) -> String
    ) async throws -> Int {
        var clients: [RPCClient] = []
        for _ in 0..<connections { clients.append(try await stack.connect()) }
        let all = clients
        let succeeded = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<calls {
                group.addTask {
                    let response = try? await all[index % all.count].show(showRequest(machine(index)), options: .init(timeout: .seconds(20)))
                    return response?.hasBody == true
                }
            }
            return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
        for client in all { await client.close() }
        return succeeded
    }

    @Test(.timeLimit(.minutes(1)))
    func identicalShowsShareOneUpstreamCall() async throws {
        try await withDaemonStack { stack in
            let machine = stack.seedMachine()
            let succeeded = try await Self.concurrentShows(stack, calls: 200) { _ in machine }
            #expect(succeeded == 200)
            #expect((1...2).contains(stack.simulator.requestCount(for: .show)))

            let client = try await stack.connect()
            let stats = try await client.stats().methods.first { $0.method == Self.show }
            await client.close()
            #expect(stats?.upstreamCalls == Int64(stack.simulator.requestCount(for: .show)))
            #expect((198...199).contains(stats?.joinedCalls ?? 0))
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func showsOfDifferentMachinesEachGoUpstream() async throws {
        try await withDaemonStack { stack in
            let machines = (0..<200).map { _ in stack.seedMachine() }
            let succeeded = try await Self.concurrentShows(stack, calls: 200) { machines[$0] }
            #expect(succeeded == 200)
            #expect(stack.simulator.requestCount(for: .show) == 200)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func noCoalesceMetadataBypassesSharing() async throws {
        try await withDaemonStack { stack in
            let machine = stack.seedMachine()
            let client = try await stack.connect()
            let options = MachinesCallOptions(timeout: .seconds(20), metadata: [(key: "flygate-no-coalesce", value: "true")])
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<10 { group.addTask { _ = try await client.show(showRequest(machine), options: options) } }
                try await group.waitForAll()
            }
            await client.close()
            #expect(stack.simulator.requestCount(for: .show) == 10)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func disabledCoalescingSendsEveryCallUpstream() async throws {
        try await withDaemonStack(configure: { $0.coalescingEnabled = false }) { stack in
            let machine = stack.seedMachine()
            let succeeded = try await Self.concurrentShows(stack, calls: 20) { _ in machine }
            #expect(succeeded == 20)
            #expect(stack.simulator.requestCount(for: .show) == 20)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func leaderLeavingDoesNotFailTheOthers() async throws {
        try await withDaemonStack { stack in
            // Everything below happens while the shared call is held upstream, however slow the machine.
            stack.simulator.faults.heldOperations = [.show]
            let machine = stack.seedMachine()
            let coalescer = stack.daemon.coalescing.coalescer
            // The leader's connection closes while the shared call is in flight: its call is
            // cancelled in the daemon.
            let leader = try await stack.connect()
            let leaderCall = Task { try await leader.show(showRequest(machine), options: .init(timeout: .seconds(20))) }
            try #require(try await eventually(within: .seconds(20)) { stack.simulator.requestCount(for: .show) == 1 })

            let others = try await stack.connect()
            let joiners = Task {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<5 {
                        group.addTask { try await others.show(showRequest(machine), options: .init(timeout: .seconds(20))).hasBody }
                    }
                    return try await group.reduce(true) { $0 && $1 }
                }
            }
            try #require(try await eventually(within: .seconds(20)) { coalescer.waiterCount == 6 })
            // One more joiner gives up early (its deadline); the rest must not notice.
            let early = await #expect(throws: RPCError.self) {
                try await others.show(showRequest(machine), options: .init(timeout: .milliseconds(100)))
            }
            #expect(early?.code == .deadlineExceeded)
            // The client gives up on its own clock and tells the daemon nothing; wait until the
            // daemon has answered the early call too, or (on a loaded machine) it may read it
            // only after the shared call ended and start a second one upstream.
            try #require(
                try await eventually(within: .seconds(20)) {
                    let show = try await others.stats().methods.first { $0.method == "flygate.machines.v1.Machines/Show" }
                    return show?.callsByCode["DEADLINE_EXCEEDED"] == 1
                })
            await leader.close()
            await #expect(throws: RPCError.self) { try await leaderCall.value }
            try #require(try await eventually(within: .seconds(20)) { coalescer.waiterCount == 5 })
            #expect(coalescer.flightCount == 1)

            stack.simulator.faults.heldOperations = []
            #expect(try await joiners.value)
            await others.close()
            #expect(stack.simulator.requestCount(for: .show) == 1)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func joinersDoNotInheritATransientFailure() async throws {
        // One attempt upstream, so the 503 reaches the coalescer instead of the client's retry.
        try await withDaemonStack(upstreamAttempts: 1) { stack in
            let machine = stack.seedMachine()
            let coalescer = stack.daemon.coalescing.coalescer
            // The joiners arrive while the leader's call is held upstream (a loaded CI run, with
            // the suite in parallel, once took over a second to bring ten calls in).
            stack.simulator.faults.heldOperations = [.show]
            stack.simulator.faults.errorRate = 1
            stack.simulator.faults.errorStatus = 503
            stack.simulator.faults.onlyOperations = [.show]
            let client = try await stack.connect()
            let leaderCall = Task { try await client.show(showRequest(machine), options: .init(timeout: .seconds(20))) }
            try #require(try await eventually(within: .seconds(20)) { stack.simulator.requestCount(for: .show) == 1 })
            // The first request has its 503 decided; later ones succeed.
            stack.simulator.faults.errorRate = 0

            let joiners = Task {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<10 {
                        group.addTask { try await client.show(showRequest(machine), options: .init(timeout: .seconds(20))).hasBody }
                    }
                    return try await group.reduce(true) { $0 && $1 }
                }
            }
            try #require(try await eventually(within: .seconds(20)) { coalescer.waiterCount == 11 })
            stack.simulator.faults.heldOperations = []
            let leaderError = await #expect(throws: RPCError.self) { try await leaderCall.value }
            #expect(leaderError?.code == .unavailable)
            #expect(try await joiners.value)
            await client.close()
            #expect(stack.simulator.requestCount(for: .show) == 2)
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func hangingLeaderDoesNotHoldAJoinerPastItsDeadline() async throws {
        try await withDaemonStack { stack in
            let machine = stack.seedMachine()
            let coalescer = stack.daemon.coalescing.coalescer
            stack.simulator.faults.hangingOperations = [.show]
            let leader = try await stack.connect()
            let client = try await stack.connect()
            // The leader's call hangs upstream (its deadline is far off): while it is still in
            // flight, the joiner's answer cannot have waited for it.
            let leaderDone = Mutex(false)
            let leaderCall = Task {
                defer { leaderDone.withLock { $0 = true } }
                return try await leader.show(showRequest(machine), options: .init(timeout: .seconds(120)))
            }
            try #require(try await eventually(within: .seconds(20)) { stack.simulator.requestCount(for: .show) == 1 })

            let error = await #expect(throws: RPCError.self) {
                try await client.show(showRequest(machine), options: .init(timeout: .milliseconds(200)))
            }
            #expect(error?.code == .deadlineExceeded)
            #expect(!leaderDone.withLock { $0 }, "the joiner's answer waited for the leader's call")
            // The joiner's call ends in the daemon too; the leader still waits.
            #expect(try await eventually(within: .seconds(20)) { coalescer.waiterCount == 1 }, "the joiner stayed in the flight")
            #expect(!leaderDone.withLock { $0 } && coalescer.flightCount == 1)

            // The leader leaves (its connection closes): the last waiter gone, the shared call is cancelled.
            await leader.close()
            await #expect(throws: RPCError.self) { try await leaderCall.value }
            try #require(try await eventually(within: .seconds(20)) { coalescer.flightCount == 0 && coalescer.waiterCount == 0 })
            await client.close()
        }
    }

    @Test(.timeLimit(.minutes(1)))
    func identicalWaitsShareOneUpstreamWait() async throws {
        try await withDaemonStack { stack in
            let machine = stack.seedMachine(state: .stopped)
            let coalescer = stack.daemon.coalescing.coalescer
            var wait = Flygate_Machines_V1_WaitRequest()
            wait.appName = "demo"
            wait.machineID = machine
            wait.state = ["started"]
            wait.timeout = 10
            let request = wait
            let client = try await stack.connect()
            let waits = Task {
                try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<20 {
                        group.addTask { try await client.wait(request, options: .init(timeout: .seconds(20))).body.ok }
                    }
                    return try await group.reduce(true) { $0 && $1 }
                }
            }
            try #require(try await eventually(within: .seconds(20)) { coalescer.waiterCount == 20 })
            var start = Flygate_Machines_V1_StartRequest()
            start.appName = "demo"
            start.machineID = machine
            _ = try await client.start(start, options: .init(timeout: .seconds(10)))
            #expect(try await waits.value)
            #expect(stack.simulator.requestCount(for: .wait) == 1)
            await client.close()
        }
    }
}
