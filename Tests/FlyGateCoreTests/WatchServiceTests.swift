import FlyGateClient
import FlyGateCore
import FlyGateHarness
import FlyGateWire
import FlyMachinesProto
import Testing

/// `flygate.watch.v1.Watch` through the whole daemon, over ttrpc 1.2 streams.
@Suite(.timeLimit(.minutes(2)))
struct WatchServiceTests {
    @Test("a watcher over a ttrpc stream sees a stop made through the daemon; a ttrpc 1.1 call of a watch is UNIMPLEMENTED")
    func watchThroughTheDaemon() async throws {
        try await withDaemonStack { stack in
            let id = stack.seedMachine()
            let watcher = try await stack.connect()
            let caller = try await stack.connect()
            var request = Flygate_Watch_V1_WatchMachineRequest()
            (request.appName, request.machineID) = ("demo", id)
            var states: [String] = []
            var events = 0
            for try await update in watcher.serverStream(
                service: WatchService.serviceName, method: "WatchMachine", request: request, as: Flygate_Watch_V1_MachineUpdate.self,
                timeout: .seconds(60))
            {
                states.append(update.machine.state)
                events += update.events.count
                if states.count == 1 {
                    #expect(update.events.isEmpty, "a watch from now carries no past events")
                    var stop = Flygate_Machines_V1_StopRequest()
                    (stop.appName, stop.machineID) = ("demo", id)
                    _ = try await caller.stop(stop)
                }
                if update.machine.state == "stopped" { break }
            }
            #expect(states.first == "started" && states.last == "stopped")
            #expect(events > 0)
            #expect(stack.daemon.watches.counts.watches <= 1)

            // A ttrpc 1.1 client calls it as a unary method, and is told it streams.
            let unary = await #expect(throws: RPCError.self) {
                _ = try await caller.call(
                    service: WatchService.serviceName, method: "WatchMachine", request: request,
                    as: Flygate_Watch_V1_MachineUpdate.self)
            }
            #expect(unary?.code == .unimplemented)

            // A machine that is not there is NOT_FOUND, not a stream.
            var missing = request
            missing.machineID = "0123456789abcd"
            let notFound = await #expect(throws: RPCError.self) {
                for try await _ in watcher.serverStream(
                    service: WatchService.serviceName, method: "WatchMachine", request: missing,
                    as: Flygate_Watch_V1_MachineUpdate.self, timeout: .seconds(30))
                {}
            }
            #expect(notFound?.code == .notFound)

