import ArgumentParser
import FlyGateClient
import FlyGateCore
import FlyMachinesProto
import FlyMachinesSimulator
import Logging

/// `polling-storm`: many local clients poll Show of the same few machines through an in-process
/// daemon on a real socket, against a slow upstream, once with coalescing on and once off.
struct PollingStormScenario: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "polling-storm",
        abstract: "Local clients polling Show of the same machines through the daemon, coalescing on and off.")

    @Option(name: [.customShort("c"), .long], help: "Client connections.")
    var clients = 100

    @Option(help: "Machines every client polls (one poller per client and machine).")
    var machines = 10

    @Option(help: "Poll interval per machine, in milliseconds.")
    var intervalMs = 10

    @Option(name: [.customShort("d"), .long], help: "Seconds each run lasts.")
    var durationSeconds = 10

    @Option(help: "Upstream (simulator) latency, in milliseconds.")
    var latencyMs = 50

    @Option(help: "Per-call timeout, in seconds.")
    var timeoutSeconds = 30

    func validate() throws {
        guard clients > 0, machines > 0, intervalMs > 0, durationSeconds > 0, latencyMs >= 0, timeoutSeconds > 0 else {
            throw ValidationError("clients, machines, interval, duration and timeout must be positive")
        }
    }

    func run() async throws {
        let storm = PollingStorm(
            clients: clients, machines: machines, interval: .milliseconds(intervalMs), duration: .seconds(durationSeconds),
            timeout: .seconds(timeoutSeconds))
        let reports = try await Self.measure(storm, latency: .milliseconds(latencyMs))
        print(
            "polling-storm: \(clients) clients x \(machines) machines, every \(intervalMs) ms for \(durationSeconds) s, "
                + "\(latencyMs) ms upstream latency\n")
        print(Self.table(reports))
        for report in reports { print("\n" + report.text) }
    }

    /// Runs `storm` against an in-process simulator answering after `latency`, coalescing on then off.
    static func measure(_ storm: PollingStorm, latency: Duration) async throws -> [BenchReport] {
        var logger = Logger(label: "flygate-bench")
        logger.logLevel = .warning
        var simulatorConfiguration = FlyMachinesSimulator.Configuration.defaults
        simulatorConfiguration.rateLimits = false
        let simulator = FlyMachinesSimulator(configuration: simulatorConfiguration, logger: logger)
        return try await simulator.withRunning { simulator in
            simulator.faults.latency = latency
            var reports: [BenchReport] = []
            for coalescing in [true, false] {
                reports.append(try await storm.measure(simulator, coalescing: coalescing, logger: logger))
            }
            return reports
        }
    }

    /// One Markdown row per run.
    static func table(_ reports: [BenchReport]) -> String {
        func value(_ report: BenchReport, _ name: String) -> String { report.extra.first { $0.name == name }?.value ?? "" }
        var lines = [
            "| coalescing | client calls | upstream calls | client calls per upstream call | failures | p50 | p99 |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        for report in reports {
            lines.append(
                "| \(value(report, "coalescing")) | \(report.calls + report.failures) | \(value(report, "upstream Show requests")) "
                    + "| \(value(report, "client calls per upstream call")) | \(report.failures) "
                    + "| \(BenchReport.format(report.quantile(0.5))) | \(BenchReport.format(report.quantile(0.99))) |")
        }
        return lines.joined(separator: "\n")
    }
}
