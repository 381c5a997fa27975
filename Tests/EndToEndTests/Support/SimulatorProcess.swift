import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A standalone `flygate simulator` process on a free loopback port.
final class SimulatorProcess: Sendable {
    private let process: Process
    private let output: CapturedOutput
    /// `http://127.0.0.1:PORT` (without `/v1`), for `--upstream`.
    let baseURL: String

    static func start(arguments: [String] = []) async throws -> SimulatorProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcess.binary)
        process.arguments = ["simulator", "--listen", "127.0.0.1:0"] + arguments
        let output = CapturedOutput()
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { output.append(data) }
        }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            if let range = output.text.range(of: "at http://"), let end = output.text[range.upperBound...].range(of: "/v1") {
                let url = "http://" + output.text[range.upperBound..<end.lowerBound]
                return SimulatorProcess(process: process, output: output, baseURL: url)
            }
            if !process.isRunning || ContinuousClock.now > deadline {
                process.terminate()
                throw TestFailure("the simulator did not start:\n\(output.text)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    private init(process: Process, output: CapturedOutput, baseURL: String) {
        self.process = process
        self.output = output
        self.baseURL = baseURL
    }

    var log: String { output.text }

    func stop() {
        if process.isRunning {
            kill(process.processIdentifier, SIGKILL)
            process.waitUntilExit()
        }
    }
}

extension SimulatorProcess {
    /// One that insists on `token`, with rate limits off and short transitions.
    static func start(token: String) async throws -> SimulatorProcess {
        try await start(arguments: ["--no-rate-limits", "--token", token, "--transition-delay-ms", "5"])
    }
}