            // Names no call could carry are INVALID_ARGUMENT at once, not a stream left waiting.
            for (app, machine) in [("demo", "../../orgs/x"), ("de\u{1b}[2Jmo", id), ("", id), ("demo", "")] {
                var hostile = request
                (hostile.appName, hostile.machineID) = (app, machine)
                let refused = await #expect(throws: RPCError.self) {
                    for try await _ in watcher.serverStream(
                        service: WatchService.serviceName, method: "WatchMachine", request: hostile,
                        as: Flygate_Watch_V1_MachineUpdate.self, timeout: .seconds(30))
                    {}
                }
                #expect(refused?.code == .invalidArgument, "\(app.debugDescription) / \(machine.debugDescription)")
            }
            var app = Flygate_Watch_V1_WatchAppRequest()
            app.appName = "demo/../x"
            let refusedApp = await #expect(throws: RPCError.self) {
                for try await _ in watcher.serverStream(
                    service: WatchService.serviceName, method: "WatchApp", request: app,
                    as: Flygate_Watch_V1_AppUpdate.self, timeout: .seconds(30))
                {}
            }
            #expect(refusedApp?.code == .invalidArgument)
            #expect(try await eventually(within: .seconds(10)) { stack.daemon.watches.counts.watches == 0 })
            await watcher.close()
            await caller.close()
        }
    }

    @Test("100 watchers over ttrpc streams, while the machine is stopped, started and restarted ten times through the daemon, each get every event once, in order, from one loop")
    func hundredWatchersThroughTheDaemon() async throws {
        try await withDaemonStack(configure: { $0.maxInFlightPerConnection = 64 }) { stack in
            let id = stack.seedMachine()
            // Fly lists at most 50 events: the test keeps the machine's history as it grows.
            var history = try await stack.events(id)
            func catchUp() async throws {
                let known = Set(history.map(\.id))
                history += try await stack.events(id).filter { !known.contains($0.id) }
            }
            let baseline = try #require(history.last?.id)
            let connections = try await (0..<4).asyncMap { _ in try await stack.connect() }
            var request = Flygate_Watch_V1_WatchMachineRequest()
            (request.appName, request.machineID, request.fromEventID) = ("demo", id, baseline)
            let watchers = WatchCollector(watchers: 100) { [request] index, deliver in
                let stream = connections[index % connections.count].serverStream(
                    service: WatchService.serviceName, method: "WatchMachine", request: request,
                    as: Flygate_Watch_V1_MachineUpdate.self, timeout: .seconds(600))
                do {
                    for try await update in stream { deliver(update) }
                } catch {}
            }
            #expect(try await eventually(within: .seconds(30)) { watchers.allSatisfy { !$0.isEmpty } })
            #expect(stack.daemon.watches.counts == (watches: 100, loops: 1))

            // Each step goes on once every watcher has seen the machine settle: a gap would
            // show as a state a watcher never reaches.
            let caller = try await stack.connect()
            let stats = try await caller.stats()
            #expect(stats.watchesOpen == 100 && stats.watchLoops == 1, "Stats: \(stats.watchesOpen) watches, \(stats.watchLoops) loops")
            func settled(_ state: String, events count: Int) async throws -> Bool {
                try await eventually(within: .seconds(30)) {
                    watchers.allSatisfy { $0.last?.machine.state == state && $0.flatMap(\.events).count >= count }
                }
            }
            var target = Flygate_Machines_V1_StopRequest()
            (target.appName, target.machineID) = ("demo", id)
            for cycle in 0..<10 {
                _ = try await caller.stop(target)
                #expect(try await settled("stopped", events: 0), "cycle \(cycle): stop")
                var start = Flygate_Machines_V1_StartRequest()
                (start.appName, start.machineID) = ("demo", id)
                _ = try await caller.start(start)
                #expect(try await settled("started", events: 0), "cycle \(cycle): start")
                var restart = Flygate_Machines_V1_RestartRequest()
                (restart.appName, restart.machineID) = ("demo", id)
                try await catchUp()
                let before = history.count
                _ = try await caller.restart(restart)
                // A restart ends where it began (started): wait for its two events (restart,
                // start) at the simulator, then for every watcher to have them.
                #expect(try await eventually(within: .seconds(30)) {
                    try await catchUp()
                    return history.count >= before + 2 && history.last?.type == "start"
                })
                let sinceBaseline = history.drop { $0.id != baseline }.count - 1
                #expect(try await settled("started", events: sinceBaseline), "cycle \(cycle): restart")
            }

            try await catchUp()
            let expected = Array(history.drop { $0.id != baseline }.dropFirst()).map(\.id)
            #expect(expected.count >= 50, "ten stops, starts and restarts leave at least fifty events: \(expected.count)")
            #expect(try await eventually(within: .seconds(30)) { watchers.allSatisfy { $0.flatMap(\.events).count >= expected.count } })
            for (index, messages) in watchers.messages.enumerated() {
                let ids = messages.flatMap(\.events).map(\.id)
                #expect(ids == expected, "watcher \(index): \(ids.count) events of \(expected.count), or out of order")
                #expect(messages.allSatisfy { $0.eventsDropped == 0 })
            }
            #expect(stack.daemon.watches.counts.loops == 1)

            await watchers.cancel()
            for connection in connections { await connection.close() }
            await caller.close()
            #expect(try await eventually(within: .seconds(10)) { stack.daemon.watches.counts == (watches: 0, loops: 0) })
        }
    }
}
