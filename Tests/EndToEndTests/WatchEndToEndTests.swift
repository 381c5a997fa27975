import FlyGateClient
import FlyGateCore
import FlyGateTestSupport
import FlyMachinesProto
import Testing

/// Watches against the real daemon process.
@Suite(.timeLimit(.minutes(3)))
struct WatchEndToEndTests {
    static let token = "fm2_e2eWatchTokenSECRET0123456789"

    @Test("1,000 watchers of 100 machines opened and closed, three times: nothing of them stays behind, and the daemon's heap returns to its baseline")
    func watchersFreeWhatTheyHeld() async throws {
        // Fly (here a simulator process) is upstream, as in production: the heap measured is the
        // daemon's own.
        try await DaemonProcess.withSimulator(token: Self.token, config: #"{"watch": {"max_per_uid": 2000}}"#) { daemon in
            try await daemon.withClient { caller in try await Self.openAndClose(daemon, caller) }
        }
    }

    /// A daemon in front of a simulator, a client of it, and a Show of a machine made in `app`.
    static func withShowOfAMachine(
        app: String, _ body: (DaemonProcess, RPCClient, Flygate_Machines_V1_ShowRequest) async throws -> Void
    ) async throws {
        try await DaemonProcess.withSimulator(token: Self.token) { daemon in
            try await daemon.withClient { client in
                let id = try await client.create(Machines.create(app)).body.id
                try await body(daemon, client, Machines.target(Flygate_Machines_V1_ShowRequest.self, app, id))
            }
        }
    }

    /// Three rounds of 1,000 watches opened and closed; checks the daemon's counts and heap.
    static func openAndClose(_ daemon: DaemonProcess, _ caller: RPCClient) async throws {
        var machines: [String] = []
        for _ in 0..<100 { machines.append(try await caller.create(Machines.create("watch-e2e")).body.id) }
        let ids = machines
        let baseline = try await caller.stats().heapBytesInUse
        var open: [Int64] = []
        var closed: [Int64] = []
        for round in 0..<3 {
            // 50 watches a connection: under the per-connection limit of calls in flight (64).
            var connections: [RPCClient] = []
            for _ in 0..<20 { connections.append(try await daemon.client()) }
            let all = connections
            let watchers = StreamCollector<Flygate_Watch_V1_MachineUpdate>(streams: 1000) { index, deliver in
                var request = Flygate_Watch_V1_WatchMachineRequest()
                (request.appName, request.machineID) = ("watch-e2e", ids[index % 100])
                let stream = all[index % 20].serverStream(
                    service: WatchService.serviceName, method: "WatchMachine", request: request,
                    as: Flygate_Watch_V1_MachineUpdate.self, timeout: .seconds(3600))
                do {
                    for try await update in stream { deliver(update) }
                } catch {}
            }
            let opened = try await eventually(within: .seconds(60)) { watchers.allSatisfy { !$0.isEmpty } }
            let stats = try await caller.stats()
            open.append(stats.heapBytesInUse)
            await watchers.cancel()
            for connection in connections { await connection.close() }
            #expect(opened, "round \(round): not every watcher got its first message")
            #expect(stats.watchesOpen == 1000 && stats.watchLoops == 100, "\(stats.watchesOpen) watches, \(stats.watchLoops) loops")
            #expect(try await eventually(within: .seconds(30)) {
                let after = try await caller.stats()
                return after.watchesOpen == 0 && after.watchLoops == 0 && after.callsInFlight <= 1
            })
            closed.append(try await caller.stats().heapBytesInUse)
        }
        let mib = { (bytes: Int64) in Double(bytes) / 1_048_576 }
        let report = "heap (MiB): baseline \(mib(baseline)), open \(open.map(mib)), closed \(closed.map(mib))"
        // What 1,000 open watches hold is visible (their streams, mailboxes, tasks), and closing
        // them gives it back: the heap returns to within the read cache's answers for the 100
        // machines of its baseline, and a third round adds nothing (the second still grows a few
        // tables to their working size). (A deadline timer left
        // armed per watch once kept about 1 KB each for the hour: a megabyte a round here.)
        #expect(open.allSatisfy { $0 > baseline + 4 << 20 }, "\(report)")
        #expect(closed[0] < baseline + 3 << 20, "\(report)")
        #expect(closed[2] < closed[1] + 256 << 10, "\(report)")
    }

    @Test("300 connections, each making a call and closing, leave nothing behind")
    func closedConnectionsKeepNothing() async throws {
        try await Self.withShowOfAMachine(app: "churn-e2e") { daemon, caller, show in
            func churn(_ count: Int) async throws {
                for _ in 0..<count {
                    let connection = try await daemon.client()
                    _ = try await connection.show(show, options: MachinesCallOptions(timeout: .seconds(30)))
                    await connection.close()
                }
                #expect(try await eventually(within: .seconds(30)) { try await caller.stats().connectionsOpen == 1 })
            }
            // Warm up: the first connections grow tables and pools that stay.
            try await churn(100)
            let before = try await caller.stats().heapBytesInUse
            try await churn(300)
            let after = try await caller.stats().heapBytesInUse
            // ~120 KB here. A connection's gate once kept its task's state, which kept
            // the gate: about 6 KB stayed per connection, 1.8 MB here.
            #expect(after - before < 512 << 10, "heap grew by \((after - before) >> 10) KiB over 300 closed connections")
        }
    }

    @Test("2,000 Show calls with an hour's deadline leave nothing behind once answered")
    func answeredCallsKeepNoDeadlineTimer() async throws {
        try await Self.withShowOfAMachine(app: "deadline-e2e") { daemon, client, show in
            let options = MachinesCallOptions(timeout: .seconds(3600))
            // Warm up: the first calls fill caches and pools that stay.
            for _ in 0..<200 { _ = try await client.show(show, options: options) }
            let before = try await client.stats().heapBytesInUse
            for _ in 0..<2000 { _ = try await client.show(show, options: options) }
            let after = try await client.stats().heapBytesInUse
            // Each call races its deadline twice (the dispatcher, the coalescing stage): a
            // timer kept armed until the deadline held about 600 bytes each, 2.4 MB here.
            #expect(after - before < 512 << 10, "heap grew by \((after - before) >> 10) KiB over 2,000 answered calls")
        }
    }
}
