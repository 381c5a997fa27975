import FlyGateCore
import FlyGateHarness
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Logging
import Synchronization
import Testing

/// The watch hub against the in-process simulator, through the real upstream client.
@Suite(.timeLimit(.minutes(2)))
struct WatchHubTests {
    /// A simulator, a client of it and a hub reading through that client.
    struct Harness: Sendable {
        let simulator: FlyMachinesSimulator
        let client: FlyMachinesClient
        let hub: WatchHub

        static func with(
            pollInterval: Duration = .seconds(5), maxWatchesPerUID: Int = 256, _ body: (Harness) async throws -> Void
        ) async throws {
            let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
            var simulatorConfiguration = FlyMachinesSimulator.Configuration.defaults
            simulatorConfiguration.rateLimits = false
            simulatorConfiguration.transitionDelay = .milliseconds(15)
            let simulator = FlyMachinesSimulator(configuration: simulatorConfiguration, logger: logger)
            try await simulator.withRunning { simulator in
                var configuration = FlyMachinesClient.Configuration.defaults
                configuration.baseURL = try #require(simulator.baseURL)
                configuration.rateLimits.enabled = false
                configuration.maxConnectionsPerHost = 64
                let client = try FlyMachinesClient(
                    configuration: configuration, credentials: try FlyCredentials(token: "test-token"), logger: logger)
                var hubConfiguration = WatchHub.Configuration.defaults
                hubConfiguration.pollInterval = pollInterval
                hubConfiguration.maxWatchesPerUID = maxWatchesPerUID
                let hub = WatchHub(configuration: hubConfiguration, upstream: client, logger: logger)
                defer { hub.shutDown() }
                do {
                    try await body(Harness(simulator: simulator, client: client, hub: hub))
                } catch {
                    try? await client.shutdown()
                    throw error
                }
                try await client.shutdown()
            }
        }

        func seed(_ app: String = "watched", state: MachineState = .started) -> String {
            simulator.seedMachine(app: app, state: state)["id"]?.stringValue ?? ""
        }

        /// The machine's events, oldest first (Fly lists the newest first).
        func events(_ app: String, _ id: String) async throws -> [Flygate_Machines_V1_MachineEvent] {
            let listed = try await client.listEvents(.with { ($0.appName, $0.machineID, $0.limit) = (app, id, 50) }).body
            #expect(listed.count < 50, "more events than one list holds: the test would compare a part")
            return listed.reversed()
        }

        /// Waits (bounded by Fly's wait) for `state`.
        func wait(_ app: String, _ id: String, _ state: String) async throws {
            _ = try await client.wait(.with { ($0.appName, $0.machineID, $0.state, $0.timeout) = (app, id, [state], 30) })
        }

        /// The upstream reads the loops made so far.
        var loopReads: Int {
            let counts = simulator.requestCounts
            return [.show, .listEvents, .wait, .list].reduce(0) { $0 + counts[$1, default: 0] }
        }
    }

    /// Reads `subscription` until `done` says so (or the watch ends); returns every message.
    static func read(
        _ subscription: WatchSubscription<PendingMachineUpdate>, until done: @escaping ([Flygate_Watch_V1_MachineUpdate]) -> Bool
    ) async -> [Flygate_Watch_V1_MachineUpdate] {
        var messages: [Flygate_Watch_V1_MachineUpdate] = []
        while !done(messages), let message = await subscription.next() { messages.append(message) }
        return messages
    }

    /// Readers of `subscriptions`, each collecting its messages until its watch ends.
    static func collect(_ subscriptions: [WatchSubscription<PendingMachineUpdate>]) -> WatchCollector {
        WatchCollector(watchers: subscriptions.count) { index, deliver in
            while let message = await subscriptions[index].next() { deliver(message) }
        }
    }

    /// Stops and starts the machine `cycles` times through the client, ringing the hub as the
    /// daemon does after a mutation, each time until the state is reached.
    static func cycle(_ h: Harness, _ app: String, _ id: String, times cycles: Int) async throws {
        for _ in 0..<cycles {
            _ = try await h.client.stop(.with { ($0.appName, $0.machineID) = (app, id) })
            h.hub.nudge(app: app, machine: id)
            try await h.wait(app, id, "stopped")
            _ = try await h.client.start(.with { ($0.appName, $0.machineID) = (app, id) })
            h.hub.nudge(app: app, machine: id)
            try await h.wait(app, id, "started")
        }
    }

