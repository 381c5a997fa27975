import FlyGateCore
import FlyGateServer
import FlyMachinesAPI
import FlyMachinesSimulator
import Foundation
import Logging
import Metrics
import NIOCore
import NIOPosix
import Prometheus
import ServiceLifecycle
import UnixSignals

#if canImport(Glibc)
import Glibc
#endif

/// Composes and runs the daemon: logging, metrics, the upstream (Fly or the built-in
/// simulator), the socket server, systemd notification and SIGHUP reloads.
struct DaemonRunner: CustomStringConvertible {
    var description: String { "DaemonRunner" }

    let loaded: LoadedConfiguration
    let reloadFlags: [(field: String, value: String, flag: String)]
    let configPath: String?
    let environment: [String: String]

    /// Runs until a shutdown signal; returns the process exit status.
    func run() async -> Int32 {
        let configuration = loaded.configuration
        // The daemon's loops are NIO's singleton group (the server, the upstream pool and the
        // timers all use it), sized before anything starts it. Read once, at start.
        NIOSingletons.groupLoopCountSuggestion = configuration.eventLoopThreads
        let levels = LogLevelSwitch(Logger.Level(rawValue: configuration.logLevel) ?? .info)
        let format: DaemonLogHandler.Format = configuration.logFormat == .json ? .json : .text
        LoggingSystem.bootstrap { label in DaemonLogHandler(label: label, format: format, levelSwitch: levels) }
        let logger = Logger(label: "flygate")

        var registry: PrometheusCollectorRegistry?
        if configuration.metricsListen != nil {
            let prometheus = PrometheusCollectorRegistry()
            MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: prometheus))
            registry = prometheus
        }

        do {
            return try await serve(configuration, levels: levels, registry: registry, logger: logger)
        } catch let error as ServerError {
            logger.critical("cannot serve", metadata: ["error": "\(error)"])
            ServeCommand.fail(error.description, code: error.code == .socketInUse ? 69 : (error.code == .invalidConfiguration ? 78 : 1))
        } catch let error as FlyAPIError {
            ServeCommand.fail("upstream: \(error.message)", code: 78)
        } catch {
            logger.critical("daemon failed", metadata: ["error": "\(error)"])
            return 1
        }
    }

    private func serve(
        _ configuration: DaemonConfiguration,
        levels: LogLevelSwitch,
        registry: PrometheusCollectorRegistry?,
        logger: Logger
    ) async throws -> Int32 {
        let inheritedSocket = SystemdSocketActivation.listeningDescriptor(environment: environment, processID: getpid())
        // Before anything writes to the state: held until the process ends.
        let lock = Self.claimState(configuration, inheritedSocket: inheritedSocket)
        defer { withExtendedLifetime(lock) {} }

        var services: [any Service] = []
        var credentials = loaded.token.credentials
        let upstreamURL: String
        let usesSimulator: Bool
        if credentials == nil, configuration.upstreamURL == nil {
            let simulator = FlyMachinesSimulator(
                configuration: configuration.simulatorConfiguration, logger: Logger(label: "flygate.simulator"))
            try await simulator.start()
            upstreamURL = simulator.baseURL ?? "http://127.0.0.1"
            usesSimulator = true
            services.append(SimulatorService(simulator: simulator))
            Self.say(
                "flygate: no Fly API token, so serving the built-in Machines simulator at \(upstreamURL); "
                    + "set FLY_API_TOKEN (or --token-file) to talk to Fly"
            )
        } else {
            upstreamURL = configuration.upstreamURL ?? FlyMachinesClient.Configuration.defaults.baseURL
            usesSimulator = false
            if credentials == nil {
                logger.warning("no Fly API token: calls carry a placeholder token", metadata: ["flygate.upstream": "\(upstreamURL)"])
            }
        }
        if credentials == nil {
            // A random placeholder: no real token exists, and a fixed word could turn up in answers
            // (the client withholds any answer text that quotes its credentials).
            let placeholder = "flygate-" + (0..<16).map { _ in String(UInt8.random(in: 0...15), radix: 16) }.joined()
            credentials = try FlyCredentials(token: placeholder)
        }

        let statistics = CallStatistics()
        let clientConfiguration = configuration.upstreamClientConfiguration(baseURL: upstreamURL)
        let client = try FlyMachinesClient(
            configuration: clientConfiguration,
            credentials: credentials!,
            // The server's event loops: a call's upstream request goes out on the loop that
            // serves its caller (the HTTP/1.1 pool keeps connections per loop; AsyncHTTPClient,
            // for https, prefers the current loop), so no thread is woken to hand it over and back.
            eventLoopGroup: MultiThreadedEventLoopGroup.singleton,
            observer: StatisticsUpstreamObserver(statistics: statistics),
            logger: Logger(label: "flygate.upstream")
        )
        services.append(UpstreamClientService(client: client))

        // Fail closed: no audit log, no daemon.
        let audit: AuditLog?
        if configuration.auditEnabled {
            do {
                audit = try await AuditLog.open(
                    configuration: configuration.auditLog, daemonVersion: FlyGateDaemon.version, logger: logger)
            } catch {
                ServeCommand.fail("audit log: \(error)", code: 1)
            }
        } else {
            audit = nil
            logger.warning("audit log disabled")
        }

        let daemon = FlyGateDaemon(
            configuration: configuration,
            upstream: client,
            status: GatewayService.Status(
                version: FlyGateDaemon.version,
                upstream: upstreamURL,
                simulator: usesSimulator,
                startedAt: .now
            ),
            statistics: statistics,
            inheritedSocket: inheritedSocket,
            audit: audit,
            logger: logger
        )
        services.append(daemon)
        if let registry, let listen = configuration.metricsListen, let address = HostPort(listen) {
            services.append(
                MetricsEndpoint(host: address.host, port: address.port, render: { Self.render(registry) }, logger: logger)
            )
        }
        let notifier = SystemdNotifier(environment: environment)
        services.append(
            ReadinessService(daemon: daemon, grpcOnlySocket: configuration.grpcSocketPath, notifier: notifier, logger: logger))
        services.append(
            ReloadService(
                runner: self, daemon: daemon, client: client, levels: levels, notifier: notifier, logger: logger
            )
        )

        let group = ServiceGroup(
            configuration: ServiceGroupConfiguration(
                services: services.map { ServiceGroupConfiguration.ServiceConfiguration(service: $0) },
                gracefulShutdownSignals: [.sigterm, .sigint],
                logger: logger
            )
        )
        try await group.run()
        return 0
    }

    /// Takes the state directory's lock and checks the directories the daemon writes in
    /// (``StateDirectoryLock/claim(_:socketInherited:)``): exit 69 when another daemon holds the
    /// lock, 78 naming a directory another user could change. A refused start writes nothing.
    private static func claimState(_ configuration: DaemonConfiguration, inheritedSocket: Int32?) -> StateDirectoryLock {
        do {
            return try StateDirectoryLock.claim(configuration, socketInherited: inheritedSocket != nil)
        } catch {
            ServeCommand.fail(error.message, code: error.code == .held ? 69 : (error.code == .unsafe ? 78 : 1))
        }
    }

    /// Reads the configuration and token again (SIGHUP).
    func reloadConfiguration() throws -> LoadedConfiguration {
        try LoadedConfiguration.load(flags: reloadFlags, configPath: configPath, environment: environment)
    }

    private static func render(_ registry: PrometheusCollectorRegistry) -> [UInt8] {
        var buffer: [UInt8] = []
        registry.emit(into: &buffer)
        return buffer
    }

    /// One line on standard error, unbuffered, for a person watching the terminal.
    static func say(_ line: String) {
        FileHandle.standardError.write(Data((line + "\n").utf8))
    }
}

