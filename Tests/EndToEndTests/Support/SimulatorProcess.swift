import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A standalone `flygate simulator` process on a free loopback port, rate limits off.
final class SimulatorProcess: Sendable {
    let baseURL: String
    private let process: Process

    private init(process: Process, baseURL: String) {
        self.process = process
        self.baseURL = baseURL
    }

    /// Starts one that insists on `token`, and waits for its address.
    static func start(token: String) async throws -> SimulatorProcess {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: DaemonProcess.binary)
        process.arguments = ["simulator", "--listen", "127.0.0.1:0", "--no-rate-limits", "--token", token, "--transition-delay-ms", "5"]
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        let output = CapturedOutput()
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { output.append(data) }
        }
        try process.run()
        let deadline = ContinuousClock.now + .seconds(20)
        while true {
            let text = output.text
            if let range = text.range(of: "at http://"), let end = text[range.upperBound...].range(of: "/v1") {
                return SimulatorProcess(process: process, baseURL: "http://" + text[range.upperBound..<end.lowerBound])
            }
            if !process.isRunning || ContinuousClock.now > deadline {
                process.terminate()
                throw TestFailure("the simulator did not start: \(output.text)")
            }
            try await Task.sleep(for: .milliseconds(10))
        }
    }

    func stop() {
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}
