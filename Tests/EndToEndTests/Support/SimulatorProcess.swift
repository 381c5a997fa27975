import FlyGateTestSupport

/// A standalone `flygate simulator` process on a free loopback port.
final class SimulatorProcess: Sendable {
    private let child: ChildProcess
    /// `http://127.0.0.1:PORT` (without `/v1`), for `--upstream`.
    let baseURL: String

    static func start(arguments: [String] = []) async throws -> SimulatorProcess {
        let (child, baseURL) = try await ChildProcess.simulator(DaemonProcess.binary, arguments: arguments)
        return SimulatorProcess(child: child, baseURL: baseURL)
    }

    private init(child: ChildProcess, baseURL: String) {
        self.child = child
        self.baseURL = baseURL
    }

    var log: String { child.text }

    func stop() {
        child.kill()
    }
}

extension SimulatorProcess {
    /// One that insists on `token`, with rate limits off and short transitions.
    static func start(token: String) async throws -> SimulatorProcess {
        try await start(arguments: ["--no-rate-limits", "--token", token, "--transition-delay-ms", "5"])
    }
}
