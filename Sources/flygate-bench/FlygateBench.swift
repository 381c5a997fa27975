import ArgumentParser

/// `flygate-bench`: one subcommand per scenario; each prints a `BenchReport`.
@main
struct FlygateBench: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flygate-bench",
        abstract: "Benchmarks flygate's components in-process against the built-in simulator.",
        subcommands: [AllScenarios.self, UpstreamShowScenario.self, PollingStormScenario.self, AuditCostScenario.self])
}
