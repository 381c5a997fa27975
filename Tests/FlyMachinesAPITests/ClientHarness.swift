import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Logging
import NIOCore
import Synchronization
import Testing

/// A running simulator plus a `FlyMachinesClient` pointed at it, torn down after `body`.
struct ClientHarness: Sendable {
    let simulator: FlyMachinesSimulator
    let client: FlyMachinesClient

    /// The token the harness's client presents.
    static let token = "fm2_harness-secret-token"

    /// Runs `body` against a fresh simulator (rate limits off, 15 ms transitions) and a client
    /// (its limiter off, 10 ms backoffs) unless the closures say otherwise.
    static func with(
        simulator configureSimulator: (inout FlyMachinesSimulator.Configuration) -> Void = { _ in },
        client configureClient: (inout FlyMachinesClient.Configuration) -> Void = { _ in },
        token: String = token, observer: (any UpstreamObserver)? = nil, logger: Logger = Logger(label: "test"),
        group: (any EventLoopGroup)? = nil, _ body: (ClientHarness) async throws -> Void
    ) async throws {
        var simulatorConfiguration = FlyMachinesSimulator.Configuration.defaults
        simulatorConfiguration.rateLimits = false
        simulatorConfiguration.transitionDelay = .milliseconds(15)
        simulatorConfiguration.token = token
        configureSimulator(&simulatorConfiguration)
        let simulator = FlyMachinesSimulator(configuration: simulatorConfiguration)
        try await simulator.withRunning { simulator in
            var configuration = FlyMachinesClient.Configuration.defaults
            configuration.baseURL = try #require(simulator.baseURL)
            configuration.rateLimits.enabled = false
            configuration.retry = UpstreamRetryPolicy(
                maxAttempts: 4, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(50))
            configureClient(&configuration)
            let client = try FlyMachinesClient(
                configuration: configuration, credentials: try FlyCredentials(token: token), eventLoopGroup: group,
                observer: observer, logger: logger)
            do {
                try await body(ClientHarness(simulator: simulator, client: client))
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    /// A machine seeded in `app` in `state`; returns its id.
    func seed(app: String = "demo", state: MachineState = .started) throws -> String {
        try #require(simulator.seedMachine(app: app, state: state)["id"]?.stringValue)
    }
}

/// A Show of machine `id` in `app`.
func showRequest(_ id: String, app: String) -> Flygate_Machines_V1_ShowRequest {
    var request = Flygate_Machines_V1_ShowRequest()
    (request.appName, request.machineID) = (app, id)
    return request
}

/// Collects every attempt the client reports.
final class RecordingObserver: UpstreamObserver {
    private let recorded = Mutex<[UpstreamAttempt]>([])

    /// Every attempt so far.
    var attempts: [UpstreamAttempt] { recorded.withLock { $0 } }

    func attemptFinished(_ attempt: UpstreamAttempt) {
        recorded.withLock { $0.append(attempt) }
    }
}

/// A swift-log handler that keeps every line (message and metadata) in memory.
struct CapturingLogHandler: LogHandler {
    /// The shared store of lines.
    final class Store: Sendable {
        private let lines = Mutex<[String]>([])
        var all: [String] { lines.withLock { $0 } }
        func append(_ line: String) { lines.withLock { $0.append(line) } }
    }

    let store: Store
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .trace

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        var all = metadata
        for (key, value) in event.metadata ?? [:] { all[key] = value }
        store.append("\(event.level) \(event.message) \(all) \(event.error.map { "\($0)" } ?? "")")
    }

    /// A trace-level logger writing to `store`.
    static func logger(_ store: Store) -> Logger {
        Logger(label: "capture") { _ in CapturingLogHandler(store: store) }
    }
}
