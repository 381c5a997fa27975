import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A child process with its stdout and stderr captured together, for the end-to-end tests and
/// the benchmarks: start it, wait for a line, signal it, read its resident size and CPU time.
///
/// Everything is driven by events, nothing polls: a thread blocks reading the child's output
/// and wakes whoever waits for a marker; the termination handler wakes whoever waits for the
/// exit. Every wait is bounded by a timeout and by the waiting task's cancellation.
package final class ChildProcess: Sendable {
    private let process: Process
    private let events: ChildEvents

    /// The environment variable that tags every process a test run starts, so that the test
    /// command's watchdog can find and stop them all (`scripts/test` sets it per suite).
    package static let watchdogTagVariable = "FLYGATE_TEST_WATCHDOG_TAG"

    /// Starts `executable` with `arguments`; `environment` replaces the inherited one when given.
    /// `input`, when given, is the child's whole standard input (else it reads /dev/null).
    package init(_ executable: String, _ arguments: [String], environment: [String: String]? = nil, input: Data? = nil) throws {
        let pipe: Pipe
        (process, pipe) = Self.process(executable, arguments, environment: environment)
        let inputFile = try input.map(Self.inputFile)
        if let inputFile { process.standardInput = inputFile }
        let events = ChildEvents(name: URL(fileURLWithPath: executable).lastPathComponent)
        self.events = events
        let process = self.process
        process.terminationHandler = { ended in
            let status = ended.terminationReason == .uncaughtSignal ? 128 + ended.terminationStatus : ended.terminationStatus
            events.exited(status)
        }
        defer { try? inputFile?.close() }  // the child has its own copy of the descriptor
        try process.run()
        events.startReading(pipe)
    }

    /// `data` in an unlinked temporary file, read from its start: unlike a pipe, writing it can
    /// neither block on a child that does not read nor raise SIGPIPE for one that already exited.
    private static func inputFile(_ data: Data) throws -> FileHandle {
        var template = Array((NSTemporaryDirectory() + "/flygate-input-XXXXXX").utf8CString)
        let descriptor = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
        guard descriptor >= 0 else { throw ChildProcessError("mkstemp failed: errno \(errno)") }
        template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
        let handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
        try handle.write(contentsOf: data)
        try handle.seek(toOffset: 0)
        return handle
    }

    /// A process for `executable` with its stdout and stderr going into one pipe, not yet run.
    /// It carries the watchdog's tag whatever environment it is given.
    package static func process(_ executable: String, _ arguments: [String], environment: [String: String]?) -> (Process, Pipe) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        if var environment {
            if let tag = ProcessInfo.processInfo.environment[watchdogTagVariable] { environment[watchdogTagVariable] = tag }
            process.environment = environment
        }
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        process.standardInput = FileHandle.nullDevice
        return (process, pipe)
    }

    /// Everything the child wrote so far.
    package var text: String { events.text }

    package var isRunning: Bool { events.exitStatus == nil }

    package var processIdentifier: Int32 { process.processIdentifier }

    /// Waits until the output contains `marker`; returns the output then. Throws when the child
    /// exits (and its output ends) first, when `timeout` passes, or when the task is cancelled.
    @discardableResult
    package func waitForOutput(containing marker: String, timeout: Duration = .seconds(30)) async throws -> String {
        let events = self.events
        do {
            return try await withTimeout(timeout, "\"\(marker)\" from \(events.name)") {
                try await events.output(containing: marker)
            }
        } catch let error as TimeoutError {
            throw ChildProcessError("\(error):\n\(text)")
        }
    }

    package func signal(_ number: Int32) {
        guard isRunning else { return }
        Glibc.kill(process.processIdentifier, number)
    }

    /// Waits for the child to end; returns its exit status, or 128 + the signal that ended it.
    package func waitForExit(timeout: Duration = .seconds(30)) async throws -> Int32 {
        let events = self.events
        do {
            return try await withTimeout(timeout, "the exit of \(events.name)") { try await events.exit() }
        } catch let error as TimeoutError {
            throw ChildProcessError("\(error):\n\(text)")
        }
    }

    /// SIGTERM, then SIGKILL after `grace`; returns once the child is gone. Works in a cancelled
    /// task too (it is what cleanup calls).
    package func stop(grace: Duration = .seconds(10)) async {
        guard isRunning else { return }
        signal(SIGTERM)
        if await events.exitIgnoringCancellation(within: grace) == nil { await kill() }
    }

    /// SIGKILL; returns once the child is gone. Works in a cancelled task too.
    package func kill() async {
        guard isRunning else { return }
        signal(SIGKILL)
        // SIGKILL cannot be caught: the termination handler runs within milliseconds.
        _ = await events.exitIgnoringCancellation(within: .seconds(30))
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
            await child.kill()
            throw error
        }
    }

    /// Runs `executable` to its end (with `input` as its standard input when given) and returns
    /// its exit status and all its output; kills it and throws when it has not ended within `timeout`.
    package static func run(
        _ executable: String,
        _ arguments: [String],
        environment: [String: String]? = nil,
        input: Data? = nil,
        timeout: Duration = .seconds(60)
    ) async throws -> (status: Int32, output: String) {
        let child = try ChildProcess(executable, arguments, environment: environment, input: input)
        do {
            let status = try await child.waitForExit(timeout: timeout)
            // The exit comes before the last output: the output ends when the pipe closes.
            let output = try await withTimeout(.seconds(5), "the end of the output of \(executable)") {
                try await child.events.outputEnd()
            }
            return (status, output)
        } catch {
            await child.kill()
            throw error
        }
    }
}