/// Shuts the upstream client's pool down once everything after it has stopped.
struct UpstreamClientService: Service, CustomStringConvertible {
    var description: String { "UpstreamClientService" }
    let client: FlyMachinesClient

    func run() async throws {
        try? await gracefulShutdown()
        try await client.shutdown()
    }
}

/// Tells systemd (and the person at the terminal) when the sockets are ready, and when stopping.
struct ReadinessService: Service, CustomStringConvertible {
    var description: String { "ReadinessService" }
    let daemon: FlyGateDaemon
    /// The gRPC-only socket's path, when there is one (it listens once the address is known).
    let grpcOnlySocket: String?
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let address = try await daemon.listeningAddress()
        let serving = "serving on \(address)" + (grpcOnlySocket.map { ", gRPC only on \($0)" } ?? "")
        notifier.ready(status: serving)
        DaemonRunner.say("flygate: ready, \(serving)")
        try? await gracefulShutdown()
        notifier.stopping()
    }
}

/// Reloads the configuration and the token on SIGHUP, without dropping connections.
struct ReloadService: Service, CustomStringConvertible {
    // Lifecycle logs services by description: never let it print the environment or the token.
    var description: String { "ReloadService" }
    let runner: DaemonRunner
    let daemon: FlyGateDaemon
    let client: FlyMachinesClient
    let levels: LogLevelSwitch
    let notifier: SystemdNotifier
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            notifier.reloading()
            do {
                let loaded = try runner.reloadConfiguration()
                daemon.reload(loaded.configuration)
                levels.level = Logger.Level(rawValue: loaded.configuration.logLevel) ?? levels.level
                if let credentials = loaded.token.credentials {
                    client.replaceCredentials(credentials)
                }
                logger.notice("reloaded", metadata: ["flygate.config.file": "\(loaded.configFile ?? "none")"])
            } catch {
                logger.error("reload failed; keeping the running configuration", metadata: ["error": "\(error)"])
            }
            notifier.ready(status: "serving (reloaded)")
        }
    }
}
