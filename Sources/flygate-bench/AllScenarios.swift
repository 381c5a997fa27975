import ArgumentParser
import FlyGateJSON
import Foundation

/// `flygate-bench all`: every daemon scenario, a summary table, and the numbers as JSON.
struct AllScenarios: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "all",
        abstract: "Run every scenario against a real daemon and simulator; print a table and write JSON.")

    @Option(help: "Where to write the results as JSON.")
    var json = "bench-results.json"

    @Option(help: "Where to draw the latency distributions (needs python3 with matplotlib; scripts/bench-chart).")
    var chart = "bench-latency.png"

    @Option(help: "Show calls per variant in the overhead scenario.")
    var showCalls = 5000

    @Option(help: "Milliseconds the simulator adds to every answer in the second overhead run (0 skips it).")
    var latencyMs = 20

    @Option(help: "Show calls per variant in that second run.")
    var latencyShowCalls = 500

    @Option(help: "Seconds each polling-storm run lasts (coalescing on, then off).")
    var stormSeconds = 5

    @Option(help: "Seconds each Health variant runs.")
    var healthSeconds = 3

    @Option(help: "Idle connections in the memory scenario.")
    var idleConnections = 1000

    @Option(help: "Calls in the memory scenario.")
    var memoryCalls = 1_000_000

    @Option(help: "Stop, start and restart cycles of the watched machine in the watch scenario.")
    var watchCycles = 10

    @Option(help: "Watchers opened and closed in the watch scenario's memory round.")
    var watchOpenClose = 1000

    @Option(help: "Start-ups to time.")
    var startups = 10

    @Option(help: "Calls per method counted under callgrind.")
    var callgrindCalls = 1000

    @Option(help: "A valgrind of 3.20 or later (default: the one scripts/fetch-valgrind unpacked, else valgrind on PATH).")
    var valgrind: String?

    @Flag(inversion: .prefixedNo, help: "Measure the gRPC rows beside the ttrpc ones (needs clients/go/build.sh's Debian packages).")
    var grpc = true

    @Option(help: "A built flygate-grpc-load to use instead of building one with clients/go/build.sh.")
    var grpcLoad: String?

    @Flag(
        inversion: .prefixedNo,
        help: "Measure the Go reference rows (show-go, health-go: containerd's Go ttrpc client, Go's net/http, a Go ttrpc echo server and proxy; needs clients/go/build.sh's Debian packages).")
    var goReferences = true

    @Option(help: "A folder with flygate-ttrpc-load, flygate-ttrpc-echo and flygate-ttrpc-proxy built (clients/go/build.sh DIR ttrpc), instead of building them.")
    var goPrograms: String?

    /// The sections `--only` can name, in the order they run.
    static let sections = ["show", "show-latency", "health", "storm", "watch", "memory", "startup", "callgrind"]

    @Option(help: "Run only this section (repeatable): \(sections.joined(separator: ", ")).")
    var only: [String] = []

    func validate() throws {
        if let unknown = only.first(where: { !Self.sections.contains($0) }) {
            throw ValidationError("no section \(unknown); the sections are \(Self.sections.joined(separator: ", "))")
        }
    }

    func run() async throws {
        var rows: [BenchRow] = []
        let chosen = only.isEmpty ? Self.sections : only
        func section(_ key: String, _ name: String, _ produce: () async throws -> [BenchRow]) async throws {
            guard chosen.contains(key) else { return }
            FileHandle.standardError.write(Data("flygate-bench: \(name)\n".utf8))
            let produced = try await produce()
            for row in produced { FileHandle.standardError.write(Data("  \(row.variant): \(row.summary)\n".utf8)) }
            rows += produced
        }
        // Built once, before the sections that drive them.
        var loadGenerator = GoLoad(name: "flygate-grpc-load", program: .skipped(reason: "not needed"))
        var references = GoReferences.skipped("not needed")
        if chosen.contains(where: { ["show", "show-latency", "health"].contains($0) }) {
            loadGenerator = await Self.grpcLoadGenerator(enabled: grpc, binary: grpcLoad)
            if case .skipped(let reason) = loadGenerator.program {
                FileHandle.standardError.write(Data("flygate-bench: the gRPC rows are skipped: \(reason)\n".utf8))
            }
            references = await GoReferences.prepare(enabled: goReferences, directory: goPrograms)
            var reasons: [String] = []
            for case .skipped(let reason) in [references.load.program, references.echo, references.proxy] where !reasons.contains(reason) {
                reasons.append(reason)
                FileHandle.standardError.write(Data("flygate-bench: Go reference rows are skipped: \(reason)\n".utf8))
            }
        }
        try await section("show", "show overhead") {
            try await DaemonScenarios.showOverhead(calls: showCalls, latency: .zero, grpc: loadGenerator, references: references)
        }
        if latencyMs > 0 {
            try await section("show-latency", "show overhead, upstream +\(latencyMs) ms") {
                try await DaemonScenarios.showOverhead(
                    calls: latencyShowCalls, latency: .milliseconds(latencyMs), grpc: loadGenerator, references: references)
            }
        }
        try await section("health", "health floor") {
            try await DaemonScenarios.healthFloor(duration: .seconds(healthSeconds), grpc: loadGenerator, references: references)
        }
        try await section("storm", "polling storm") {
            let storm = PollingStorm(
                clients: 100, machines: 10, interval: .milliseconds(10), duration: .seconds(stormSeconds), timeout: .seconds(30))
            return try await PollingStormScenario.measure(storm, latency: .milliseconds(50)).map { report in
                func figure(_ name: String) -> String { report.extra.first { $0.name == name }?.value ?? "" }
                return BenchRow(
                    report, variant: "100 clients × 10 machines every 10 ms, upstream +50 ms, coalescing \(figure("coalescing"))",
                    extra: [
                        ("upstream_calls", .int(Int(figure("upstream Show requests")) ?? 0)),
                        ("client_calls_per_upstream_call", .double(Double(figure("client calls per upstream call")) ?? 0)),
                    ])
            }
        }
        try await section("watch", "machine watches") {
            try await WatchScenario.measure(cycles: watchCycles, openClose: watchOpenClose)
        }
        try await section("memory", "memory") { try await DaemonScenarios.memory(idleConnections: idleConnections, calls: memoryCalls) }
        try await section("startup", "startup") { try await DaemonScenarios.startup(runs: startups) }
        try await section("callgrind", "instructions per call (callgrind)") {
            await CallgrindScenario.measure(valgrind: valgrind, calls: callgrindCalls)
        }

        print(
            "flygate-bench all, \(ISO8601DateFormatter().string(from: Date())), "
                + "\(ProcessInfo.processInfo.activeProcessorCount) cores, "
                + "\(ProcessInfo.processInfo.physicalMemory / 1_073_741_824) GiB\n")
        print(BenchRow.markdownTable(rows))
        let verdicts = PerformanceTargets.judge(rows)
        if verdicts.contains(where: { $0.measured != nil }) { print("\n" + PerformanceTargets.markdownTable(verdicts)) }

        var document = JSONObject()
        document.append("date", .string(ISO8601DateFormatter().string(from: Date())))
        document.append("cores", .int(ProcessInfo.processInfo.activeProcessorCount))
        document.append("memory_gib", .int(Int(ProcessInfo.processInfo.physicalMemory / 1_073_741_824)))
        document.append("results", .array(rows.map(\.json)))
        document.append("targets", .array(verdicts.map(\.json)))
        try JSONValue.object(document).serialized.write(toFile: json, atomically: true, encoding: .utf8)
        FileHandle.standardError.write(Data("flygate-bench: wrote \(json)\n".utf8))
        Self.drawChart(from: json, to: chart)
    }

    /// `flygate-grpc-load` from `binary`, else built with `clients/go/build.sh grpc`.
    static func grpcLoadGenerator(enabled: Bool, binary: String?) async -> GoLoad {
        let name = "flygate-grpc-load"
        guard enabled else { return GoLoad(name: name, program: .skipped(reason: "--no-grpc")) }
        if let binary { return GoLoad(name: name, program: .prebuilt(binary)) }
        return GoLoad(name: name, program: await GoProgram.build(set: "grpc", programs: [name])[0])
    }

    /// Runs scripts/bench-chart when it and matplotlib are there; says so when they are not.
    static func drawChart(from json: String, to png: String) {
        let script = "scripts/bench-chart"
        guard FileManager.default.isExecutableFile(atPath: script) else {
            FileHandle.standardError.write(Data("flygate-bench: no chart (run from the repository root for \(script))\n".utf8))
            return
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", script, json, png]
        do {
            try process.run()
            process.waitUntilExit()
        } catch {
            FileHandle.standardError.write(Data("flygate-bench: no chart (\(error))\n".utf8))
        }
    }
}