/// A child process that did not do what was expected of it.
package struct ChildProcessError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}

/// What a child did so far (its output, whether its output ended, its exit) and who waits for
/// what; every change wakes the waiters it satisfies.
private final class ChildEvents: Sendable {
    let name: String
    private let state = Mutex(State())

    private struct State {
        var output = Data()
        var outputEnded = false
        var exitStatus: Int32?
        var nextWaiter = 0
        var waiters: [Int: Waiter] = [:]
    }

    private enum Waiter {
        case output(String, CheckedContinuation<String, any Error>)
        case outputEnd(CheckedContinuation<String, any Error>)
        case exit(CheckedContinuation<Int32, any Error>)
    }

    init(name: String) { self.name = name }

    var text: String { state.withLock { String(decoding: $0.output, as: UTF8.self) } }

    var exitStatus: Int32? { state.withLock { $0.exitStatus } }

    /// Reads the child's output on a thread of its own, blocking in read(2) until end of file.
    func startReading(_ pipe: Pipe) {
        let thread = Thread { [self] in
            let descriptor = pipe.fileHandleForReading.fileDescriptor
            var buffer = [UInt8](repeating: 0, count: 64 * 1024)
            while true {
                let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
                if count > 0 {
                    self.appended(Data(buffer[0..<count]))
                } else if count < 0 && errno == EINTR {
                    continue
                } else {
                    break
                }
            }
            self.outputEnded()
            withExtendedLifetime(pipe) {}
        }
        thread.name = "output of \(name)"
        thread.start()
    }

    private func appended(_ data: Data) { settle { $0.output.append(data) } }

    private func outputEnded() { settle { $0.outputEnded = true } }

    func exited(_ status: Int32) { settle { $0.exitStatus = status } }

    /// Waits until the output contains `marker`, or fails once the child exited and its output ended.
    func output(containing marker: String) async throws -> String {
        try await wait { .output(marker, $0) }
    }

    /// Waits until the output ends (every writer closed the pipe); returns all of it.
    func outputEnd() async throws -> String {
        try await wait { .outputEnd($0) }
    }

    func exit() async throws -> Int32 {
        try await wait { .exit($0) }
    }

    /// The exit status once the child exits, or nil after `limit`; ignores cancellation.
    func exitIgnoringCancellation(within limit: Duration) async -> Int32? {
        // Detached: a cancelled caller still waits, bounded by `limit`.
        await Task.detached { [self] in try? await withTimeout(limit, "exit") { try await self.exit() } }.value
    }

    private func wait<T>(_ waiter: (CheckedContinuation<T, any Error>) -> Waiter) async throws -> T {
        let id = state.withLock { state in
            state.nextWaiter += 1
            return state.nextWaiter
        }
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
                state.withLock { $0.waiters[id] = waiter(continuation) }
                settle { _ in }
                if Task.isCancelled { cancel(id) }
            }
        } onCancel: {
            cancel(id)
        }
    }

    private func cancel(_ id: Int) {
        let removed = state.withLock { $0.waiters.removeValue(forKey: id) }
        switch removed {
        case .output(_, let continuation), .outputEnd(let continuation): continuation.resume(throwing: CancellationError())
        case .exit(let continuation): continuation.resume(throwing: CancellationError())
        case nil: break
        }
    }

    /// Applies `change`, then resumes (outside the lock) every waiter the new state satisfies.
    private func settle(_ change: (inout State) -> Void) {
        var ready: [() -> Void] = []
        state.withLock { state in
            change(&state)
            guard !state.waiters.isEmpty else { return }
            let text = String(decoding: state.output, as: UTF8.self)
            let finished = state.outputEnded && state.exitStatus != nil
            for (id, waiter) in state.waiters {
                switch waiter {
                case .output(let marker, let continuation):
                    if text.contains(marker) {
                        ready.append { continuation.resume(returning: text) }
                    } else if finished {
                        let status = state.exitStatus ?? 0
                        let name = self.name
                        ready.append {
                            continuation.resume(throwing: ChildProcessError("\(name) exited (\(status)) before \"\(marker)\":\n\(text)"))
                        }
                    } else {
                        continue
                    }
                case .outputEnd(let continuation):
                    guard state.outputEnded else { continue }
                    ready.append { continuation.resume(returning: text) }
                case .exit(let continuation):
                    guard let status = state.exitStatus else { continue }
                    ready.append { continuation.resume(returning: status) }
                }
                state.waiters[id] = nil
            }
        }
        for resume in ready { resume() }
    }
}
