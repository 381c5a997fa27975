import FlyGateClient
import FlyGateCore
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import FlyMachinesSimulator
import Foundation
import Synchronization
import Testing

/// Fly misbehaving (5xx bursts, 429 storms, latency spikes, dropped connections, a hung
/// route) while 32 local clients run a mixed workload: every call is answered, with success or
/// a clear status, within its deadline; retries stay within budget; and once
/// the faults stop everything succeeds again.
@Suite(.timeLimit(.minutes(2)))
struct FaultReliabilityTests {
    /// What the clients saw.
    final class Tally: Sendable {
        let state = Mutex((calls: 0, ok: 0, late: 0, codes: [RPCStatusCode: Int]()))

        func record(_ code: RPCStatusCode, elapsed: Duration, deadline: Duration) {
            state.withLock {
                $0.calls += 1
                if code == .ok { $0.ok += 1 }
                $0.codes[code, default: 0] += 1
                // The answer may trail the deadline by scheduling noise, never by an upstream wait:
                // the slack is wide (a busy 2-core machine can delay an answer by seconds), and an
                // answer that waited on the hung route would never come at all.
                if elapsed > deadline * 4 { $0.late += 1 }
            }
        }
    }

    @Test func everyCallIsAnsweredWithinItsDeadlineAndTheDaemonRecovers() async throws {
        try await withDaemonStack(upstreamAttempts: 3) { stack in
            stack.simulator.faults.latency = .milliseconds(5)
            let machines = (0..<8).map { _ in stack.seedMachine(app: "faults") }
            let tally = Tally()
            let deadline = Duration.seconds(2)
            let phase = Tally()  // `calls` counts finished phases here
            let clients = try await (0..<32).asyncMap { _ in try await stack.connect() }

            /// One call of the mixed workload, timed and tallied; returns its status.
            @Sendable func call(_ client: RPCClient, _ round: Int, _ index: Int) async -> RPCStatusCode {
                let machine = machines[(index + round) % machines.count]
                let options = MachinesCallOptions(timeout: deadline, metadata: round % 3 == 0 ? [("flygate-no-coalesce", "true")] : [])
                let start = ContinuousClock.now
                var code = RPCStatusCode.ok
                do {
                    switch round % 5 {
                    case 0: _ = try await client.show(showRequest(machine, app: "faults"), options: options)
                    case 1:
                        var list = Flygate_Machines_V1_ListRequest()
                        list.appName = "faults"
                        _ = try await client.list(list, options: options)
                    case 2:
                        var events = Flygate_Machines_V1_ListEventsRequest()
                        (events.appName, events.machineID) = ("faults", machine)
                        _ = try await client.listEvents(events, options: options)
                    case 3:
                        var cordon = Flygate_Machines_V1_CordonRequest()
                        (cordon.appName, cordon.machineID) = ("faults", machine)
                        _ = try await client.cordon(cordon, options: options)
                    default:
                        var metadata = Flygate_Machines_V1_ShowMetadataRequest()
                        (metadata.appName, metadata.machineID) = ("faults", machine)
                        _ = try await client.showMetadata(metadata, options: options)
                    }
                } catch let error as RPCError {
                    code = error.code
                } catch {
                    code = .unknown
                }
                tally.record(code, elapsed: ContinuousClock.now - start, deadline: deadline)
                return code
            }

            // No memory assertion here: the test process's resident size is shared with every suite
            // running beside it in parallel. The daemon's memory under load is measured by the
            // benchmark's "memory" scenario (`flygate-bench all`, DaemonScenarios.memory).
            let phases: [(String, SimulatorFaults)] = {
                var errors = SimulatorFaults.none
                (errors.errorRate, errors.errorStatus, errors.latency) = (0.4, 503, .milliseconds(5))
                var storm = SimulatorFaults.none
                (storm.rateLimitBurst, storm.retryAfterSeconds, storm.latency) = (400, 1, .milliseconds(5))
                var spikes = SimulatorFaults.none
                (spikes.latency, spikes.latencyJitter) = (.milliseconds(300), .milliseconds(600))
                var drops = SimulatorFaults.none
                (drops.dropRate, drops.latency) = (0.3, .milliseconds(5))
                var hung = SimulatorFaults.none
                (hung.hangingOperations, hung.latency) = ([.listEvents], .milliseconds(5))
                return [("5xx", errors), ("429", storm), ("latency", spikes), ("drops", drops), ("hung", hung)]
            }()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask {
                        var round = index
                        // Until the last phase ends; bounded by a count, a deadline and cancellation
                        // too, and a call that failed (perhaps at once) is followed by a short pause.
                        await repeatBounded(count: 1_000_000, within: .seconds(90), backoff: .milliseconds(5)) {
                            guard phase.state.withLock({ $0.calls }) < phases.count else { return (goOn: false, succeeded: true) }
                            let code = await call(client, round, index)
                            round += 1
                            return (goOn: true, succeeded: code == .ok)
                        }
                    }
                }
                for (number, (_, faults)) in phases.enumerated() {
                    stack.simulator.faults = faults
                    try await Task.sleep(for: .milliseconds(1500))
                    phase.state.withLock { $0.calls = number + 1 }
                }
                try await group.waitForAll()
            }

            // Faults off: everything succeeds again.
            stack.simulator.faults = .none
            let recovery = Tally()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask {
                        for round in 0..<5 {
                            let start = ContinuousClock.now
                            do {
                                // A generous deadline: this checks that calls succeed again, not how fast.
                                _ = try await client.show(showRequest(machines[(index + round) % machines.count], app: "faults"),
                                                          options: MachinesCallOptions(timeout: .seconds(20)))
                                recovery.record(.ok, elapsed: ContinuousClock.now - start, deadline: .seconds(20))
                            } catch let error as RPCError {
                                recovery.record(error.code, elapsed: ContinuousClock.now - start, deadline: .seconds(20))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }

            let seen = tally.state.withLock { $0 }
            // Enough calls ran to mean something (a throughput floor a busy machine can still meet:
            // 32 clients for 7.5 s, each call bounded by its 2 s deadline).
            #expect(seen.calls >= 100)
            #expect(seen.late == 0, "\(seen.late) calls answered after their deadline")
            #expect(seen.ok > 0)
            let clear: Set<RPCStatusCode> = [.ok, .unavailable, .resourceExhausted, .deadlineExceeded, .failedPrecondition]
            #expect(Set(seen.codes.keys).isSubset(of: clear), "\(seen.codes)")
            let recovered = recovery.state.withLock { $0 }
            #expect(recovered.ok == 32 * 5, "\(recovered.codes)")

            // Retries stayed within the budget: at most 3 upstream attempts per call.
            let stats = try await clients[0].stats()
            for method in stats.methods {
                let calls = method.callsByCode.values.reduce(0, +)
                #expect(method.upstreamCalls <= calls * 3, "\(method.method): \(method.upstreamCalls) upstream for \(calls) calls")
            }
            for client in clients { await client.close() }
        }
    }
}
