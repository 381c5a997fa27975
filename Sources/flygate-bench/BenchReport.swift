/// What a scenario measured: call count, elapsed time, latencies, and scenario-specific figures.
struct BenchReport: Sendable {
    /// The scenario's name.
    var scenario: String
    /// Calls completed.
    var calls: Int
    /// Calls that failed.
    var failures: Int
    /// Wall time of the measured part.
    var elapsed: Duration
    /// Per-call latencies, sorted.
    let sorted: [Duration]
    /// Other figures, in print order.
    var extra: [(name: String, value: String)] = []

    init(
        scenario: String, calls: Int, failures: Int, elapsed: Duration, latencies: [Duration],
        extra: [(name: String, value: String)] = []
    ) {
        self.scenario = scenario
        self.calls = calls
        self.failures = failures
        self.elapsed = elapsed
        self.sorted = latencies.sorted()
        self.extra = extra
    }

    /// Calls per second.
    var callsPerSecond: Double { Double(calls) / Self.seconds(elapsed) }

    /// The `fraction` quantile (nearest rank) of the latencies.
    func quantile(_ fraction: Double) -> Duration {
        guard !sorted.isEmpty else { return .zero }
        let rank = Int((fraction * Double(sorted.count)).rounded(.up)) - 1
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// The report as aligned text lines.
    var text: String {
        var lines = [
            ("scenario", scenario),
            ("calls", "\(calls)"),
            ("failures", "\(failures)"),
            ("elapsed", Self.format(elapsed)),
            ("calls/s", String(Int(callsPerSecond.rounded()))),
            ("p50 latency", Self.format(quantile(0.5))),
            ("p99 latency", Self.format(quantile(0.99))),
        ]
        lines += extra.map { ($0.name, $0.value) }
        let width = lines.map(\.0.count).max() ?? 0
        return lines.map { $0.0 + String(repeating: " ", count: width - $0.0.count) + "  " + $0.1 }
            .joined(separator: "\n")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// Milliseconds with three decimals.
    static func format(_ duration: Duration) -> String {
        let micros = Int((seconds(duration) * 1e6).rounded())
        let fraction = String(micros % 1000)
        return "\(micros / 1000).\(String(repeating: "0", count: 3 - fraction.count))\(fraction) ms"
    }
}
