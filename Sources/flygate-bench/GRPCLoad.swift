import FlyGateHarness
import FlyGateJSON
import Foundation

/// The Go load generator (`clients/go/load`, google.golang.org/grpc) that drives the gRPC
/// rows beside the ttrpc ones, or why those rows are skipped.
///
/// It is built with `clients/go/build.sh` when the bench starts: offline, from Debian's Go
/// packages. Without them, or outside the repository root, every gRPC row says why it was
/// skipped instead of carrying numbers.
enum GRPCLoad: Sendable {
    case ready(binary: String)
    case skipped(reason: String)

    /// The build script, relative to the repository root (where `all` is run from).
    static let buildScript = "clients/go/build.sh"
    /// Where the program and Go's build cache go, so a second run compiles nothing.
    static let buildDirectory = ".build/flygate-grpc-load"
    /// How long the build may take (a first build of grpc-go on two busy cores takes a minute or two).
    static let buildLimit = Duration.seconds(600)

    /// A prebuilt program at `binary`; else `clients/go/build.sh`'s, or the reason there is none.
    static func prepare(enabled: Bool, binary: String?) async -> GRPCLoad {
        guard enabled else { return .skipped(reason: "--no-grpc") }
        if let binary {
            guard FileManager.default.isExecutableFile(atPath: binary) else { return .skipped(reason: "no program at \(binary)") }
            return .ready(binary: binary)
        }
        guard FileManager.default.isExecutableFile(atPath: buildScript) else {
            return .skipped(reason: "\(buildScript) not found: run from the repository root")
        }
        let output = FileManager.default.currentDirectoryPath + "/" + buildDirectory
        FileHandle.standardError.write(Data("flygate-bench: building the gRPC load generator (\(buildScript))\n".utf8))
        // The environment without Fly's variables, but with build.sh's own.
        var environment = ["FLYGATE_GOCACHE": output + "/cache"]
        environment["FLYGATE_GO_SYSTEM_PATH"] = ProcessInfo.processInfo.environment["FLYGATE_GO_SYSTEM_PATH"]
        do {
            // timeout(1) runs the script in a process group of its own and ends the whole group
            // (go, its compilers) when the limit passes; the outer limit is only a backstop.
            let (status, text) = try await ChildProcess.run(
                "/usr/bin/env",
                ["timeout", "--kill-after=10", "\(buildLimit.components.seconds)", buildScript, output],
                environment: BenchProcesses.environment(environment),
                timeout: buildLimit + .seconds(30))
            guard status == 0 else { return .skipped(reason: complaint(in: text, status: status)) }
        } catch {
            return .skipped(reason: "\(buildScript) did not finish: \(error)")
        }
        return .ready(binary: output + "/flygate-grpc-load")
    }

