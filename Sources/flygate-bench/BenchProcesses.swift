import FlyGateCore
import FlyGateHarness
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The `flygate` binary and the processes the scenarios run: a standalone simulator and a
/// daemon pointed at it, each a real process so the numbers include the real socket and
/// the real loopback HTTP.
enum BenchProcesses {
    /// `flygate` beside this binary; built in release with `swift build` when missing.
    static func flygateBinary() throws -> String {
        let here = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let beside = here.appendingPathComponent("flygate").path
        if FileManager.default.isExecutableFile(atPath: beside) { return beside }
        FileHandle.standardError.write(Data("flygate-bench: building flygate (swift build -c release --product flygate)\n".utf8))
        let build = Process()
        build.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        build.arguments = ["swift", "build", "-c", "release", "--product", "flygate"]
        try build.run()
        build.waitUntilExit()
        guard build.terminationStatus == 0, FileManager.default.isExecutableFile(atPath: beside) else {
            throw BenchFailure("could not build flygate; run `swift build -c release --product flygate` first")
        }
        return beside
    }

    /// This process's environment without Fly's variables (no token leaks into a run by
    /// accident), plus `extra`.
    static func environment(_ extra: [String: String] = [:]) -> [String: String] {
        ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("FLY") }.merging(extra) { _, new in new }
    }

    /// A fresh folder for sockets and state.
    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/fgb-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchFailure("mkdtemp failed") }
        return String(cString: made)
    }
}

/// A standalone simulator and a daemon in front of it.
struct BenchStack: Sendable {
    static let token = "flygate-bench-token"
    let simulator: ChildProcess
    let daemon: ChildProcess
    let simulatorURL: String
    let socketPath: String
    let directory: String

    /// Starts both; `latency` is added by the simulator to every answer.
    static func start(latency: Duration = .zero, daemonArguments: [String] = []) async throws -> BenchStack {
        let binary = try BenchProcesses.flygateBinary()
        let directory = try BenchProcesses.temporaryDirectory()
        var simulatorArguments = ["--token", token, "--no-rate-limits", "--log-level", "error"]
        if latency > .zero { simulatorArguments += ["--latency-ms", "\(latency.milliseconds)"] }
        let (simulator, url) = try await ChildProcess.simulator(binary, arguments: simulatorArguments)
        let socketPath = directory + "/flygate.sock"
        let daemon = try ChildProcess(
            binary,
            ["serve", "--socket", socketPath, "--state-directory", directory + "/state", "--upstream", url,
             "--no-rate-limits", "--log-level", "error"] + daemonArguments,
            environment: BenchProcesses.environment(["FLY_API_TOKEN": token])
        )
        try await daemon.waitForOutput(containing: "ready, serving on")
        return BenchStack(simulator: simulator, daemon: daemon, simulatorURL: url, socketPath: socketPath, directory: directory)
    }

    /// Starts both, runs `body` with them and stops them on every exit path.
    static func with<T>(latency: Duration = .zero, daemonArguments: [String] = [], _ body: (BenchStack) async throws -> T) async throws -> T {
        try await withResource({ try await start(latency: latency, daemonArguments: daemonArguments) }, release: { await $0.stop() }, body)
    }

    func stop() async {
        await daemon.stop()
        await simulator.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A benchmark that could not run.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