    @Test("100 watchers of a machine stopped and started ten times each get every event once, in order, from one loop")
    func hundredWatchersShareOneLoop() async throws {
        try await Harness.with { h in
            let id = h.seed()
            let baseline = try #require(try await h.events("watched", id).last?.id)
            let watchers = try (0..<100).map { _ in try h.hub.watchMachine(app: "watched", machine: id, fromEventID: baseline, uid: 1000) }
            #expect(h.hub.counts == (watches: 100, loops: 1))
            let collector = Self.collect(watchers)
            try await Self.cycle(h, "watched", id, times: 10)
            let all = try await h.events("watched", id)
            let expected = Array(all.drop { $0.id != baseline }.dropFirst()).map(\.id)
            #expect(expected.count >= 20, "ten stops and ten starts leave at least twenty events")
            #expect(try await collector.waitFor(events: expected.count, state: "started"))
            for ids in collector.eventIDs {
                #expect(ids == expected, "a watcher's events differ from the machine's: \(ids.count) of \(expected.count)")
            }
            #expect(h.hub.counts.loops == 1)
            for watcher in watchers { watcher.cancel() }
            await collector.finish()
            #expect(h.hub.counts == (watches: 0, loops: 0))
        }
    }

    @Test("a hundred watchers cost no more upstream reads than one, beyond noise")
    func upstreamCostDoesNotGrowWithWatchers() async throws {
        func reads(watchers count: Int) async throws -> Int {
            var total = 0
            try await Harness.with { h in
                let id = h.seed()
                let watchers = try (0..<count).map { _ in try h.hub.watchMachine(app: "watched", machine: id, fromEventID: nil, uid: 1) }
                let collector = Self.collect(watchers)
                let before = h.loopReads
                try await Self.cycle(h, "watched", id, times: 3)
                // The test's own waits are two reads a cycle; the rest are the loop's.
                total = h.loopReads - before - 6
                for watcher in watchers { watcher.cancel() }
                await collector.finish()
            }
            return total
        }
        let one = try await reads(watchers: 1)
        let hundred = try await reads(watchers: 100)
        #expect(one > 0)
        // The loop's reads depend on the transitions and the follow-up timer, not the watchers:
        // a hundred watchers may see a few reads more or fewer, never a hundredfold.
        #expect(hundred <= one * 2 + 10, "1 watcher: \(one) reads, 100 watchers: \(hundred)")
    }

    @Test("a change made behind the daemon's back (no nudge) reaches the watcher through the loop's own long poll")
    func changeBehindTheBack() async throws {
        try await Harness.with(pollInterval: .seconds(2)) { h in
            let id = h.seed()
            let watcher = try h.hub.watchMachine(app: "watched", machine: id, fromEventID: nil, uid: 1)
            let first = await watcher.next()
            #expect(first?.machine.state == "started")
            _ = try await h.client.stop(.with { ($0.appName, $0.machineID) = ("watched", id) })
            let seen = await Self.read(watcher) { messages in messages.last?.machine.state == "stopped" }
            #expect(seen.last?.machine.state == "stopped")
            #expect(seen.flatMap(\.events).contains { $0.type == "exit" || $0.status == "stopped" })
            watcher.cancel()
        }
    }

    @Test("a watcher that does not read gets the latest state with every event folded in, and a coalesced count")
    func slowWatcherGetsTheLatest() async throws {
        try await Harness.with { h in
            let id = h.seed()
            let baseline = try #require(try await h.events("watched", id).last?.id)
            let slow = try h.hub.watchMachine(app: "watched", machine: id, fromEventID: baseline, uid: 1)
            let fast = try h.hub.watchMachine(app: "watched", machine: id, fromEventID: baseline, uid: 1)
            let collector = Self.collect([fast])
            try await Self.cycle(h, "watched", id, times: 3)
            let all = try await h.events("watched", id)
            let expected = Array(all.drop { $0.id != baseline }.dropFirst()).map(\.id)
            #expect(try await collector.waitFor(events: expected.count, state: "started"))
            let folded = try #require(await slow.next())
            #expect(folded.coalesced > 0)
            #expect(folded.machine.state == "started")
            #expect(folded.events.map(\.id) == expected, "the slow watcher's one message holds every event")
            #expect(collector.eventIDs == [expected])
            slow.cancel()
            fast.cancel()
            await collector.finish()
        }
    }

