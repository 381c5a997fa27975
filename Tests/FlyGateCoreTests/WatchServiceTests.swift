import FlyGateClient
import FlyGateCore
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
            await watcher.close()
            await caller.close()
        }
    }
}
