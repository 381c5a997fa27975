import ArgumentParser
import FlyMachinesSimulator

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Logging
import ServiceLifecycle

/// `flygate simulator`: runs the Machines API simulator alone, for any REST client.
struct SimulatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "simulator",
        abstract: "Serve a simulated Fly Machines API (at /v1/apps/{app}/machines…) on a loopback port.")

    @Option(help: "host:port to listen on; port 0 picks a free port.")
    var listen = "127.0.0.1:4280"

    @Option(help: "Token clients must send (Bearer or FlyV1). Default: any token (a header is still required).")
    var token: String?

    @Option(help: "How long each transient state (starting, stopping, …) lasts, in milliseconds.")
    var transitionDelayMs = 30

    @Flag(help: "Do not enforce Fly's rate limits.")
    var noRateLimits = false

    @Option(help: "Milliseconds added to every answer (to stand in for the network to Fly).")
    var latencyMs = 0

    @Option(help: "Log level: trace, debug, info, notice, warning, error, critical.")
    var logLevel = "info"

    func validate() throws {
        // As `serve` refuses one: a misspelt level must not quietly log at info.
        guard Logger.Level(rawValue: logLevel) != nil else {
            let levels = Logger.Level.allCases.map(\.rawValue).joined(separator: ", ")
            throw ValidationError("--log-level must be one of \(levels)")
        }
    }

    func run() async throws {
        let (host, port) = try parseListen()
        let level = Logger.Level(rawValue: logLevel) ?? .info
        // The daemon's handler: every control character a peer's bytes could bring is escaped.
        let levels = LogLevelSwitch(level)
        LoggingSystem.bootstrap { label in DaemonLogHandler(label: label, format: .text, levelSwitch: levels) }
        let logger = Logger(label: "flygate.simulator")
        var configuration = FlyMachinesSimulator.Configuration.defaults
        configuration.host = host
        configuration.port = port
        configuration.token = token
        configuration.transitionDelay = .milliseconds(transitionDelayMs)
        configuration.rateLimits = !noRateLimits
        configuration.faults.latency = .milliseconds(latencyMs)
        let simulator = FlyMachinesSimulator(configuration: configuration, logger: logger)
        try await simulator.start()
        // Written unbuffered, so a script reading our stdout sees the address at once.
        let line = "flygate simulator: serving the Fly Machines API at \(simulator.baseURL ?? "?")/v1\n"
        _ = line.utf8CString.withUnsafeBufferPointer { write(1, $0.baseAddress, $0.count - 1) }
        let group = ServiceGroup(
            services: [SimulatorService(simulator: simulator)], gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger)
        try await group.run()
    }

    private func parseListen() throws -> (String, Int) {
        guard let colon = listen.lastIndex(of: ":"), let port = Int(listen[listen.index(after: colon)...]),
            (0...65535).contains(port)
        else {
            throw ValidationError("--listen must be host:port, e.g. 127.0.0.1:4280")
        }
        var host = String(listen[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        return (host.isEmpty ? "127.0.0.1" : host, port)
    }
}

/// The simulator as a lifecycle service: runs until a shutdown signal.
struct SimulatorService: Service, CustomStringConvertible {
    var description: String { "SimulatorService" }
    /// The simulator to run.
    let simulator: FlyMachinesSimulator

    func run() async throws {
        try await withGracefulShutdownHandler {
            try await simulator.run()
        } onGracefulShutdown: {
            simulator.shutdown()
        }
    }
}
