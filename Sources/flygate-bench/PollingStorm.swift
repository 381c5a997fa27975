import FlyGateClient
import FlyGateCore
import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Foundation
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// One polling-storm run: a daemon on a fresh socket in front of `simulator`, `clients`
/// connections with one poller per machine each, for `duration`.
struct PollingStorm: Sendable {
    var clients: Int
    var machines: Int
    var interval: Duration
    var duration: Duration
    var timeout: Duration

    /// Runs the storm against a new daemon with coalescing on or off and reports it.
    func measure(_ simulator: FlyMachinesSimulator, coalescing: Bool, logger: Logger) async throws -> BenchReport {
        let app = coalescing ? "storm-on" : "storm-off"
        let ids = (0..<machines).map { _ in simulator.seedMachine(app: app)["id"]?.stringValue ?? "" }
        var clientConfiguration = FlyMachinesClient.Configuration.defaults
        clientConfiguration.baseURL = simulator.baseURL ?? ""
        clientConfiguration.rateLimits.enabled = false
        let upstream = try FlyMachinesClient(
            configuration: clientConfiguration, credentials: try FlyCredentials(token: "bench-token"), logger: logger)
        var template = Array("/tmp/fgb-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        let directory = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = DaemonConfiguration.defaults(environment: [:], userID: UInt32(getuid()))
        configuration.socketPath = directory + "/s.sock"
        configuration.coalescingEnabled = coalescing
        configuration.maxInFlightPerConnection = max(64, machines * 2)
        configuration.maxConnections = max(1024, clients * 2)
        let daemon = FlyGateDaemon(
            configuration: configuration, upstream: upstream,
            status: GatewayService.Status(version: "bench", upstream: simulator.baseURL ?? "", simulator: true, startedAt: .now),
            logger: logger)
        let group = ServiceGroup(services: [daemon], logger: logger)
        let outcome: Result<BenchReport, any Error> = await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try? await group.run() }
            let outcome: Result<BenchReport, any Error>
            do {
                let path = try await daemon.listeningAddress()
                outcome = .success(try await poll(path: path, app: app, machines: ids, simulator: simulator, coalescing: coalescing))
            } catch {
                outcome = .failure(error)
            }
            await group.triggerGracefulShutdown()
            await tasks.waitForAll()
            return outcome
        }
        try? await upstream.shutdown()
        return try outcome.get()
    }

    private func poll(
        path: String, app: String, machines ids: [String], simulator: FlyMachinesSimulator, coalescing: Bool
    ) async throws -> BenchReport {
        var connections: [RPCClient] = []
        for _ in 0..<clients { connections.append(try await RPCClient.connect(path: path)) }
        let all = connections
        let clock = ContinuousClock()
        simulator.resetCounters()
        let start = clock.now
        let end = start + duration
        let (interval, timeout) = (self.interval, self.timeout)
        let (latencies, failures) = await withTaskGroup(of: ([Duration], Int).self) { group in
            for client in all {
                for id in ids {
                    var request = Flygate_Machines_V1_ShowRequest()
                    request.appName = app
                    request.machineID = id
                    let show = request
                    group.addTask {
                        var latencies: [Duration] = []
                        var failures = 0
                        var next = clock.now
                        while clock.now < end {
                            let begun = clock.now
                            do {
                                _ = try await client.show(show, options: .init(timeout: timeout))
                                latencies.append(clock.now - begun)
                            } catch {
                                failures += 1
                            }
                            // The next tick; ticks missed while the call ran are skipped.
                            next = max(next + interval, clock.now)
                            try? await Task.sleep(until: next, clock: clock)
                        }
                        return (latencies, failures)
                    }
                }
            }
            var all: [Duration] = []
            var failures = 0
            for await (latencies, failed) in group {
                all += latencies
                failures += failed
            }
            return (all, failures)
        }
        let elapsed = clock.now - start
        let upstreamCalls = simulator.requestCount(for: .show)
        for client in all { await client.close() }
        let calls = latencies.count + failures
        let ratio = upstreamCalls > 0 ? Double(calls) / Double(upstreamCalls) : 0
        return BenchReport(
            scenario: "polling-storm", calls: latencies.count, failures: failures, elapsed: elapsed, latencies: latencies,
            extra: [
                ("coalescing", coalescing ? "on" : "off"),
                ("upstream Show requests", "\(upstreamCalls)"),
                ("client calls per upstream call", String(format: "%.1f", ratio)),
            ])
    }
}
