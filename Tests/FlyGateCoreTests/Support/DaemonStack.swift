import FlyGateClient
import FlyGateCore
import FlyGateTestSupport
import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Logging
import ServiceLifecycle
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The whole daemon on a real socket in /tmp, in front of a real `FlyMachinesClient` and an
/// in-process simulator (rate limits off, 50 ms latency unless a test changes it).
struct DaemonStack: Sendable {
    let simulator: FlyMachinesSimulator
    let daemon: FlyGateDaemon
    let socketPath: String
    /// A private directory for the test's files (the socket is in it unless a test moves it);
    /// removed afterwards.
    let directory: String
    /// The daemon's own upstream client: what a test reads through it bypasses the daemon.
    let upstream: FlyMachinesClient

    /// A new connection to the daemon.
    func connect() async throws -> RPCClient {
        try await RPCClient.connect(path: socketPath)
    }

    /// A client connection for `body`, closed on every exit path (a return, a thrown error, a
    /// cancelled task).
    func withClient<T>(_ body: (RPCClient) async throws -> T) async throws -> T {
        try await withResource({ try await connect() }, release: { await $0.close() }, body)
    }

    /// Seeds a machine in app `app` and returns its id.
    func seedMachine(app: String = "demo", state: MachineState = .started) -> String {
        simulator.seedMachine(app: app, state: state)["id"]?.stringValue ?? ""
    }

    /// A machine's latest events (at most 50, as on Fly) as the simulator has them now, oldest
    /// first (Fly lists the newest first), read past the daemon and its cache.
    func events(app: String = "demo", _ machine: String) async throws -> [Flygate_Machines_V1_MachineEvent] {
        var request = Flygate_Machines_V1_ListEventsRequest()
        (request.appName, request.machineID, request.limit) = (app, machine, 50)
        return try await upstream.listEvents(request).body.reversed()
    }
}

/// A Show request for `machine` of `app`.
func showRequest(_ machine: String, app: String = "demo") -> Flygate_Machines_V1_ShowRequest {
    var request = Flygate_Machines_V1_ShowRequest()
    request.appName = app
    request.machineID = machine
    return request
}

/// Runs `body` against a fresh ``DaemonStack`` and tears it down.
///
/// - Parameters:
///   - upstreamAttempts: the upstream client's retry budget (1: a 503 is final).
///   - simulator: changes to the simulator's configuration (e.g. recording exchanges).
///   - configure: changes to the daemon's configuration; its `socketPath` starts as `s.sock` in
///     the test's private directory (``DaemonStack/directory``).
func withDaemonStack<T: Sendable>(
    upstreamAttempts: Int = 4,
    simulator configureSimulator: (inout FlyMachinesSimulator.Configuration) -> Void = { _ in },
    configure: (inout DaemonConfiguration) -> Void = { _ in },
    _ body: (DaemonStack) async throws -> T
) async throws -> T {
    let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
    var simulatorConfiguration = FlyMachinesSimulator.Configuration.defaults
    simulatorConfiguration.rateLimits = false
    configureSimulator(&simulatorConfiguration)
    let simulator = FlyMachinesSimulator(configuration: simulatorConfiguration, logger: logger)
    return try await simulator.withRunning { simulator in
        simulator.faults.latency = .milliseconds(50)
        let statistics = CallStatistics()
        var clientConfiguration = FlyMachinesClient.Configuration.defaults
        clientConfiguration.baseURL = simulator.baseURL ?? ""
        clientConfiguration.rateLimits.enabled = false
        clientConfiguration.retry.maxAttempts = upstreamAttempts
        clientConfiguration.maxConnectionsPerHost = 64
        let client = try FlyMachinesClient(
            configuration: clientConfiguration, credentials: try FlyCredentials(token: "test-token"),
            observer: StatisticsUpstreamObserver(statistics: statistics), logger: logger)
        let directory = try TestDirectory()
        defer { directory.remove() }
        var configuration = DaemonConfiguration.defaults(environment: [:], userID: UInt32(getuid()))
        configuration.socketPath = directory.socket
        configuration.maxInFlightPerConnection = 256
        configure(&configuration)
        let daemon = FlyGateDaemon(
            configuration: configuration, upstream: client,
            status: GatewayService.Status(version: "test", upstream: simulator.baseURL ?? "", simulator: true, startedAt: .now),
            statistics: statistics, logger: logger)
        let stack = DaemonStack(
            simulator: simulator, daemon: daemon, socketPath: configuration.socketPath, directory: directory.path, upstream: client)
        let group = ServiceGroup(services: [daemon], logger: logger)
        let result: Result<T, any Error> = await withTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try? await group.run() }
            let result: Result<T, any Error>
            do {
                _ = try await daemon.listeningAddress()
                result = .success(try await body(stack))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            await tasks.waitForAll()
            return result
        }
        try? await client.shutdown()
        return try result.get()
    }
}

extension Sequence {
    /// `transform` of each element in turn, awaited one after the other (connecting clients).
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var result: [T] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
