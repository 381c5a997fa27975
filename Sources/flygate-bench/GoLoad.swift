import FlyGateHarness
import FlyGateJSON
import Foundation

/// A Go load generator of `clients/go` that drives rows beside the Swift client's, or why those
/// rows are skipped: `flygate-grpc-load` (grpc-go, the gRPC rows) or `flygate-ttrpc-load`
/// (containerd's Go ttrpc client, and Go's net/http for Show made directly: the reference rows).
///
/// Both take the same flags and print the same JSON line (their shared `loadgen` package), so
/// one type runs either. Without the program (no Go, a missing Debian package, not run from
/// the repository root) every row it would make says why it was skipped instead of carrying
/// numbers.
struct GoLoad: Sendable {
    /// The program's name, for messages.
    let name: String
    let program: GoProgram

    /// Where the calls go.
    enum Target: Sendable {
        /// A ttrpc or gRPC Unix socket: the daemon's, or the Go echo server's.
        case socket(String)
        /// Show made directly over HTTP to the Machines API at this base URL (without `/v1`),
        /// with this token (flygate-ttrpc-load only).
        case directHTTP(baseURL: String, token: String)
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
        /// Show calls go through the coalescing stage (the load tool's `-no-coalesce=false`),
        /// not past it as in the other rows.
        var coalescing = false
    }

    /// The row for `variant` of `scenario`: `shape` against the stack's daemon, with the
    /// daemon's CPU time per call (and the simulator's, for Show).
    func row(
        scenario: String, variant: String, stack: BenchStack, shape: Shape,
        extra: (BenchReportFigures) -> [(String, JSONValue)] = { _ in [] }
    ) async -> BenchRow {
        await row(
            scenario: scenario, variant: variant, target: .socket(stack.socketPath),
            cpuOf: (stack.daemon.processIdentifier, "daemon"), upstream: shape.show == nil ? nil : stack.simulator.processIdentifier,
            shape: shape, extra: extra)
    }

    /// The row for `variant` of `scenario`: the load generator's measurement of `shape` against
    /// `target`, or a row that says why there is none. `cpuOf` names a process whose CPU time
    /// per call the row carries (as `<name>_cpu_us_per_call`), `upstream` the simulator whose
    /// CPU time per call it carries as `simulator_cpu_us_per_call`; every row carries the load
    /// generator's own as `client_cpu_us_per_call`. `extra` adds figures computed from the
    /// report (ratios to other rows).
    func row(
        scenario: String, variant: String, target: Target, cpuOf: (process: Int32, name: String)?, upstream: Int32? = nil,
        shape: Shape, extra: (BenchReportFigures) -> [(String, JSONValue)] = { _ in [] }
    ) async -> BenchRow {
        switch program {
        case .skipped(let reason):
            return BenchRow(scenario: scenario, variant: variant, figures: [("skipped", .string(reason))])
        case .ready(let binary):
            do {
                let figures = try await measure(binary, target: target, cpuOf: cpuOf?.process, upstream: upstream, shape: shape)
                var row = figures.row(scenario: scenario, variant: variant, cpuName: cpuOf?.name, extra: extra(figures))
                // A count the duration cut short is not the load shape asked for: say so.
                if shape.calls != nil && figures.endedByDuration { row.figures.append(("ended_by", .string("duration"))) }
                return row
            } catch {
                return BenchRow(scenario: scenario, variant: variant, figures: [("failed", .string("\(error)"))])
            }
        }
    }

