import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Logging

/// A simulator in the test process that outlives the daemons pointed at it (`--upstream`),
/// with a client straight to it for looking at its state.
struct UpstreamSimulator: Sendable {
    let simulator: FlyMachinesSimulator
    let client: FlyMachinesClient
    let baseURL: String

    /// Runs `body` with a fresh simulator; shuts it down afterwards. With `recordExchanges` the
    /// simulator keeps every request it served (``FlyMachinesSimulator/exchanges``).
    static func with(recordExchanges: Bool = false, _ body: (UpstreamSimulator) async throws -> Void) async throws {
        var configuration = FlyMachinesSimulator.Configuration.defaults
        configuration.rateLimits = false
        configuration.recordExchanges = recordExchanges
        configuration.transitionDelay = .milliseconds(15)
        let simulator = FlyMachinesSimulator(configuration: configuration)
        try await simulator.withRunning { simulator in
            let baseURL = simulator.baseURL ?? ""
            var clientConfiguration = FlyMachinesClient.Configuration.defaults
            clientConfiguration.baseURL = baseURL
            clientConfiguration.rateLimits.enabled = false
            let client = try FlyMachinesClient(
                configuration: clientConfiguration, credentials: try FlyCredentials(token: "e2e-upstream-token"),
                logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
            do {
                try await body(UpstreamSimulator(simulator: simulator, client: client, baseURL: baseURL))
            } catch {
                try? await client.shutdown()
                throw error
            }
            try await client.shutdown()
        }
    }

    /// A started machine in `app`; returns its id.
    func seedMachine(app: String) throws -> String {
        guard let id = simulator.seedMachine(app: app, state: .started)["id"]?.stringValue else {
            throw TestFailure("the simulator seeded no machine")
        }
        return id
    }

    /// The lease on `machine` as the simulator has it, or nil.
    func lease(app: String, machine: String) async throws -> Flygate_Machines_V1_Lease? {
        var request = Flygate_Machines_V1_ShowLeaseRequest()
        request.appName = app
        request.machineID = machine
        do {
            return try await client.showLease(request).body
        } catch let error as FlyAPIError where error.code == .notFound {
            return nil
        }
    }
}
