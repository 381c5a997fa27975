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

    /// Starts a daemon, runs `body` with it, and stops it (and removes its folder) on every
    /// exit path: a return, a thrown error, a time limit. The parameters are `start`'s.
    static func with<T>(
        config: String? = nil,
        arguments: [String] = [],
        environment: [String: String] = [:],
        directory: String? = nil,
        _ body: (DaemonProcess) async throws -> T
    ) async throws -> T {
        try await withResource(
            { try await start(config: config, arguments: arguments, environment: environment, directory: directory) },
            release: { await $0.stop() },
            body
        )
    }

    /// Starts a daemon and waits until it says it is ready. Prefer ``with(config:arguments:environment:directory:_:)``:
    /// whoever calls this must `stop()` it on every path.
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
        do {
            try await daemon.waitUntilReady()
        } catch {
            await daemon.stop()
            throw error
        }
        return daemon
    }

    /// A client connection to the daemon's socket for `body`, closed on every exit path.
    func withClient<T>(_ body: (RPCClient) async throws -> T) async throws -> T {
        try await withResource({ try await client() }, release: { await $0.close() }, body)
    }

    /// A fresh folder for a daemon (`start` makes one when given none), for a test that must know
    /// its paths before the daemon starts.
    static func makeDirectory() throws -> String {
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

    /// Whether the process is still running (it has not exited or crashed).
    var isRunning: Bool { child.isRunning }

    /// The process's resident set size in bytes, from /proc.
    var residentBytes: Int { child.residentBytes }

    /// Waits (for an event, not by polling) until the log contains `marker`; returns the log then.
    @discardableResult
    func waitForLog(containing marker: String, timeout: Duration = .seconds(10)) async throws -> String {
        try await child.waitForOutput(containing: marker, timeout: timeout)
    }

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

    /// Stops the daemon (SIGKILL if it is still running) and removes its folder; finishes in a
    /// cancelled task too.
    func stop() async {
        await child.kill()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A test precondition that did not hold.
struct TestFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Runs a command to its end (bounded by `timeout`), with `input` as its standard input when
/// given, and returns its exit status and output (stdout and stderr together).
func runCommand(
    _ executable: String,
    _ arguments: [String],
    environment: [String: String]? = nil,
    input: Data? = nil,
    timeout: Duration = .seconds(60)
) async throws -> (status: Int32, output: String) {
    try await ChildProcess.run(executable, arguments, environment: environment, input: input, timeout: timeout)
}
