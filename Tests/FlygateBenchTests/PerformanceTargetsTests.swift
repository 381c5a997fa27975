import FlyGateJSON
import Testing

@testable import flygate_bench

/// How `flygate-bench all` judges issue 19's targets from its rows.
@Suite struct PerformanceTargetsTests {
    static func row(_ measures: PerformanceTargets.Row?, _ figures: [(String, JSONValue)], variant: String = "v") -> BenchRow {
        BenchRow(scenario: "s", variant: variant, figures: figures).measuring(measures)
    }

    static func verdict(_ name: String, in verdicts: [PerformanceTargets.Verdict]) -> PerformanceTargets.Verdict? {
        verdicts.first { $0.target.name.hasPrefix(name) }
    }

    @Test("each target reads its marked row: at most and at least, met and not")
    func readsMarkedRows() throws {
        let verdicts = PerformanceTargets.judge([
            Self.row(.goShow(inFlight: 1), [("p50_ratio_to_direct", .double(2.27)), ("p50_ratio_to_go_proxy", .double(1.07))]),
            Self.row(.goHealth(connections: 4, inFlight: 16), [("calls_per_second_ratio_to_echo", .double(1.19))]),
            Self.row(.goHealth(connections: 1, inFlight: 1), [("p50_ratio_to_echo", .double(1.3))]),
        ])
        let show = try #require(Self.verdict("Show, 1 in flight, p50 through the daemon ÷ direct (Go", in: verdicts))
        #expect(show.measured == 2.27)
        #expect(show.met == false)
        let proxy = try #require(Self.verdict("Show, 1 in flight, p50 through the daemon ÷ through the minimal Go proxy", in: verdicts))
        #expect(proxy.met == true)
        #expect(Self.verdict("Health, 4 connections", in: verdicts)?.met == true)
        // A limit is inclusive.
        #expect(Self.verdict("Health, 1 × 1", in: verdicts)?.met == true)
        // The unmarked rows' targets stay unjudged.
        let swift = try #require(Self.verdict("Show, 1 in flight, p50 through the daemon ÷ direct (Swift", in: verdicts))
        #expect(swift.measured == nil)
        #expect(swift.met == nil)
    }

    @Test("a target over two rows divides one row's figure by the other's; the first marked row counts")
    func ratioOfTwoRows() throws {
        let verdicts = PerformanceTargets.judge([
            Self.row(.goShow(inFlight: 16), [("daemon_cpu_us_per_call", .double(55.6))]),
            Self.row(.goProxyShow(inFlight: 16), [("proxy_cpu_us_per_call", .double(69.5))]),
            Self.row(.goProxyShow(inFlight: 16), [("proxy_cpu_us_per_call", .double(10))], variant: "later"),
            Self.row(nil, [("daemon_cpu_us_per_call", .double(1))]),
        ])
        let cpu = try #require(Self.verdict("Show, 16 in flight, CPU per Show of the daemon", in: verdicts))
        #expect(cpu.measured == 0.8)
        #expect(cpu.met == true)
        #expect(Self.verdict("daemon CPU per Show, µs, 4 connections", in: verdicts)?.measured == nil)
    }

    @Test("a skipped row leaves its targets unjudged, in the table and in the JSON")
    func skippedRows() {
        let verdicts = PerformanceTargets.judge([Self.row(.showFloor, [("skipped", .string("--no-go-references"))])])
        let floor = Self.verdict("the floor of any proxy", in: verdicts)
        #expect(floor?.met == nil)
        #expect(floor?.json.serialized.contains("\"met\"") == false)
        #expect(PerformanceTargets.markdownTable(verdicts).contains("| the floor of any proxy, 1 in flight: (direct p50 + one Go echo round trip) ÷ direct p50 | ≤ 1.3 | not measured |  |"))
    }

    @Test("every target has a name of its own")
    func targetsAreDistinct() {
        let names = PerformanceTargets.targets.map(\.name)
        #expect(Set(names).count == names.count)
    }
}

/// The rows the CPU target reads are the median of several runs.
@Suite struct MedianRowTests {
    actor Runs {
        var values: [Double]
        init(_ values: [Double]) { self.values = values }
        func next() -> Double { values.removeFirst() }
    }

    @Test("the row is the run with the median figure, and carries every run's figure in order")
    func median() async throws {
        let runs = Runs([61.1, 55.6, 58.0])
        let row = await GoReferences.medianRow(of: 3, by: "daemon_cpu_us_per_call") {
            let value = await runs.next()
            return BenchRow(scenario: "s", variant: "run \(value)", figures: [("daemon_cpu_us_per_call", .double(value))])
        }
        #expect(row.variant == "run 58.0")
        #expect(row.figure("daemon_cpu_us_per_call") == 58.0)
        let all = try #require(row.figures.first { $0.name == "daemon_cpu_us_per_call_runs" })
        #expect(all.value.serialized == "[61.1,55.6,58]")
    }

    @Test("a run without the figure (skipped or failed) is the row, with no more runs")
    func skipped() async {
        let runs = Runs([1, 2, 3])
        let row = await GoReferences.medianRow(of: 3, by: "daemon_cpu_us_per_call") {
            _ = await runs.next()
            return BenchRow(scenario: "s", variant: "v", figures: [("skipped", .string("--no-go-references"))])
        }
        #expect(row.figure("skipped") == nil && row.figures.count == 1)
        #expect(await runs.values.count == 2)
    }
}
