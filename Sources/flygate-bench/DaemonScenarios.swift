import FlyGateClient
import FlyGateJSON
import FlyGateHarness
import FlyMachinesAPI
import FlyMachinesProto
import Foundation
import Logging

/// The scenarios that measure the daemon as a real process.
enum DaemonScenarios {
    /// 1. Show through the socket against the same Show over one pooled HTTP client, same
    /// simulator process: the ratio of the latencies is the daemon's overhead. Each ttrpc row
    /// is followed by the same load over gRPC from `grpc`'s load generator, same daemon; after
    /// them come the Go references' rows (`show-go`), measured at each load right after the
    /// Swift and gRPC rows, against the same daemon and simulator.
    static func showOverhead(calls: Int, latency: Duration, grpc: GoLoad, references: GoReferences) async throws -> [BenchRow] {
        return try await BenchStack.with(latency: latency) { stack in
            let socket = try await RPCClient.connect(path: stack.socketPath)
            var create = Flygate_Machines_V1_CreateRequest()
            create.appName = "bench"
            create.body.config.image = "nginx:1.27"
            let id = try await socket.create(create).body.id
            // Fifteen more, so that sixteen Shows in flight can name sixteen machines.
            var machines = [id]
            for _ in 1..<16 { machines.append(try await socket.create(create).body.id) }
            var show = Flygate_Machines_V1_ShowRequest()
            show.appName = "bench"
            show.machineID = id
            let request = show

            var configuration = FlyMachinesClient.Configuration.defaults
            configuration.baseURL = stack.simulatorURL
            configuration.rateLimits.enabled = false
            var logger = Logger(label: "flygate-bench")
            logger.logLevel = .error
            let direct = try FlyMachinesClient(
                configuration: configuration, credentials: try FlyCredentials(token: BenchStack.token), logger: logger)
            // Identical concurrent reads would be coalesced by the daemon: measure the plain path.
            let options = MachinesCallOptions(metadata: [("flygate-no-coalesce", "true")])

            var rows: [BenchRow] = []
            var referenceRows: [BenchRow] = []
            for concurrency in [1, 16] {
                let perCaller = max(1, calls / concurrency)
                for _ in 0..<200 { _ = try await direct.show(request); _ = try await socket.show(request, options: options) }
                let directReport = await BenchLoad.run(scenario: "show-overhead", callers: concurrency, callsPerCaller: perCaller) { _ in
                    _ = try await direct.show(request)
                }
                let cpuBefore = stack.daemon.cpuTime
                let daemonReport = await BenchLoad.run(scenario: "show-overhead", callers: concurrency, callsPerCaller: perCaller) { _ in
                    _ = try await socket.show(request, options: options)
                }
                let cpu = stack.daemon.cpuTime - cpuBefore
                let ratio = BenchReport.seconds(daemonReport.quantile(0.5)) / max(BenchReport.seconds(directReport.quantile(0.5)), 1e-9)
                let directP50 = BenchRow.milliseconds(directReport.quantile(0.5))
                let upstream = latency > .zero ? ", upstream +\(BenchRow.milliseconds(latency)) ms" : ""
                rows.append(BenchRow(directReport, variant: "direct pooled HTTP, \(concurrency) in flight\(upstream)"))
                rows.append(
                    BenchRow(daemonReport, variant: "ttrpc through the daemon, \(concurrency) in flight\(upstream)",
                             extra: [("p50_ratio_to_direct", .double((ratio * 100).rounded() / 100))]
                                + Self.cpuFigures(cpu, calls: daemonReport.calls)
                    ).measuring(latency == .zero ? .swiftShow(inFlight: concurrency) : nil))
                // The same calls over gRPC: one connection, the same warm-up, the same count (the
                // duration only bounds it, with room for the upstream latency of every call).
                let shape = GoLoad.Shape(
                    method: "show", inFlight: concurrency, calls: perCaller * concurrency, duration: .seconds(120) + latency * perCaller,
                    warmup: 200, warmupLimit: .seconds(60) + latency * 200, show: (app: "bench", machine: id))
                rows.append(
                    await grpc.row(scenario: "show-overhead", variant: "gRPC through the daemon, \(concurrency) in flight\(upstream)",
                                   stack: stack, shape: shape) { figures in
                        [("p50_ratio_to_direct", .double((figures.p50 / max(directP50, 1e-6) * 100).rounded() / 100))]
                    })
                referenceRows += await references.showRows(
                    stack: stack, machines: machines, inFlight: concurrency, calls: perCaller * concurrency, latency: latency,
                    suffix: upstream)
            }
            try await direct.shutdown()
            await socket.close()
            return rows + referenceRows
        }
    }

