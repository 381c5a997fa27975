import AsyncHTTPClient
import FlyGateJSON
import FlyGateTestSupport
import FlyMachinesConformance
import FlyMachinesSimulator
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite("Server start and shutdown")
struct ServerLifecycleTests {
    @Test("start binds an ephemeral port; shutdown answers a pending wait and run() returns", .timeLimit(.minutes(1)))
    func shutdownWithWaitInFlight() async throws {
        var configuration = FlyMachinesSimulator.Configuration.defaults
        configuration.rateLimits = false
        let simulator = FlyMachinesSimulator(configuration: configuration)
        let address = try await simulator.start()
        let port = try #require(address.port)
        #expect(port > 0 && simulator.boundPort == port)
        let machine = simulator.seedMachine(app: "demo", state: .stopped)
        let id = try #require(machine["id"]?.stringValue)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await simulator.run() }
            let harness = SimulatorHarness(simulator: simulator, baseURL: try #require(simulator.baseURL))
            async let pending = harness.send(.GET, "/apps/demo/machines/\(id)/wait?state=started&timeout=60")
            try #require(try await eventually { simulator.requestCount(for: .wait) > 0 })
            try await Task.sleep(for: .milliseconds(50))
            simulator.shutdown()
            // The wait ends at once: either its 503 arrives or the connection closes; it never waits 60 s.
            let clock = ContinuousClock()
            let start = clock.now
            let status = try? await pending.status
            #expect(status == nil || status == 503)
            // A hang guard, not a speed test: well short of the wait's 60 s, far above "at once".
            #expect(clock.now - start < .seconds(30))
            try await group.waitForAll()
        }
    }

    @Test("run() after a shutdown returns at once instead of binding; withRunning with a body that sends nothing ends cleanly")
    func runAfterShutdown() async throws {
        // withRunning's serving task may start after a quick body has ended and shut down (a
        // loaded CI run saw it): run() must then return, not bind a closed server and throw.
        let simulator = FlyMachinesSimulator()
        simulator.shutdown()
        try await simulator.run()
        #expect(simulator.boundPort == nil)
        // Bound, then shut down before anything served: the listener is finished all the same
        // (NIO traps on an async channel that goes away unfinished, taking the process down).
        for _ in 0..<20 {
            let bound = FlyMachinesSimulator()
            let port = try #require(try await bound.start().port)
            // A client connects before anything serves: its connection waits in the listener.
            let client = try #require(Self.connect(port: port))
            defer { close(client) }
            try await Task.sleep(for: .milliseconds(20))
            bound.shutdown()
            try await bound.run()
        }
        for _ in 0..<20 {
            try await FlyMachinesSimulator().withRunning { _ in }
        }
    }

    @Test("cancelling run() while clients connect closes the server; no accepted connection is dropped unfinished")
    func cancelWhileConnecting() async throws {
        for _ in 0..<30 {
            let simulator = FlyMachinesSimulator()
            let port = try #require(try await simulator.start().port)
            let serving = Task { try await simulator.run() }
            var clients: [Int32] = []
            defer { for client in clients { close(client) } }
            for index in 0..<8 {
                // Once the server has closed, a connect may be refused: that is fine.
                if let client = Self.connect(port: port) { clients.append(client) }
                if index == 4 { serving.cancel() }
            }
            try await serving.value
            #expect(simulator.boundPort == nil)
        }
    }

    /// A TCP connection to 127.0.0.1:`port`, as a file descriptor; nil when refused.
    static func connect(port: Int) -> Int32? {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard fd >= 0, connected == 0 else {
            if fd >= 0 { close(fd) }
            return nil
        }
        return fd
    }

    @Test("configuration validation refuses a bad port")
    func validation() async throws {
        var configuration = FlyMachinesSimulator.Configuration.defaults
        configuration.port = 70000
        await #expect(throws: SimulatorError.self) { try await FlyMachinesSimulator(configuration: configuration).start() }
    }
}

@Suite("Schema validator")
struct SchemaValidatorTests {
    @Test(
        "finds type, enum, required and additionalProperties violations; allows only the autostop bool",
        .enabled(if: OpenAPIDocument.isRequired, "Fly's OpenAPI document is not at ../shared/fly-machines-openapi.json"))
    func catchesViolations() throws {
        let validator = SchemaValidator(document: try OpenAPIDocument.load())
        let machine: JSONValue = ["$ref": "#/components/schemas/Machine"]
        #expect(validator.validate(["id": "x", "state": "started"], against: machine).isEmpty)
        #expect(!validator.validate(["id": 5], against: machine).isEmpty)
        #expect(!validator.validate(["host_status": "sleepy"], against: machine).isEmpty)
        #expect(!validator.validate(["events": [["timestamp": "soon"]]], against: machine).isEmpty)
        #expect(!validator.validate(["events": [["timestamp": .number("1.5")]]], against: machine).isEmpty)
        let config: JSONValue = ["$ref": "#/components/schemas/fly.MachineConfig"]
        #expect(!validator.validate(["statics": [["guest_path": "/x"]]], against: config).isEmpty)
        #expect(!validator.validate(["env": ["A": 1]], against: config).isEmpty)
        #expect(validator.validate(["services": [["autostop": true]]], against: config).isEmpty)
        #expect(validator.validate(["services": [["autostop": "suspend"]]], against: config).isEmpty)
        #expect(!validator.validate(["services": [["autostop": "sometimes"]]], against: config).isEmpty)
        #expect(!validator.validate(["guest": ["cpus": true]], against: config).isEmpty)
    }
}