    /// The line of a failed build that says what went wrong: the script's own (what is
    /// missing), else its last line and exit status.
    static func complaint(in text: String, status: Int32) -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let own = lines.first(where: { $0.hasPrefix(buildScript + ":") }) { return own }
        return "\(buildScript) failed (exit \(status)): \(lines.last ?? "no output")"
    }

    /// What to measure: `method` over `connections` connections × `inFlight` calls each, for
    /// `calls` calls in all (nil: as many as `duration` allows), after `warmup` calls per connection.
    struct Shape: Sendable {
        var method: String
        var connections = 1
        var inFlight: Int
        var calls: Int?
        var duration: Duration
        var warmup = 1
        /// How long the whole warm-up may take.
        var warmupLimit = Duration.seconds(60)
        var show: (app: String, machine: String)?
    }

    /// The row for `variant` of `scenario`: the load generator's measurement of `shape` against
    /// the stack's daemon, or a row that says why there is none. `extra` adds figures computed
    /// from the report (ratios to other rows).
    func row(
        scenario: String, variant: String, stack: BenchStack, shape: Shape,
        extra: (BenchReportFigures) -> [(String, JSONValue)] = { _ in [] }
    ) async -> BenchRow {
        switch self {
        case .skipped(let reason):
            return BenchRow(scenario: scenario, variant: variant, figures: [("skipped", .string(reason))])
        case .ready(let binary):
            do {
                let figures = try await Self.measure(binary, stack: stack, shape: shape)
                var row = figures.row(scenario: scenario, variant: variant, extra: extra(figures))
                // A count the duration cut short is not the load shape asked for: say so.
                if shape.calls != nil && figures.endedByDuration { row.figures.append(("ended_by", .string("duration"))) }
                return row
            } catch {
                return BenchRow(scenario: scenario, variant: variant, figures: [("failed", .string("\(error)"))])
            }
        }
    }

    /// Runs the program once; it ends by itself (its own bounds), and is killed past them.
    static func measure(_ binary: String, stack: BenchStack, shape: Shape) async throws -> BenchReportFigures {
        let warmupLimit = shape.warmupLimit
        let callTimeout = Duration.seconds(10)
        var arguments = [
            "-socket", stack.socketPath, "-method", shape.method,
            "-connections", "\(shape.connections)", "-inflight", "\(shape.inFlight)",
            "-duration", "\(BenchReport.seconds(shape.duration))", "-warmup", "\(shape.warmup)",
            "-warmup-limit", "\(warmupLimit.components.seconds)s", "-timeout", "\(callTimeout.components.seconds)s",
            "-daemon-pid", "\(stack.daemon.processIdentifier)",
        ]
        if let calls = shape.calls { arguments += ["-calls", "\(calls)"] }
        if let show = shape.show { arguments += ["-app", show.app, "-machine", show.machine] }
        let (status, output) = try await ChildProcess.run(
            binary, arguments, environment: BenchProcesses.environment(),
            timeout: warmupLimit + shape.duration + callTimeout + .seconds(30))
        let line = output.split(separator: "\n").last { $0.hasPrefix("{") }
        guard status == 0, let line else {
            throw BenchFailure("flygate-grpc-load exited \(status): \(output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return try BenchReportFigures(parsing: String(line))
    }
}

/// The load generator's JSON line, as the figures of a bench row.
struct BenchReportFigures: Sendable {
    var calls: Int
    var failures: Int
    var seconds: Double
    /// Nearest-rank latency percentiles in milliseconds, keyed as `BenchRow.percentiles`.
    var percentiles: [Double: Double]
    var daemonCPU: Duration
    var endedByDuration: Bool
    var firstError: String?

    init(parsing line: String) throws {
        let json = try JSONValue(parsing: line)
        func int(_ key: String) throws -> Int {
            guard let value = json[key]?.int64Value else { throw BenchFailure("flygate-grpc-load: no \(key) in \(line)") }
            return Int(value)
        }
        calls = try int("calls")
        failures = try int("errors")
        guard let seconds = json["seconds"]?.doubleValue, seconds > 0 else { throw BenchFailure("flygate-grpc-load: no seconds in \(line)") }
        self.seconds = seconds
        var percentiles: [Double: Double] = [:]
        for percentile in BenchRow.percentiles {
            let key = "p\(percentile.formatted(.number.grouping(.never)))"
            guard let micros = json["percentiles_us"]?[key]?.int64Value else { throw BenchFailure("flygate-grpc-load: no \(key) in \(line)") }
            percentiles[percentile] = Double(micros) / 1000
        }
        self.percentiles = percentiles
        guard let cpu = json["daemon_cpu_seconds"]?.doubleValue else { throw BenchFailure("flygate-grpc-load: no daemon_cpu_seconds in \(line)") }
        daemonCPU = .milliseconds(Int((cpu * 1000).rounded()))
        endedByDuration = json["ended_by"]?.stringValue == "duration"
        firstError = json["first_error"]?.stringValue
    }

    var p50: Double { percentiles[50] ?? 0 }

    /// The row: the same figures, in the same order, as a row from a `BenchReport`.
    func row(scenario: String, variant: String, extra: [(String, JSONValue)]) -> BenchRow {
        var figures: [(String, JSONValue)] = [
            ("calls", .int(calls)),
            ("failures", .int(failures)),
            ("calls_per_second", .int(Int((Double(calls) / seconds).rounded()))),
            ("p50_ms", .double(percentiles[50] ?? 0)),
            ("p99_ms", .double(percentiles[99] ?? 0)),
        ]
        figures += extra + DaemonScenarios.cpuFigures(daemonCPU, calls: calls)
        if let firstError { figures.append(("first_error", .string(firstError))) }
        var row = BenchRow(scenario: scenario, variant: variant, figures: figures)
        row.distribution = BenchRow.percentiles.map { ($0, percentiles[$0] ?? 0) }
        return row
    }
}