    /// 2. The daemon's own floor: Health with 1, 4 and 16 connections × 1 and 16 calls in flight,
    /// each over ttrpc and then over gRPC from `grpc`'s load generator, same daemon; then the Go
    /// references' rows (`health-go`): containerd's Go ttrpc client against the same daemon and
    /// against the Go ttrpc echo server, at 1 × 1 and 4 × 16.
    static func healthFloor(duration: Duration, grpc: GoLoad, references: GoReferences) async throws -> [BenchRow] {
        return try await BenchStack.with { stack in
            var rows: [BenchRow] = []
            for connections in [1, 4, 16] {
                for inFlight in [1, 16] {
                    var clients: [RPCClient] = []
                    for _ in 0..<connections { clients.append(try await RPCClient.connect(path: stack.socketPath)) }
                    let pool = clients
                    for client in pool { _ = try await client.health() }
                    let cpuBefore = stack.daemon.cpuTime
                    let report = await BenchLoad.run(scenario: "health-floor", callers: connections * inFlight, duration: duration) { caller in
                        _ = try await pool[caller % connections].health()
                    }
                    let cpu = stack.daemon.cpuTime - cpuBefore
                    rows.append(
                        BenchRow(report, variant: "ttrpc, \(connections) connections × \(inFlight) in flight",
                                 extra: Self.cpuFigures(cpu, calls: report.calls)))
                    for client in pool { await client.close() }
                    let shape = GoLoad.Shape(method: "health", connections: connections, inFlight: inFlight, duration: duration)
                    rows.append(
                        await grpc.row(scenario: "health-floor", variant: "gRPC, \(connections) connections × \(inFlight) in flight",
                                       stack: stack, shape: shape))
                }
            }
            return rows + (await references.healthRows(stack: stack, shapes: [(1, 1), (4, 16)], duration: duration))
        }
    }

    /// The CPU time of the daemon (or of the process `name` names) per call, and the calls per second that
    /// makes on 2 cores if it had them to itself (the load generator shares them in these runs).
    static func cpuFigures(_ cpu: Duration, calls: Int, of name: String = "daemon") -> [(String, JSONValue)] {
        let perCall = BenchReport.seconds(cpu) / Double(max(calls, 1))
        return [
            ("\(name)_cpu_us_per_call", .double(microsecondsPerCall(cpu, calls: calls))),
            ("\(name)_capacity_2_cores", .int(perCall > 0 ? Int((2 / perCall).rounded()) : 0)),
        ]
    }

    /// `cpu` over `calls` calls, in microseconds a call to a tenth.
    static func microsecondsPerCall(_ cpu: Duration, calls: Int) -> Double {
        (BenchReport.seconds(cpu) / Double(max(calls, 1)) * 1e7).rounded() / 10
    }

    /// 4. Resident size idle, with 1,000 idle connections, and after many calls.
    static func memory(idleConnections: Int, calls: Int) async throws -> [BenchRow] {
        return try await BenchStack.with { stack in
            let warm = try await RPCClient.connect(path: stack.socketPath)
            for _ in 0..<1000 { _ = try await warm.health() }
            await warm.close()
            try await Task.sleep(for: .milliseconds(500))
            let idle = stack.daemon.residentBytes

            var idleClients: [RPCClient] = []
            for _ in 0..<idleConnections {
                let client = try await RPCClient.connect(path: stack.socketPath)
                _ = try await client.health()
                idleClients.append(client)
            }
            try await Task.sleep(for: .milliseconds(500))
            let withConnections = stack.daemon.residentBytes
            for client in idleClients { await client.close() }
            try await Task.sleep(for: .milliseconds(500))
            let afterClose = stack.daemon.residentBytes

            var clients: [RPCClient] = []
            for _ in 0..<16 { clients.append(try await RPCClient.connect(path: stack.socketPath)) }
            let pool = clients
            let perCaller = calls / 256
            let report = await BenchLoad.run(scenario: "memory", callers: 256, callsPerCaller: perCaller) { caller in
                _ = try await pool[caller % 16].health()
            }
            for client in pool { await client.close() }
            try await Task.sleep(for: .milliseconds(500))
            let afterCalls = stack.daemon.residentBytes
            func mib(_ bytes: Int) -> JSONValue { .double((Double(bytes) / 1_048_576 * 10).rounded() / 10) }
            return [
                BenchRow(
                    scenario: "memory", variant: "daemon resident size (MiB)",
                    figures: [
                        ("idle", mib(idle)),
                        ("with_\(idleConnections)_idle_connections", mib(withConnections)),
                        ("connections_above_idle", mib(withConnections - idle)),
                        ("after_connections_closed", mib(afterClose)),
                        ("after_\(report.calls)_calls", mib(afterCalls)),
                        ("growth_after_calls", mib(afterCalls - afterClose)),
                        ("calls_per_second", .int(Int(report.callsPerSecond.rounded()))),
                    ])
            ]
        }
    }

    /// 5. From exec to READY (the daemon's "ready" line), with the built-in simulator.
    static func startup(runs: Int) async throws -> [BenchRow] {
        let binary = try BenchProcesses.flygateBinary()
        var times: [Duration] = []
        for _ in 0..<runs {
            let directory = try BenchProcesses.temporaryDirectory()
            let clock = ContinuousClock()
            let begun = clock.now
            let daemon = try ChildProcess(
                binary,
                ["serve", "--socket", directory + "/s.sock", "--state-directory", directory + "/state", "--log-level", "error"],
                environment: BenchProcesses.environment())
            try await daemon.waitForOutput(containing: "ready, serving on")
            times.append(clock.now - begun)
            await daemon.stop()
            try? FileManager.default.removeItem(atPath: directory)
        }
        let report = BenchReport(scenario: "startup", calls: runs, failures: 0, elapsed: .zero, latencies: times)
        return [
            BenchRow(
                scenario: "startup", variant: "exec to READY, \(runs) runs",
                figures: [
                    ("p50_ms", .double(BenchRow.milliseconds(report.quantile(0.5)))),
                    ("max_ms", .double(BenchRow.milliseconds(times.max() ?? .zero))),
                ])
        ]
    }
}
