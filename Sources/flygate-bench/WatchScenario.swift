import FlyGateClient
import FlyGateCore
import FlyGateHarness
import FlyGateJSON
import FlyMachinesProto
import Foundation
import Synchronization

/// `watch`: machine watches through a real daemon and simulator process.
///
/// 1. The upstream reads a machine's watch loop makes while the machine is stopped, started
///    and restarted `cycles` times through the daemon, with 1 watcher and then with 100: one
///    loop serves every watcher, so the two should cost the same, give or take the timing of
///    the follow-up reads.
/// 2. The daemon's resident size as 1,000 watchers (10 for each of 100 machines) open and
///    close, twice: what the watches hold, and whether closing them gives it back.
enum WatchScenario {
    /// The reads a watch loop makes, as the daemon's Stats count them upstream.
    static let loopMethods: Set<String> = ["Show", "ListEvents", "Wait", "List"].reduce(into: []) {
        $0.insert("\(MachinesRPC.machinesServiceName)/\($1)")
    }

    static func measure(cycles: Int, openClose: Int) async throws -> [BenchRow] {
        let directory = try BenchProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        // One uid opens every watch here: lift the per-uid cap above the memory round's count.
        let config = directory + "/config.json"
        try #"{"watch": {"max_per_uid": \#(openClose * 2)}}"#.write(toFile: config, atomically: true, encoding: .utf8)
        return try await BenchStack.with(daemonArguments: ["--config", config]) { stack in
            var rows: [BenchRow] = []
            var reads: [Int: Int] = [:]
            for watchers in [1, 100] {
                let (row, count) = try await loopCost(stack, watchers: watchers, cycles: cycles)
                rows.append(row)
                reads[watchers] = count
            }
            if let one = reads[1], let hundred = reads[100], one > 0 {
                rows.append(
                    BenchRow(
                        scenario: "watch", variant: "upstream reads, 100 watchers over 1",
                        figures: [("ratio", .double((Double(hundred) / Double(one) * 100).rounded() / 100))]))
            }
            rows.append(try await memory(stack, watchers: openClose))
            return rows
        }
    }

    /// Loop reads for `watchers` watchers of a new machine through `cycles` stop, start and restart.
    static func loopCost(_ stack: BenchStack, watchers count: Int, cycles: Int) async throws -> (BenchRow, Int) {
        try await withConnections(stack, count: 1 + max(1, count / 25)) { connections in
            let caller = connections[0]
            let id = try await createMachine(caller, app: "watch-bench")
            let watchers = WatcherSet(connections: Array(connections.dropFirst()), count: count, app: "watch-bench", machine: id)
            return try await withResource({ watchers }, release: { await $0.close() }) { watchers in
                try await loopCost(caller, watchers, machine: id, cycles: cycles)
            }
        }
    }

    private static func loopCost(_ caller: RPCClient, _ watchers: WatcherSet, machine id: String, cycles: Int) async throws -> (BenchRow, Int) {
        let count = watchers.eventCounts.count
        guard try await eventually(within: .seconds(60), { watchers.allSatisfy { $0.state == "started" } }) else {
            throw BenchFailure("the watchers never got their first message")
        }
        let before = try await loopReads(caller)
        let clock = ContinuousClock()
        let started = clock.now
        var target = Flygate_Machines_V1_StopRequest()
        (target.appName, target.machineID) = ("watch-bench", id)
        for _ in 0..<cycles {
            _ = try await caller.stop(target)
            try await watchers.settle { $0.state == "stopped" }
            _ = try await caller.start(Flygate_Machines_V1_StartRequest.with { ($0.appName, $0.machineID) = ("watch-bench", id) })
            try await watchers.settle { $0.state == "started" }
            let seen = watchers.eventCounts
            _ = try await caller.restart(Flygate_Machines_V1_RestartRequest.with { ($0.appName, $0.machineID) = ("watch-bench", id) })
            // A restart ends where it began: its two events (restart, start) are the sign.
            try await watchers.settle(since: seen) { $0.newEvents >= 2 && $0.lastEventType == "start" && $0.state == "started" }
        }
        let elapsed = clock.now - started
        let reads = try await loopReads(caller) - before
        let events = watchers.eventCounts.min() ?? 0
        let row = BenchRow(
            scenario: "watch",
            variant: "\(count) watcher\(count == 1 ? "" : "s") of a machine, \(cycles) × stop, start, restart through the daemon",
            figures: [
                ("watchers", .int(count)),
                ("events_each_watcher_got", .int(events)),
                ("loop_upstream_reads", .int(reads)),
                ("reads_per_event", .double(events > 0 ? (Double(reads) / Double(events) * 100).rounded() / 100 : 0)),
                ("seconds", .double((BenchReport.seconds(elapsed) * 10).rounded() / 10)),
            ])
        return (row, reads)
    }

    /// The daemon's resident size and heap in use idle, with `count` watchers open, and after
    /// they close; three rounds.
    static func memory(_ stack: BenchStack, watchers count: Int) async throws -> BenchRow {
        try await withConnections(stack, count: 1) { try await memory(stack, $0[0], watchers: count) }
    }