    @Test("a machine destroyed ends its watchers' streams with a last message marked gone; the loop stops")
    func goneEndsTheStream() async throws {
        try await Harness.with { h in
            let id = h.seed()
            let watcher = try h.hub.watchMachine(app: "watched", machine: id, fromEventID: nil, uid: 1)
            _ = await watcher.next()
            _ = try await h.client.delete(.with { ($0.appName, $0.machineID, $0.force) = ("watched", id, true) })
            h.hub.nudge(app: "watched", machine: id)
            let rest = await Self.read(watcher) { _ in false }
            #expect(rest.last?.gone == true)
            #expect(rest.dropLast().allSatisfy { !$0.gone })
            watcher.cancel()
            #expect(h.hub.counts == (watches: 0, loops: 0))
        }
    }

    @Test("1,000 watchers opened and closed leave no watch and no loop behind; a uid's cap refuses the one over it")
    func watchersComeAndGo() async throws {
        try await Harness.with(maxWatchesPerUID: 1_000) { h in
            let ids = (0..<5).map { _ in h.seed() }
            var open: [WatchSubscription<PendingMachineUpdate>] = []
            for index in 0..<1_000 {
                open.append(try h.hub.watchMachine(app: "watched", machine: ids[index % 5], fromEventID: nil, uid: 7))
            }
            #expect(h.hub.counts == (watches: 1_000, loops: 5))
            let refused = #expect(throws: RPCError.self) {
                try h.hub.watchMachine(app: "watched", machine: ids[0], fromEventID: nil, uid: 7)
            }
            #expect(refused?.code == .resourceExhausted)
            // Another uid is not held back by the first one's watches.
            try h.hub.watchMachine(app: "watched", machine: ids[0], fromEventID: nil, uid: 8).cancel()
            for subscription in open { _ = await subscription.next() }
            open.removeAll()  // letting go of a subscription leaves the watch
            #expect(h.hub.counts == (watches: 0, loops: 0))
        }
    }

    @Test("an app watch reports every machine, then what is added, changed and removed")
    func appWatch() async throws {
        try await Harness.with { h in
            let first = h.seed("fleet")
            let watcher = try h.hub.watchApp(app: "fleet", region: "", state: "", uid: 1)
            let initial = try #require(await watcher.next())
            #expect(initial.change == "added" && initial.machine.id == first)
            let created = try await h.client.create(.with { $0.appName = "fleet"; $0.body.config.image = "nginx" }).body
            h.hub.nudge(app: "fleet", machine: nil)
            var seen: [(String, String)] = []
            while let update = await watcher.next() {
                seen.append((update.change, update.machine.id))
                if update.machine.id == created.id { break }
            }
            #expect(seen.last?.0 == "added")
            _ = try await h.client.stop(.with { ($0.appName, $0.machineID) = ("fleet", first) })
            h.hub.nudge(app: "fleet", machine: first)
            while let update = await watcher.next() {
                if update.machine.id == first, update.change == "changed", update.machine.state == "stopped" { break }
            }
            _ = try await h.client.delete(.with { ($0.appName, $0.machineID, $0.force) = ("fleet", created.id, true) })
            h.hub.nudge(app: "fleet", machine: created.id)
            var removed = false
            while !removed, let update = await watcher.next() {
                removed = update.change == "removed" && update.machine.id == created.id
            }
            #expect(removed)
            watcher.cancel()
        }
    }

    @Test("pending updates fold: an app machine added then removed before the watcher reads is never reported")
    func appUpdatesFold() {
        var pending = PendingAppUpdates()
        var machine = Flygate_Machines_V1_Machine()
        machine.id = "a"
        pending.add(.init(kind: .added, machine: machine))
        machine.state = "started"
        pending.add(.init(kind: .changed, machine: machine))
        let folded = pending.take()
        #expect(folded?.change == "added" && folded?.machine.state == "started" && folded?.coalesced == 1)
        pending.add(.init(kind: .added, machine: machine))
        pending.add(.init(kind: .removed, machine: machine))
        #expect(pending.take() == nil)
    }
}