    /// Runs the program once; it ends by itself (its own bounds), and is killed past them.
    private func measure(
        _ binary: String, target: Target, cpuOf process: Int32?, upstream: Int32?, shape: Shape
    ) async throws -> BenchReportFigures {
        let warmupLimit = shape.warmupLimit
        let callTimeout = Duration.seconds(10)
        var arguments = [
            "-method", shape.method,
            "-connections", "\(shape.connections)", "-inflight", "\(shape.inFlight)",
            "-duration", "\(BenchReport.seconds(shape.duration))", "-warmup", "\(shape.warmup)",
            "-warmup-limit", "\(warmupLimit.components.seconds)s", "-timeout", "\(callTimeout.components.seconds)s",
        ]
        // The token goes in the environment, where the daemon reads its own, not on the command line.
        var environment: [String: String] = [:]
        switch target {
        case .socket(let path):
            arguments += ["-socket", path]
        case .directHTTP(let baseURL, let token):
            arguments += ["-url", baseURL]
            environment["FLY_API_TOKEN"] = token
        }
        if let process { arguments += ["-daemon-pid", "\(process)"] }
        if let upstream { arguments += ["-upstream-pid", "\(upstream)"] }
        if let calls = shape.calls { arguments += ["-calls", "\(calls)"] }
        if let show = shape.show { arguments += ["-app", show.app, "-machine", show.machine] }
        if shape.coalescing { arguments += ["-no-coalesce=false"] }
        let (status, output) = try await ChildProcess.run(
            binary, arguments, environment: BenchProcesses.environment(environment),
            timeout: warmupLimit + shape.duration + callTimeout + .seconds(30))
        let line = output.split(separator: "\n").last { $0.hasPrefix("{") }
        guard status == 0, let line else {
            throw BenchFailure("\(name) exited \(status): \(output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
        return try BenchReportFigures(parsing: String(line), from: name)
    }
}

/// A Go load generator's JSON line, as the figures of a bench row.
struct BenchReportFigures: Sendable {
    var calls: Int
    var failures: Int
    var seconds: Double
    /// Nearest-rank latency percentiles in milliseconds, keyed as `BenchRow.percentiles`.
    var percentiles: [Double: Double]
    /// The CPU time of the process given with `-daemon-pid`, when one was.
    var processCPU: Duration?
    /// The write system calls that process made (its answers, upstream requests, audit lines).
    var processWrites: Int?
    /// The CPU time of the process given with `-upstream-pid` (the simulator), when one was.
    var upstreamCPU: Duration?
    /// The load generator's own CPU time.
    var clientCPU: Duration?
    var endedByDuration: Bool
    var firstError: String?

    init(parsing line: String, from program: String) throws {
        let json = try JSONValue(parsing: line)
        func int(_ key: String) throws -> Int {
            guard let value = json[key]?.int64Value else { throw BenchFailure("\(program): no \(key) in \(line)") }
            return Int(value)
        }
        calls = try int("calls")
        failures = try int("errors")
        guard let seconds = json["seconds"]?.doubleValue, seconds > 0 else { throw BenchFailure("\(program): no seconds in \(line)") }
        self.seconds = seconds
        var percentiles: [Double: Double] = [:]
        for percentile in BenchRow.percentiles {
            let key = "p\(percentile.formatted(.number.grouping(.never)))"
            guard let micros = json["percentiles_us"]?[key]?.int64Value else { throw BenchFailure("\(program): no \(key) in \(line)") }
            percentiles[percentile] = Double(micros) / 1000
        }
        self.percentiles = percentiles
        func cpu(_ key: String) -> Duration? { json[key]?.doubleValue.map { .milliseconds(Int(($0 * 1000).rounded())) } }
        processCPU = cpu("daemon_cpu_seconds")
        upstreamCPU = cpu("upstream_cpu_seconds")
        clientCPU = cpu("client_cpu_seconds")
        processWrites = json["daemon_write_syscalls"]?.int64Value.map { Int($0) }
        endedByDuration = json["ended_by"]?.stringValue == "duration"
        firstError = json["first_error"]?.stringValue
    }

    var p50: Double { percentiles[50] ?? 0 }
    var callsPerSecond: Double { Double(calls) / seconds }

    /// The row: the same figures, in the same order, as a row from a `BenchReport`; the CPU time
    /// per call (when measured) as `<cpuName>_cpu_us_per_call`, and its write system calls per
    /// call as `<cpuName>_writes_per_call`; the simulator's and the load generator's CPU time
    /// per call as `simulator_cpu_us_per_call` and `client_cpu_us_per_call`.
    func row(scenario: String, variant: String, cpuName: String?, extra: [(String, JSONValue)]) -> BenchRow {
        var figures: [(String, JSONValue)] = [
            ("calls", .int(calls)),
            ("failures", .int(failures)),
            ("calls_per_second", .int(Int(callsPerSecond.rounded()))),
            ("p50_ms", .double(percentiles[50] ?? 0)),
            ("p99_ms", .double(percentiles[99] ?? 0)),
        ]
        figures += extra
        if let processCPU, let cpuName { figures += DaemonScenarios.cpuFigures(processCPU, calls: calls, of: cpuName) }
        if let processWrites, let cpuName, calls > 0 {
            figures.append(("\(cpuName)_writes_per_call", .double((Double(processWrites) / Double(calls) * 100).rounded() / 100)))
        }
        for (name, cpu) in [("simulator", upstreamCPU), ("client", clientCPU)] {
            if let cpu { figures.append(("\(name)_cpu_us_per_call", .double(DaemonScenarios.microsecondsPerCall(cpu, calls: calls)))) }
        }
        if let firstError { figures.append(("first_error", .string(firstError))) }
        var row = BenchRow(scenario: scenario, variant: variant, figures: figures)
        row.distribution = BenchRow.percentiles.map { ($0, percentiles[$0] ?? 0) }
        return row
    }
}
