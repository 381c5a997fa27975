import FlyGateJSON

/// Runs `callers` concurrent loops of calls and gathers a report.
enum BenchLoad {
    /// Each caller makes `callsPerCaller` calls, or calls until `duration` has passed.
    static func run(
        scenario: String,
        callers: Int,
        callsPerCaller: Int? = nil,
        duration: Duration? = nil,
        call: @escaping @Sendable (_ caller: Int) async throws -> Void
    ) async -> BenchReport {
        await measure(scenario: scenario, callers: callers, share: { _ in callsPerCaller }, duration: duration) { caller, _ in
            try await call(caller)
        }
    }

    /// `calls` calls shared out among `callers` (the first `calls % callers` make one more);
    /// `call` gets its caller and its index among that caller's calls.
    static func run(
        scenario: String,
        callers: Int,
        calls: Int,
        call: @escaping @Sendable (_ caller: Int, _ index: Int) async throws -> Void
    ) async -> BenchReport {
        await measure(
            scenario: scenario, callers: callers, share: { calls / callers + ($0 < calls % callers ? 1 : 0) }, duration: nil,
            call: call)
    }

    private static func measure(
        scenario: String,
        callers: Int,
        share: (_ caller: Int) -> Int?,
        duration: Duration?,
        call: @escaping @Sendable (_ caller: Int, _ index: Int) async throws -> Void
    ) async -> BenchReport {
        let clock = ContinuousClock()
        let start = clock.now
        let end = duration.map { start + $0 }
        let (latencies, failures) = await withTaskGroup(of: ([Duration], Int).self) { group in
            for caller in 0..<callers {
                let callsPerCaller = share(caller)
                group.addTask {
                    var latencies: [Duration] = []
                    latencies.reserveCapacity(callsPerCaller ?? 4096)
                    var failures = 0
                    var made = 0
                    while true {
                        if let callsPerCaller, made >= callsPerCaller { break }
                        if let end, clock.now >= end { break }
                        let begun = clock.now
                        do { try await call(caller, made) } catch { failures += 1 }
                        latencies.append(clock.now - begun)
                        made += 1
                    }
                    return (latencies, failures)
                }
            }
            var all: [Duration] = []
            var failures = 0
            for await (latencies, failed) in group {
                all += latencies
                failures += failed
            }
            return (all, failures)
        }
        return BenchReport(
            scenario: scenario, calls: latencies.count - failures, failures: failures, elapsed: clock.now - start,
            latencies: latencies)
    }
}

/// One row of the summary table and of the JSON file.
struct BenchRow: Sendable {
    var scenario: String
    var variant: String
    var figures: [(name: String, value: JSONValue)]
    /// Latency percentiles in milliseconds (JSON only, for the chart).
    var distribution: [(percentile: Double, milliseconds: Double)] = []
    /// What a performance target reads this row as (``PerformanceTargets``); nil for the rest.
    var measures: PerformanceTargets.Row?

    /// The percentiles the JSON file (and so the chart) carries.
    static let percentiles: [Double] = [1, 5, 10, 25, 50, 75, 90, 95, 99, 99.9]

    init(_ report: BenchReport, variant: String, extra: [(String, JSONValue)] = []) {
        scenario = report.scenario
        self.variant = variant
        distribution = Self.percentiles.map { ($0, Self.milliseconds(report.quantile($0 / 100))) }
        figures = [
            ("calls", .int(report.calls)),
            ("failures", .int(report.failures)),
            ("calls_per_second", .int(Int(report.callsPerSecond.rounded()))),
            ("p50_ms", .double(Self.milliseconds(report.quantile(0.5)))),
            ("p99_ms", .double(Self.milliseconds(report.quantile(0.99)))),
        ] + extra
    }

    init(scenario: String, variant: String, figures: [(String, JSONValue)]) {
        self.scenario = scenario
        self.variant = variant
        self.figures = figures.map { (name: $0.0, value: $0.1) }
    }

    /// Milliseconds rounded to microseconds.
    static func milliseconds(_ duration: Duration) -> Double {
        (BenchReport.seconds(duration) * 1e6).rounded() / 1e3
    }

    var json: JSONValue {
        var object = JSONObject()
        object.append("scenario", .string(scenario))
        object.append("variant", .string(variant))
        for figure in figures { object.append(figure.name, figure.value) }
        if !distribution.isEmpty {
            var percentiles = JSONObject()
            for (percentile, milliseconds) in distribution {
                percentiles.append("p\(percentile.formatted(.number.grouping(.never)))", .double(milliseconds))
            }
            object.append("latency_ms_percentiles", .object(percentiles))
        }
        return .object(object)
    }

    /// The rows as one Markdown table: calls/s, p50 and p99 in columns of their own (empty for
    /// rows without them), every other figure as `name=value` in the last.
    static func markdownTable(_ rows: [BenchRow]) -> String {
        let columns = ["calls_per_second", "p50_ms", "p99_ms"]
        var lines = ["| scenario | variant | calls/s | p50 ms | p99 ms | other |", "|---|---|---:|---:|---:|---|"]
        for row in rows {
            let cells = columns.map { name in row.figures.first { $0.name == name }.map { $0.value.serialized } ?? "" }
            let other = row.figures.filter { !columns.contains($0.name) }.map { "\($0.name)=\($0.value.serialized)" }
            lines.append("| \(row.scenario) | \(row.variant) | \(cells.joined(separator: " | ")) | \(other.joined(separator: " ")) |")
        }
        return lines.joined(separator: "\n")
    }

    /// `name=value` pairs for the table.
    var summary: String {
        figures.map { "\($0.name)=\($0.value.serialized)" }.joined(separator: " ")
    }

    /// The row, marked as what `measures` says.
    func measuring(_ measures: PerformanceTargets.Row?) -> BenchRow {
        var row = self
        row.measures = measures
        return row
    }
}
