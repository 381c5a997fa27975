import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process with its stdout and stderr captured together, for the end-to-end tests and
/// the benchmarks: start it, wait for a line, signal it, read its resident size and CPU time.
package final class ChildProcess: Sendable {
    private let process: Process
    private let output = CapturedOutput()

    /// Starts `executable` with `arguments`; `environment` replaces the inherited one when given.
    package init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil) throws {
        let pipe: Pipe
        (process, pipe) = Self.process(executable, arguments, environment: environment)
        let output = self.output
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let data = handle.availableData
            if data.isEmpty { handle.readabilityHandler = nil } else { output.append(data) }
        }
        try process.run()
    }

    /// A process for `executable` with its stdout and stderr going into one pipe, not yet run.
    package static func process(_ executable: String, _ arguments: [String], environment: [String: String]?) -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if let environment { process.environment = environment }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        return (process, pipe)
    }

    /// Everything the child wrote so far.
    package var text: String { output.text }

    package var isRunning: Bool { process.isRunning }

    package var processIdentifier: Int32 { process.processIdentifier }

    /// Waits until the output contains `marker`; returns the output then. Throws when the child
    /// exits first or `timeout` passes.
    @discardableResult
    package func waitForOutput(containing marker: String, timeout: Duration = .seconds(30)) async throws -> String {
        let deadline = ContinuousClock.now + timeout
        while true {
            let text = self.text
            if text.contains(marker) { return text }
            if !process.isRunning { throw ChildProcessError("\(name) exited (\(process.terminationStatus)) before \"\(marker)\":\n\(text)") }
            if ContinuousClock.now > deadline { throw ChildProcessError("no \"\(marker)\" from \(name) within \(timeout):\n\(text)") }
            try await Task.sleep(for: .milliseconds(2))
        }
    }

    package func signal(_ number: Int32) {
        Glibc.kill(process.processIdentifier, number)
    }

    /// Waits for the child to end; returns its exit status, or 128 + the signal that ended it.
    package func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while process.isRunning {
            if ContinuousClock.now > deadline { throw ChildProcessError("\(name) did not exit:\n\(text)") }
            try await Task.sleep(for: .milliseconds(5))
        }
        return process.terminationReason == .uncaughtSignal ? 128 + process.terminationStatus : process.terminationStatus
    }

    /// SIGTERM, then SIGKILL after `grace`; returns once the child is gone.
    package func stop(grace: Duration = .seconds(10)) {
        guard process.isRunning else { return }
        signal(SIGTERM)
        let deadline = ContinuousClock.now + grace
        while process.isRunning && ContinuousClock.now < deadline { usleep(5000) }
        kill()
    }

    /// SIGKILL; returns once the child is gone.
    package func kill() {
        guard process.isRunning else { return }
        signal(SIGKILL)
        process.waitUntilExit()
    }

    /// Resident set size in bytes, from /proc (0 once the child is gone).
    package var residentBytes: Int {
        guard let status = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
            let kilobytes = Int(line.split(separator: " ").dropFirst().first ?? "")
        else { return 0 }
        return kilobytes * 1024
    }

    /// CPU time (user and system) the child has used so far, from /proc (10 ms resolution).
    package var cpuTime: Duration {
        guard let stat = try? String(contentsOfFile: "/proc/\(process.processIdentifier)/stat", encoding: .utf8),
            let afterName = stat.lastIndex(of: ")")
        else { return .zero }
        // Fields after "pid (comm)": state is field 3, utime 14 and stime 15 (in clock ticks).
        let fields = stat[stat.index(after: afterName)...].split(separator: " ")
        guard fields.count > 12, let user = Int(fields[11]), let system = Int(fields[12]) else { return .zero }
        let ticksPerSecond = max(sysconf(Int32(_SC_CLK_TCK)), 1)
        return .milliseconds((user + system) * 1000 / ticksPerSecond)
    }

    private var name: String { process.executableURL?.lastPathComponent ?? "the child" }
}

extension ChildProcess {
    /// Starts `flygate simulator` (at `binary`) on a free loopback port with `arguments`;
    /// returns it and its base URL (`http://127.0.0.1:PORT`, without `/v1`, for `--upstream`).
    package static func simulator(_ binary: String, arguments: [String]) async throws -> (ChildProcess, baseURL: String) {
        let child = try ChildProcess(binary, ["simulator", "--listen", "127.0.0.1:0"] + arguments)
        do {
            let text = try await child.waitForOutput(containing: "/v1", timeout: .seconds(20))
            guard let start = text.range(of: "http://"), let end = text[start.lowerBound...].range(of: "/v1") else {
                throw ChildProcessError("no simulator address in: \(text)")
            }
            return (child, String(text[start.lowerBound..<end.lowerBound]))
        } catch {
            child.kill()
            throw error
        }
    }
}

/// A child process that did not do what was expected of it.
package struct ChildProcessError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// Output of a child process, appended from its pipe's reader.
final class CapturedOutput: Sendable {
    private let data = Mutex(Data())

    init() {}

    func append(_ more: Data) { data.withLock { $0.append(more) } }
    var text: String { data.withLock { String(decoding: $0, as: UTF8.self) } }
}
