// FlyMachinesSimulator: a stateful, faithful fake of Fly.io's Machines REST API over loopback
// HTTP/1.1, for `flygate serve` without a token, `flygate simulator`, and tests.
//
// It serves every operation of Fly's Machines API document except the credential-minting ones:
// machines, apps, IP assignments, volumes, secrets, secret keys, TLS certificates, regions and
// placements. It works at the JSON level (FlyGateJSON) with NIO's HTTP codec, uses swift-crypto
// for secret keys and digests, and imports nothing of the daemon (no FlyGateCore, no
// FlyMachinesProto). State lives in one `MachineStore`; run-time switches (faults, rate limits,
// counters, recorded exchanges) in one `SimulatorControl`.

import FlyGateJSON
import Logging
import NIOCore
import NIOPosix

/// The Machines API simulator: bind with `start()`, serve with `run()`, stop with `shutdown()`.
package final class FlyMachinesSimulator: Sendable {
    /// The settings, fixed at creation.
    package let configuration: Configuration
    private let logger: Logger
    private let store: MachineStore
    private let control: SimulatorControl
    private let server: HTTPServer

    /// A simulator; nothing listens until `start()`.
    package init(
        configuration: Configuration = .defaults,
        logger: Logger = Logger(label: "flygate.simulator", factory: { _ in SwiftLogNoOpLogHandler() })
    ) {
        self.configuration = configuration
        self.logger = logger
        self.store = MachineStore(
            leaseOwner: configuration.leaseOwner, transitionDelay: configuration.transitionDelay,
            eventLoop: MultiThreadedEventLoopGroup.singleton.next())
        self.control = SimulatorControl(faults: configuration.faults)
        self.server = HTTPServer(maxBodyBytes: configuration.maxBodyBytes, logger: logger)
    }

    /// Binds the listener and returns its address (with the real port when `port` was 0).
    @discardableResult
    package func start() async throws -> SocketAddress {
        try configuration.validate()
        let address = try await server.bind(host: configuration.host, port: configuration.port)
        logger.debug("Simulator listening", metadata: ["simulator.address": "\(address)"])
        return address
    }

    /// Serves until `shutdown()`; binds first when `start()` was not called. Returns at once
    /// when `shutdown()` came first (as it may for `withRunning`'s body that needs no request:
    /// on a loaded machine this task can start after the body has ended).
    package func run() async throws {
        if server.isUnbound {
            do {
                try await start()
            } catch where server.isClosed {
                return
            }
        }
        let handler = RequestHandler(
            store: store, control: control, token: configuration.token, rateLimits: configuration.rateLimits,
            recordExchanges: configuration.recordExchanges, logger: logger)
        try await server.run(handler: handler)
    }

    /// Ends pending waits, stops accepting and closes every connection; `run()` then returns.
    package func shutdown() {
        store.shutdown()
        server.close()
    }

    /// Starts, runs `body` while serving, then shuts down and waits for the server to finish.
    package func withRunning<Result: Sendable>(
        _ body: (FlyMachinesSimulator) async throws -> Result
    ) async throws -> Result {
        try await start()
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await self.run() }
            do {
                let result = try await body(self)
                shutdown()
                try await group.waitForAll()
                return result
            } catch {
                shutdown()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    /// The bound address, once started.
    package var boundAddress: SocketAddress? { server.localAddress }

    /// The bound port, once started.
    package var boundPort: Int? { server.localAddress?.port }

    /// `http://host:port` for clients, once started.
    package var baseURL: String? {
        guard let port = boundPort else { return nil }
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        return "http://\(host):\(port)"
    }

    /// The fault switches, changeable while running.
    package var faults: SimulatorFaults {
        get { control.faults }
        set { control.faults = newValue }
    }

    /// Requests that reached `operation` (faulted ones included) since the last reset.
    package func requestCount(for operation: SimulatorOperation) -> Int { control.count(for: operation) }

    /// Every non-zero request counter.
    package var requestCounts: [SimulatorOperation: Int] { control.counts }

    /// TCP connections accepted since start (a client's pool reuse shows here).
    package var acceptedConnections: Int { server.acceptedConnections }

    /// Zeroes the request counters.
    package func resetCounters() { control.resetCounts() }

    /// Exchanges recorded while `configuration.recordExchanges` is on.
    package var exchanges: [SimulatorExchange] { control.exchanges }

    /// Forgets the recorded exchanges.
    package func clearExchanges() { control.clearExchanges() }

    /// Adds a machine directly in `state` (no transitions, one `launch` event) and returns its
    /// `Machine` JSON: for tests and demos that need a populated app.
    @discardableResult
    package func seedMachine(
        app: String, config: JSONValue = ["image": "registry.fly.io/demo:latest"], name: String? = nil,
        region: String = "iad", state: MachineState = .started
    ) -> JSONValue {
        let machine = (try? store.update { store, now in
            store.seed(app: app, config: config, name: name, region: region, state: state, now: now)
        })
        return machine?.json() ?? .null
    }
}
