import FlyGateClient
import FlyGateTestSupport
import FlyGateWire
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A real `flygate serve` process for end-to-end tests: its own short socket path and state
/// directory under /tmp, no token (so it serves the built-in simulator), stderr captured.
final class DaemonProcess: Sendable {
    /// The folder holding the socket, state and config (mode 0711 so another uid can reach a group socket).
    let directory: String
    let socketPath: String
    let stateDirectory: String
    private let child: ChildProcess

    /// The `flygate` binary beside the test bundle (`swift build --build-tests` builds both).
    static var binary: String {
        let bundle = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for candidate in [bundle, bundle.deletingLastPathComponent()] {
            let path = candidate.appendingPathComponent("flygate").path
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent()
        return root.appendingPathComponent(".build/debug/flygate").path
    }

    /// Starts a daemon and waits until it says it is ready.
    ///
    /// - Parameters:
    ///   - config: a JSON config file's text, written to the folder and passed with `--config`.
    ///   - arguments: more `serve` flags.
    ///   - environment: more environment variables.
    static func start(
        config: String? = nil,
        arguments: [String] = [],
        environment: [String: String] = [:],
        directory existing: String? = nil
    ) async throws -> DaemonProcess {
        let directory = try existing ?? makeDirectory()
        let daemon = try DaemonProcess(directory: directory, config: config, arguments: arguments, environment: environment)
        try await daemon.waitUntilReady()
        return daemon
    }

    private static func makeDirectory() throws -> String {
        var template = Array("/tmp/fge-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        let path = String(cString: made)
        chmod(path, 0o711)
        return path
    }

    private init(directory: String, config: String?, arguments: [String], environment: [String: String]) throws {
        self.directory = directory
        socketPath = directory + "/run/flygate.sock"
        stateDirectory = directory + "/state"
        var arguments = ["serve", "--socket", socketPath, "--state-directory", stateDirectory] + arguments
        if let config {
            let path = directory + "/config.json"
            try config.write(toFile: path, atomically: true, encoding: .utf8)
            arguments += ["--config", path]
        }
        var processEnvironment = ProcessInfo.processInfo.environment.filter { key, _ in
            !key.hasPrefix("FLY") && !key.hasPrefix("FLYGATE") && key != "NOTIFY_SOCKET" && key != "LISTEN_FDS"
        }
        processEnvironment["HOME"] = directory
        processEnvironment["FLYGATE_LOG_LEVEL"] = "debug"
        processEnvironment.merge(environment) { _, new in new }

        child = try ChildProcess(Self.binary, arguments, environment: processEnvironment)
    }

    /// Everything the daemon wrote to stdout and stderr so far.
    var log: String { child.text }

    var processID: Int32 { child.processIdentifier }

    private func waitUntilReady() async throws {
        try await child.waitForOutput(containing: "flygate: ready, serving on", timeout: .seconds(20))
    }

    /// A client connection to the daemon's socket.
    func client() async throws -> RPCClient {
        try await RPCClient.connect(path: socketPath)
    }

    func signal(_ number: Int32) {
        child.signal(number)
    }

    /// Waits for the process to end and returns its exit status (or 128 + signal).
    func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        try await child.waitForExit(timeout: timeout)
    }

    /// Stops the daemon (SIGKILL if it is still running) and removes its folder.
    func stop() async {
        if child.isRunning {
            signal(SIGKILL)
            _ = try? await waitForExit()
        }
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A test precondition that did not hold.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command to completion (off the cooperative pool) and returns its exit status and output.
func runCommand(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) async throws -> (status: Int32, output: String) {
    try await withCheckedThrowingContinuation { continuation in
        DispatchQueue.global().async {
            // A blocking read to the end of file: all the output, whatever the timing.
            let (process, pipe) = ChildProcess.process(executable, arguments, environment: environment)
            do {
                try process.run()
                let data = try pipe.fileHandleForReading.readToEnd() ?? Data()
                process.waitUntilExit()
                continuation.resume(returning: (process.terminationStatus, String(decoding: data, as: UTF8.self)))
            } catch {
                continuation.resume(throwing: error)
            }
        }
    }
}
