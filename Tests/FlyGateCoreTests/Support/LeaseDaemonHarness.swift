import FlyGateClient
import FlyGateCore
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Logging
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// The daemon in-process on a real socket, in front of the simulator over loopback HTTP: for
/// tests that look at the simulator's counters while driving the daemon through its socket.
struct LeaseDaemonHarness: Sendable {
    let simulator: FlyMachinesSimulator
    /// A client straight to the simulator (not through the daemon).
    let upstream: FlyMachinesClient
    let daemon: FlyGateDaemon
    let socketPath: String
    let stateDirectory: String
    /// The audit log's file, when the harness was asked for one.
    let auditPath: String?
    private let group: ServiceGroup

    static let app = "leases"

    /// Runs `body` against a fresh simulator and daemon (writing an audit log when `audit`);
    /// shuts both down afterwards.
    static func with(audit: Bool = false, _ body: (LeaseDaemonHarness) async throws -> Void) async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        var simulatorConfiguration = FlyMachinesSimulator.Configuration.defaults
        simulatorConfiguration.rateLimits = false
        simulatorConfiguration.transitionDelay = .milliseconds(15)
        let simulator = FlyMachinesSimulator(configuration: simulatorConfiguration)
        try await simulator.withRunning { simulator in
            var clientConfiguration = FlyMachinesClient.Configuration.defaults
            clientConfiguration.baseURL = simulator.baseURL ?? ""
            clientConfiguration.rateLimits.enabled = false
            let client = try FlyMachinesClient(
                configuration: clientConfiguration, credentials: try FlyCredentials(token: "lease-test-token"), logger: quiet)
            var configuration = DaemonConfiguration.defaults(environment: [:], userID: UInt32(getuid()))
            configuration.socketPath = directory.socket
            configuration.stateDirectory = directory.path + "/state"
            configuration.shutdownGrace = .seconds(2)
            let auditLog = audit ? try await AuditLog.open(configuration: configuration.auditLog, daemonVersion: "test", logger: quiet) : nil
            let daemon = FlyGateDaemon(
                configuration: configuration, upstream: client,
                status: GatewayService.Status(version: "test", upstream: clientConfiguration.baseURL, simulator: true, startedAt: .now),
                audit: auditLog, logger: quiet)
            let group = ServiceGroup(services: [daemon], logger: quiet)
            let harness = LeaseDaemonHarness(
                simulator: simulator, upstream: client, daemon: daemon, socketPath: directory.socket,
                stateDirectory: configuration.stateDirectory, auditPath: audit ? configuration.auditLogPath : nil, group: group)
            do {
                try await withThrowingTaskGroup(of: Void.self) { tasks in
                    tasks.addTask { try await group.run() }
                    do {
                        _ = try await daemon.listeningAddress()
                        try await body(harness)
                    } catch {
                        await group.triggerGracefulShutdown()
                        try? await tasks.waitForAll()
                        throw error
                    }
                    await group.triggerGracefulShutdown()
                    try await tasks.waitForAll()
                }
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    /// A client connection for `body`, closed on every exit path (a return, a thrown error, a
    /// cancelled task); nest them for several clients.
    func withClient<T>(_ body: (RPCClient) async throws -> T) async throws -> T {
        try await withResource({ try await client() }, release: { await $0.close() }, body)
    }

    /// A new connection to the daemon; the caller closes it (prefer ``withClient(_:)``).
    func client() async throws -> RPCClient {
        try await RPCClient.connect(path: socketPath)
    }

    /// Starts the daemon's graceful shutdown (the harness still waits for it at the end).
    func shutDownDaemon() async {
        await group.triggerGracefulShutdown()
    }

    /// A started machine in ``app``; returns its id.
    func seedMachine() throws -> String {
        guard let id = simulator.seedMachine(app: Self.app, state: .started)["id"]?.stringValue else {
            throw RPCError(code: .internalError, message: "the simulator seeded no machine")
        }
        return id
    }

    /// The simulator's lease on `machine` (asked directly, not through the daemon), or nil.
    func upstreamLease(_ machine: String) async throws -> Flygate_Machines_V1_Lease? {
        var request = Flygate_Machines_V1_ShowLeaseRequest()
        request.appName = Self.app
        request.machineID = machine
        do {
            return try await upstream.showLease(request).body
        } catch let error as FlyAPIError where error.code == .notFound {
            return nil
        }
    }
}
