import ArgumentParser
import FlyGateClient
import FlyGateCore
import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Foundation
import Logging
import ServiceLifecycle

/// `audit-cost`: what the audit log costs per call. An in-process daemon on a real socket, the
/// simulator upstream with rate limits off; N Show calls and N Cordon/Uncordon calls, with the
/// audit log off and on (mutations wait for their `received` record's group commit).
struct AuditCostScenario: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit-cost", abstract: "Per-call cost of the audit log, reads and mutations, against audit off.")

    @Option(name: [.customShort("n"), .long], help: "Calls per measurement.")
    var calls = 4000

    @Option(name: [.customShort("c"), .long], help: "Concurrent callers.")
    var concurrency = 8

    @Option(help: "Warm-up calls before measuring.")
    var warmup = 200

    func run() async throws {
        guard calls > 0, concurrency > 0, warmup >= 0 else { throw ValidationError("calls and concurrency must be positive") }
        var logger = Logger(label: "flygate-bench")
        logger.logLevel = .warning
        var settings = FlyMachinesSimulator.Configuration.defaults
        settings.rateLimits = false
        settings.transitionDelay = .zero
        let simulator = FlyMachinesSimulator(configuration: settings, logger: logger)
        try await simulator.withRunning { simulator in
            let machine = simulator.seedMachine(app: "bench")["id"]?.stringValue ?? ""
            var p50: [String: Duration] = [:]
            for audit in [false, true] {
                let reports = try await measure(simulator, machine: machine, audit: audit, logger: logger)
                for report in reports {
                    p50[report.scenario] = report.quantile(0.5)
                    print(
                        "\(report.scenario.padding(toLength: 26, withPad: " ", startingAt: 0))  p50 \(BenchReport.format(report.quantile(0.5)))"
                            + "  p99 \(BenchReport.format(report.quantile(0.99)))  \(Int(report.callsPerSecond.rounded())) calls/s"
                            + "  failures \(report.failures)" + report.extra.map { "  \($0.name) \($0.value)" }.joined())
                }
            }
            for kind in ["Show", "Cordon/Uncordon"] {
                let cost = (p50["audit on  \(kind)"] ?? .zero) - (p50["audit off \(kind)"] ?? .zero)
                print("audit cost per call, \(kind) (p50 on - off): \(BenchReport.format(cost))")
            }
        }
    }

    private func measure(_ simulator: FlyMachinesSimulator, machine: String, audit: Bool, logger: Logger) async throws -> [BenchReport] {
        var template = Array("/tmp/fgb-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw ValidationError("mkdtemp failed") }
        let directory = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = DaemonConfiguration.defaults(environment: [:], userID: UInt32(getuid()))
        configuration.socketPath = directory + "/s.sock"
        configuration.stateDirectory = directory + "/state"
        let log = audit ? try await AuditLog.open(configuration: configuration.auditLog, daemonVersion: "bench", logger: logger) : nil
        var clientSettings = FlyMachinesClient.Configuration.defaults
        clientSettings.baseURL = simulator.baseURL ?? ""
        clientSettings.rateLimits.enabled = false
        let upstream = try FlyMachinesClient(configuration: clientSettings, credentials: try FlyCredentials(token: "bench-token"), logger: logger)
        let daemon = FlyGateDaemon(
            configuration: configuration, upstream: upstream,
            status: GatewayService.Status(version: "bench", upstream: "simulator", simulator: true, startedAt: .now),
            audit: log, logger: logger)
        let group = ServiceGroup(services: [daemon], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let client = try await RPCClient.connect(path: try await daemon.listeningAddress())
            var show = Flygate_Machines_V1_ShowRequest()
            show.appName = "bench"
            show.machineID = machine
            var cordon = Flygate_Machines_V1_CordonRequest()
            cordon.appName = "bench"
            cordon.machineID = machine
            var uncordon = Flygate_Machines_V1_UncordonRequest()
            uncordon.appName = "bench"
            uncordon.machineID = machine
            let (read, write) = (show, (cordon, uncordon))
            for _ in 0..<warmup { _ = try await client.show(read) }
            let label = audit ? "audit on " : "audit off"
            let syncsBefore = log?.syncs ?? 0
            let reads = await BenchLoad.run(scenario: "\(label) Show", callers: concurrency, calls: calls) { _, _ in
                _ = try await client.show(read)
            }
            var mutations = await BenchLoad.run(scenario: "\(label) Cordon/Uncordon", callers: concurrency, calls: calls) { _, index in
                if index % 2 == 0 { _ = try await client.cordon(write.0) } else { _ = try await client.uncordon(write.1) }
            }
            if let log { mutations.extra = [("fsyncs", "\(log.syncs - syncsBefore)")] }
            await client.close()
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            try await upstream.shutdown()
            return [reads, mutations]
        }
    }
}
