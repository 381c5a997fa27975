import FlyGateTestSupport

/// A standalone `flygate simulator` process on a free loopback port.
final class SimulatorProcess: Sendable {
    private let child: ChildProcess
    /// `http://127.0.0.1:PORT` (without `/v1`), for `--upstream`.
    let baseURL: String

    /// Starts one, runs `body` with it and stops it on every exit path.
    static func with<T>(arguments: [String] = [], _ body: (SimulatorProcess) async throws -> T) async throws -> T {
        try await withResource({ try await start(arguments: arguments) }, release: { await $0.stop() }, body)
    }

    static func start(arguments: [String] = []) async throws -> SimulatorProcess {
        let (child, baseURL) = try await ChildProcess.simulator(DaemonProcess.binary, arguments: arguments)
        return SimulatorProcess(child: child, baseURL: baseURL)
    }

    private init(child: ChildProcess, baseURL: String) {
        self.child = child
        self.baseURL = baseURL
    }

    var log: String { child.text }

    func stop() async {
        await child.kill()
    }
}

extension SimulatorProcess {
    /// One that insists on `token`, with rate limits off and short transitions.
    static func with<T>(token: String, _ body: (SimulatorProcess) async throws -> T) async throws -> T {
        try await with(arguments: ["--no-rate-limits", "--token", token, "--transition-delay-ms", "5"], body)
    }
}

extension DaemonProcess {
    /// A daemon in front of a simulator of its own (``SimulatorProcess/with(token:_:)``), holding
    /// `token`, its rate limits off; `arguments` go after `--upstream`. Both are stopped on every
    /// exit path.
    static func withSimulator<T>(
        token: String,
        config: String? = nil,
        arguments: [String] = [],
        _ body: (DaemonProcess) async throws -> T
    ) async throws -> T {
        try await SimulatorProcess.with(token: token) { simulator in
            try await with(
                config: config, arguments: ["--upstream", simulator.baseURL, "--no-rate-limits"] + arguments,
                environment: ["FLY_API_TOKEN": token], body)
        }
    }
}