    private static func memory(_ stack: BenchStack, _ caller: RPCClient, watchers count: Int) async throws -> BenchRow {
        var machines: [String] = []
        for _ in 0..<(count / 10) { machines.append(try await createMachine(caller, app: "watch-memory")) }
        try await Task.sleep(for: .milliseconds(500))
        let baseline = (rss: stack.daemon.residentBytes, heap: Int(try await caller.stats().heapBytesInUse))
        var open: [(rss: Int, heap: Int)] = []
        var closed: [(rss: Int, heap: Int)] = []
        for _ in 0..<3 {
            // 50 watches a connection, under the per-connection limit of calls in flight (64).
            try await withConnections(stack, count: count / 50) { connections in
                let sets = machines.enumerated().map { index, machine in
                    WatcherSet(connections: [connections[index % connections.count]], count: 10, app: "watch-memory", machine: machine)
                }
                let opened = try await eventually(within: .seconds(120)) { sets.allSatisfy { $0.allSatisfy { !$0.state.isEmpty } } }
                open.append((stack.daemon.residentBytes, Int(try await caller.stats().heapBytesInUse)))
                for set in sets { await set.close() }
                guard opened else { throw BenchFailure("\(count) watchers did not all get their first message") }
            }
            guard try await eventually(within: .seconds(30), { try await caller.stats().watchesOpen == 0 }) else {
                throw BenchFailure("watches were still open after their connections closed")
            }
            try await Task.sleep(for: .milliseconds(500))
            closed.append((stack.daemon.residentBytes, Int(try await caller.stats().heapBytesInUse)))
        }
        func mib(_ bytes: Int) -> JSONValue { .double((Double(bytes) / 1_048_576 * 10).rounded() / 10) }
        return BenchRow(
            scenario: "watch",
            variant: "daemon memory (MiB), \(count) watchers of \(machines.count) machines opened and closed, three rounds",
            figures: [
                ("heap_baseline", mib(baseline.heap)),
                ("heap_open", mib(open[0].heap)),
                ("heap_closed", .array(closed.map { mib($0.heap) })),
                ("heap_closed_above_baseline", mib(closed[2].heap - baseline.heap)),
                ("resident_baseline", mib(baseline.rss)),
                ("resident_open", mib(open[0].rss)),
                ("resident_closed", .array(closed.map { mib($0.rss) })),
            ])
    }

    private static func createMachine(_ caller: RPCClient, app: String) async throws -> String {
        var create = Flygate_Machines_V1_CreateRequest()
        create.appName = app
        create.body.config.image = "nginx:1.27"
        return try await caller.create(create).body.id
    }

    /// `count` connections to the daemon for `body`, closed on every path.
    private static func withConnections<T>(_ stack: BenchStack, count: Int, _ body: ([RPCClient]) async throws -> T) async throws -> T {
        try await withResource(
            {
                var connections: [RPCClient] = []
                for _ in 0..<count { connections.append(try await RPCClient.connect(path: stack.socketPath)) }
                return connections
            }, release: { for connection in $0 { await connection.close() } }, body)
    }

    private static func loopReads(_ caller: RPCClient) async throws -> Int {
        try await caller.stats().methods.filter { loopMethods.contains($0.method) }.reduce(0) { $0 + Int($1.upstreamCalls) }
    }
}

/// `count` watchers of one machine over `connections`, each keeping what it has seen.
final class WatcherSet: Sendable {
    struct Seen: Sendable {
        var state = ""
        var events = 0
        var lastEventType = ""
        /// Events since ``WatcherSet/settle(since:_:)``'s mark.
        var newEvents = 0
    }

    private let seen: Mutex<[Seen]>
    private let readers = Mutex<[Task<Void, Never>]>([])

    init(connections: [RPCClient], count: Int, app: String, machine: String) {
        seen = Mutex([Seen](repeating: Seen(), count: count))
        var request = Flygate_Watch_V1_WatchMachineRequest()
        (request.appName, request.machineID) = (app, machine)
        let tasks = (0..<count).map { [request] index in
            let connection = connections[index % connections.count]
            return Task { [self] in
                let stream = connection.serverStream(
                    service: WatchService.serviceName, method: "WatchMachine", request: request,
                    as: Flygate_Watch_V1_MachineUpdate.self, timeout: .seconds(3600))
                do {
                    for try await update in stream {
                        self.seen.withLock {
                            $0[index].state = update.machine.state
                            $0[index].events += update.events.count
                            $0[index].newEvents += update.events.count
                            if let last = update.events.last { $0[index].lastEventType = last.type }
                        }
                    }
                } catch {}
            }
        }
        readers.withLock { $0 = tasks }
    }

    var eventCounts: [Int] { seen.withLock { $0.map(\.events) } }

    func allSatisfy(_ condition: (Seen) -> Bool) -> Bool { seen.withLock { $0.allSatisfy(condition) } }

    /// Waits (at most 60 s) until every watcher satisfies `condition`; with `since` (event
    /// counts from ``eventCounts``), ``Seen/newEvents`` counts from there.
    func settle(since marks: [Int]? = nil, _ condition: @escaping (Seen) -> Bool) async throws {
        if let marks {
            seen.withLock { all in for index in all.indices { all[index].newEvents = all[index].events - marks[index] } }
        }
        guard try await eventually(within: .seconds(60), { allSatisfy(condition) }) else {
            throw BenchFailure("the watchers did not all see the machine settle")
        }
    }

    /// Ends every watch and waits for its reader.
    func close() async {
        let tasks = readers.withLock { $0 }
        for reader in tasks { reader.cancel() }
        for reader in tasks { await reader.value }
    }
}
