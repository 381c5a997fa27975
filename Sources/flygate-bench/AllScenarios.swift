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

    @Option(help: "Show calls per variant in the overhead scenario.")
    var showCalls = 5000

    @Option(help: "Milliseconds the simulator adds to every answer in the overhead scenario.")
    var latencyMs = 0

    @Option(help: "Seconds each Health variant runs.")
    var healthSeconds = 3

    @Option(help: "Idle connections in the memory scenario.")
    var idleConnections = 1000

    @Option(help: "Calls in the memory scenario.")
    var memoryCalls = 1_000_000

    @Option(help: "Start-ups to time.")
    var startups = 10

    func run() async throws {
        var rows: [BenchRow] = []
        func section(_ name: String, _ produce: () async throws -> [BenchRow]) async throws {
            FileHandle.standardError.write(Data("flygate-bench: \(name)\n".utf8))
            let produced = try await produce()
            for row in produced { print("\(row.scenario) | \(row.variant) | \(row.summary)") }
            rows += produced
        }
        try await section("show overhead") { try await DaemonScenarios.showOverhead(calls: showCalls, latency: .milliseconds(latencyMs)) }
        try await section("health floor") { try await DaemonScenarios.healthFloor(duration: .seconds(healthSeconds)) }
        try await section("memory") { try await DaemonScenarios.memory(idleConnections: idleConnections, calls: memoryCalls) }
        try await section("startup") { try await DaemonScenarios.startup(runs: startups) }

        var document = JSONObject()
        document.append("date", .string(ISO8601DateFormatter().string(from: Date())))
        document.append("cores", .int(ProcessInfo.processInfo.activeProcessorCount))
        document.append("memory_gib", .int(Int(ProcessInfo.processInfo.physicalMemory / 1_073_741_824)))
        document.append("results", .array(rows.map(\.json)))
        try JSONValue.object(document).serialized.write(toFile: json, atomically: true, encoding: .utf8)
        FileHandle.standardError.write(Data("flygate-bench: wrote \(json)\n".utf8))
    }
}
