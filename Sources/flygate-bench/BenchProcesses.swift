import Foundation
import Synchronization

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

    /// A fresh folder for sockets and state.
    static func temporaryDirectory() throws -> String {
        var template = Array("/tmp/fgb-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw BenchFailure("mkdtemp failed") }
        return String(cString: made)
    }
}

/// A child process whose output is watched for a line.
final class BenchChild: Sendable {
    let process: Process
    private let output = OutputBuffer()

    init(_ binary: String, _ arguments: [String], environment: [String: String] = [:]) throws {
        process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        var merged = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("FLY") }
        merged.merge(environment) { _, new in new }
        process.environment = merged
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { output.append(data) }
        }
        try process.run()
    }

    var text: String { output.text }

    /// Waits until the output contains `marker`; returns the time it took from `since`.
    @discardableResult
    func wait(for marker: String, timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while !text.contains(marker) {
            if !process.isRunning { throw BenchFailure("\(process.executableURL?.lastPathComponent ?? "child") exited:\n\(text)") }
            if ContinuousClock.now > deadline { throw BenchFailure("no \"\(marker)\" within \(timeout):\n\(text)") }
            try await Task.sleep(for: .milliseconds(1))
        }
        return text
    }

    /// Resident set size in bytes, from /proc.
    var residentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }

    /// CPU time (user and system) the process has used so far, from /proc (10 ms resolution).
    var cpuTime: Duration {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let afterName = stat.lastIndex(of: ")")
        else { return .zero }
        // Fields after "pid (comm)": state is field 3, utime 14 and stime 15 (in clock ticks).
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return .zero }
        let ticksPerSecond = max(sysconf(Int32(_SC_CLK_TCK)), 1)
        return .milliseconds((user + system) * 1000 / ticksPerSecond)
    }

    func stop() {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGTERM)
        let deadline = ContinuousClock.now + .seconds(10)
        while process.isRunning && ContinuousClock.now < deadline { usleep(5000) }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
    }
}

/// A standalone simulator and a daemon in front of it.
struct BenchStack: Sendable {
    static let token = "flygate-bench-token"
    let simulator: BenchChild
    let daemon: BenchChild
    let simulatorURL: String
    let socketPath: String
    let directory: String

    /// Starts both; `latency` is added by the simulator to every answer.
    static func start(latency: Duration = .zero, daemonArguments: [String] = []) async throws -> BenchStack {
        let binary = try BenchProcesses.flygateBinary()
        let directory = try BenchProcesses.temporaryDirectory()
        let simulator = try BenchChild(
            binary,
            ["simulator", "--listen", "127.0.0.1:0", "--token", token, "--no-rate-limits", "--log-level", "error"]
                + (latency > .zero ? ["--latency-ms", "\(latency.components.seconds * 1000 + latency.components.attoseconds / 1_000_000_000_000_000)"] : [])
        )
        let line = try await simulator.wait(for: "/v1")
        guard let start = line.range(of: "http://"), let end = line[start.lowerBound...].range(of: "/v1") else {
            throw BenchFailure("no simulator address in: \(line)")
        }
        let url = String(line[start.lowerBound..<end.lowerBound])
        let socketPath = directory + "/flygate.sock"
        let daemon = try BenchChild(
            binary,
            ["serve", "--socket", socketPath, "--state-directory", directory + "/state", "--upstream", url,
             "--no-rate-limits", "--log-level", "error"] + daemonArguments,
            environment: ["FLY_API_TOKEN": token]
        )
        try await daemon.wait(for: "ready, serving on")
        return BenchStack(simulator: simulator, daemon: daemon, simulatorURL: url, socketPath: socketPath, directory: directory)
    }

    func stop() {
        daemon.stop()
        simulator.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

/// A benchmark that could not run.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// A child's output, appended from its pipe's reader thread.
final class OutputBuffer: Sendable {
    private let data = Mutex(Data())

    func append(_ more: Data) { data.withLock { $0.append(more) } }
    var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }
}
