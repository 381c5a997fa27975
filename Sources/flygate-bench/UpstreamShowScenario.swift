import ArgumentParser
import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Logging

/// `upstream-show`: N Show calls from C concurrent callers over one pooled `FlyMachinesClient`,
/// against an in-process simulator with rate limits off.
struct UpstreamShowScenario: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "upstream-show", abstract: "Show calls through the upstream client against the simulator.")

    @Option(name: .shortAndLong, help: "Calls to make.")
    var calls = 20_000

    @Option(name: [.customShort("c"), .long], help: "Concurrent callers.")
    var concurrency = 16

    @Option(help: "Warm-up calls before measuring.")
    var warmup = 200

    func run() async throws {
        guard calls > 0, concurrency > 0, warmup >= 0 else { throw ValidationError("calls and concurrency must be positive") }
        var logger = Logger(label: "flygate-bench")
        logger.logLevel = .warning
        var simulatorConfiguration = FlyMachinesSimulator.Configuration.defaults
        simulatorConfiguration.rateLimits = false
        let simulator = FlyMachinesSimulator(configuration: simulatorConfiguration, logger: logger)
        let report = try await simulator.withRunning { simulator in
            try await Self.measure(simulator, calls: calls, concurrency: concurrency, warmup: warmup, logger: logger)
        }
        print(report.text)
    }

    private static func measure(
        _ simulator: FlyMachinesSimulator, calls: Int, concurrency: Int, warmup: Int, logger: Logger
    ) async throws -> BenchReport {
        let machine = simulator.seedMachine(app: "bench")
        var configuration = FlyMachinesClient.Configuration.defaults
        configuration.baseURL = simulator.baseURL ?? ""
        configuration.rateLimits.enabled = false
        let client = try FlyMachinesClient(
            configuration: configuration, credentials: try FlyCredentials(token: "bench-token"), logger: logger)
        var request = Flygate_Machines_V1_ShowRequest()
        request.appName = "bench"
        request.machineID = machine["id"]?.stringValue ?? ""
        let show = request
        do {
            for _ in 0..<warmup { _ = try await client.show(show) }
            var report = await BenchLoad.run(scenario: "upstream-show", callers: concurrency, calls: calls) { _, _ in
                _ = try await client.show(show)
            }
            try await client.shutdown()
            report.extra = [
                ("concurrency", "\(concurrency)"),
                ("TCP connections opened", "\(simulator.acceptedConnections)"),
                ("simulator Show requests", "\(simulator.requestCount(for: .show))"),
            ]
            return report
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
