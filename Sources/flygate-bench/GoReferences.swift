import FlyGateHarness
import FlyGateJSON
import Foundation

/// The references the daemon is measured against with clients nobody here wrote (issue 19's
/// targets are ratios to these, measured in the same run): containerd's Go ttrpc client
/// (`flygate-ttrpc-load`) through the daemon, against Go's net/http making the same Show
/// directly, against containerd's Go ttrpc server answering Health (`flygate-ttrpc-echo`), and
/// against the least a proxy of Show does, built of the same two (`flygate-ttrpc-proxy`).
struct GoReferences: Sendable {
    /// `flygate-ttrpc-load`.
    let load: GoLoad
    /// `flygate-ttrpc-echo`.
    let echo: GoProgram
    /// `flygate-ttrpc-proxy`.
    let proxy: GoProgram

    static let loadName = "flygate-ttrpc-load"
    static let echoName = "flygate-ttrpc-echo"
    static let proxyName = "flygate-ttrpc-proxy"

    /// Every row of every reference says `reason` instead of carrying numbers.
    static func skipped(_ reason: String) -> GoReferences {
        GoReferences(
            load: GoLoad(name: loadName, program: .skipped(reason: reason)), echo: .skipped(reason: reason), proxy: .skipped(reason: reason))
    }

    /// Builds the programs with `clients/go/build.sh ttrpc`, or takes them from `directory`.
    static func prepare(enabled: Bool, directory: String?) async -> GoReferences {
        guard enabled else { return skipped("--no-go-references") }
        let names = [loadName, echoName, proxyName]
        let programs: [GoProgram]
        if let directory {
            programs = names.map { GoProgram.prebuilt(directory + "/" + $0) }
        } else {
            programs = await GoProgram.build(set: "ttrpc", programs: names)
        }
        return GoReferences(load: GoLoad(name: loadName, program: programs[0]), echo: programs[1], proxy: programs[2])
    }

    /// Show, Go: net/http straight to the simulator, then containerd's ttrpc client through the
    /// Go proxy and through the daemon to the same simulator, the same count of calls in flight
    /// after the same warm-up; the daemon's rows carry their p50 over the direct p50 and the
    /// proxy's, and the daemon's CPU per call. The Show is of `machines[0]`; the row through the
    /// coalescing stage at 16 in flight takes all of `machines` in turn.
    func showRows(stack: BenchStack, machines: [String], inFlight: Int, calls: Int, latency: Duration, suffix: String) async -> [BenchRow] {
        // With calls in flight a row's calls take a fraction of a second, and its daemon CPU per
        // call, read from /proc in 10 ms ticks, would move by 2 µs a tick: four times the calls.
        let calls = inFlight > 1 ? calls * 4 : calls
        // The duration only bounds the count, with room for the upstream latency of every call.
        let shape = GoLoad.Shape(
            method: "show", inFlight: inFlight, calls: calls, duration: .seconds(120) + latency * max(1, calls / inFlight),
            warmup: 200, warmupLimit: .seconds(60) + latency * 200, show: (app: "bench", machine: machines[0]))
        let direct = await load.row(
            scenario: "show-go", variant: "Go net/http direct, \(inFlight) in flight\(suffix)",
            target: .directHTTP(baseURL: stack.simulatorURL, token: BenchStack.token), cpuOf: nil,
            upstream: stack.simulator.processIdentifier, shape: shape)
        let directP50 = direct.figure("p50_ms")
        // The rows issue 19's targets read are those with no upstream latency added.
        func marked(_ measures: PerformanceTargets.Row) -> PerformanceTargets.Row? { latency == .zero ? measures : nil }
        let proxied = await proxyRow(stack: stack, shape: shape, directP50: directP50, suffix: suffix)
            .measuring(marked(.goProxyShow(inFlight: inFlight)))
        let proxyP50 = proxied.figure("p50_ms")
        let ratio = { (figures: BenchReportFigures) -> [(String, JSONValue)] in
            var ratios: [(String, JSONValue)] = []
            if let directP50 { ratios.append(("p50_ratio_to_direct", .double(Self.ratio(figures.p50, directP50)))) }
            if let proxyP50 { ratios.append(("p50_ratio_to_go_proxy", .double(Self.ratio(figures.p50, proxyP50)))) }
            return ratios
        }
        let daemon = await load.row(
            scenario: "show-go", variant: "Go ttrpc through the daemon, \(inFlight) in flight\(suffix)", stack: stack, shape: shape,
            extra: ratio
        ).measuring(marked(.goShow(inFlight: inFlight)))
        guard inFlight == 1 else {
            // The same calls in flight over four connections, as issue 19 measured the daemon's
            // CPU per Show.
            var spread = shape
            spread.connections = 4
            spread.inFlight = max(1, inFlight / 4)
            // The two rows the CPU target reads are each the median of three runs: one run's CPU
            // per call moves by a tenth from one run to the next on this VM.
            let fourConnections = await Self.medianRow(of: 3, by: "daemon_cpu_us_per_call") {
                await load.row(
                    scenario: "show-go",
                    variant: "Go ttrpc through the daemon, 4 connections × \(spread.inFlight) in flight\(suffix)", stack: stack, shape: spread)
            }.measuring(inFlight == 16 ? marked(.goShowFourConnections) : nil)
            // A caller's Show as it comes, through the coalescing stage, with nothing to share:
            // the calls in flight at once name different machines (the load tool takes them in
            // turn), so each still goes upstream, as in the rows above.
            var distinct = shape
            distinct.coalescing = true
            distinct.show = (app: "bench", machine: machines.joined(separator: ","))
            let asItComes = await Self.medianRow(of: 3, by: "daemon_cpu_us_per_call") {
                await load.row(
                    scenario: "show-go",
                    variant: "Go ttrpc through the daemon, \(inFlight) in flight over \(machines.count) machines, coalescing stage on\(suffix)",
                    stack: stack, shape: distinct, extra: ratio)
            }.measuring(marked(.goShowCoalescing(inFlight: inFlight)))
            return [direct, proxied, daemon, fourConnections, asItComes]
        }
        // One call at a time shares nothing, so a caller's Show as it comes (through the
        // coalescing stage, its own shared call) is the same call: measured too.
        var coalescing = shape
        coalescing.coalescing = true
        let asItComes = await load.row(
            scenario: "show-go", variant: "Go ttrpc through the daemon, \(inFlight) in flight, coalescing stage on\(suffix)",
            stack: stack, shape: coalescing, extra: ratio
        ).measuring(marked(.goShowCoalescing(inFlight: inFlight)))
        let floor = await floorRow(directP50: directP50, calls: calls, suffix: suffix).measuring(marked(.showFloor))
        return [direct, proxied, daemon, asItComes, floor]
    }

    /// The same Show through `flygate-ttrpc-proxy` in front of the stack's simulator: what the
    /// least proxy built of containerd's Go ttrpc server and Go's net/http adds to the direct
    /// call (decoding the call, the pooled HTTP exchange, the JSON answer into the proto
    /// message, the answer), with none of the daemon's stages. The row carries its p50 over the
    /// direct p50, and the proxy's CPU per call as `proxy_cpu_us_per_call`.
    private func proxyRow(stack: BenchStack, shape: GoLoad.Shape, directP50: Double?, suffix: String) async -> BenchRow {
        let variant = "Go ttrpc through a minimal Go proxy (ttrpc server, net/http), \(shape.inFlight) in flight\(suffix)"
        return await Self.serverRow(
            proxy, variant: variant, arguments: ["-upstream", stack.simulatorURL], environment: ["FLY_API_TOKEN": BenchStack.token]
        ) { server in
            await load.row(
                scenario: "show-go", variant: variant, target: .socket(server.socketPath),
                cpuOf: (server.process.processIdentifier, "proxy"), upstream: stack.simulator.processIdentifier, shape: shape
            ) { figures in
                directP50.map { [("p50_ratio_to_direct", .double(Self.ratio(figures.p50, $0)))] } ?? []
            }
        }
    }

    /// The least any proxy on the socket could add to the direct Show: a call through it is the
    /// direct call plus one request and answer over the Unix socket, and the Go echo server's
    /// Health round trip (a server that does nothing) is the cheapest such exchange. The row
    /// carries that round trip's p50 and `(direct p50 + it) / direct p50`, the best p50 ratio
    /// a proxy that took no time of its own could show in this run.
    private func floorRow(directP50: Double?, calls: Int, suffix: String) async -> BenchRow {
        let variant = "the floor of any proxy: the direct Show plus one Go ttrpc echo round trip, 1 in flight\(suffix)"
        let roundTrip = await Self.serverRow(echo, variant: variant) { server in
            await load.row(
                scenario: "show-go", variant: variant, target: .socket(server.socketPath), cpuOf: nil,
                shape: GoLoad.Shape(method: "health", inFlight: 1, calls: calls, duration: .seconds(60), warmup: 200))
        }
        // A round trip that was skipped or failed says why; a direct row that failed has said so above.
        guard let echoP50 = roundTrip.figure("p50_ms") else { return roundTrip }
        var figures: [(String, JSONValue)] = [("echo_round_trip_p50_ms", .double(echoP50))]
        if let directP50 {
            figures += [
                ("direct_p50_ms", .double(directP50)),
                ("floor_p50_ratio_to_direct", .double(Self.ratio(directP50 + echoP50, directP50))),
            ]
        }
        return BenchRow(scenario: "show-go", variant: variant, figures: figures)
    }

    /// The `show-go` row `body` makes with `program` serving on a socket of its own, or a row for
    /// `variant` that says why there is none (``serverRows(_:scenario:variants:arguments:environment:_:)``).
    private static func serverRow(
        _ program: GoProgram, variant: String, arguments: [String] = [], environment: [String: String] = [:],
        _ body: (GoServer) async -> BenchRow
    ) async -> BenchRow {
        await serverRows(program, scenario: "show-go", variants: [variant], arguments: arguments, environment: environment) {
            [await body($0)]
        }[0]
    }

    /// The rows of `scenario` that `body` makes with `program` serving on a socket of its own
    /// (started with `arguments` and `environment`, stopped on every path), or a row for each of
    /// `variants` that says why there are none: the program was skipped, or did not start.
    private static func serverRows(
        _ program: GoProgram, scenario: String, variants: [String], arguments: [String] = [], environment: [String: String] = [:],
        _ body: (GoServer) async -> [BenchRow]
    ) async -> [BenchRow] {
        func unmeasured(_ why: (name: String, value: String)) -> [BenchRow] {
            variants.map { BenchRow(scenario: scenario, variant: $0, figures: [(why.name, .string(why.value))]) }
        }
        switch program {
        case .skipped(let reason):
            return unmeasured(("skipped", reason))
        case .ready(let binary):
            do {
                return try await GoServer.with(binary, arguments: arguments, environment: environment, body)
            } catch {
                return unmeasured(("failed", "\(error)"))
            }
        }
    }

    /// Health, Go ttrpc client: the Go echo server, then the daemon, at each of `shapes`
    /// (connections × in flight) for `duration`; the daemon's row carries its calls/s and p50
    /// over the echo server's, and each row its server's CPU per call.
    func healthRows(stack: BenchStack, shapes: [(connections: Int, inFlight: Int)], duration: Duration) async -> [BenchRow] {
        func variant(_ server: String, _ shape: (connections: Int, inFlight: Int)) -> String {
            "Go ttrpc, \(server), \(shape.connections) connection\(shape.connections == 1 ? "" : "s") × \(shape.inFlight) in flight"
        }
        let echoRows = await Self.serverRows(echo, scenario: "health-go", variants: shapes.map { variant("echo server", $0) }) { server in
            var rows: [BenchRow] = []
            for shape in shapes {
                rows.append(
                    await load.row(
                        scenario: "health-go", variant: variant("echo server", shape), target: .socket(server.socketPath),
                        cpuOf: (server.process.processIdentifier, "echo_server"),
                        shape: GoLoad.Shape(method: "health", connections: shape.connections, inFlight: shape.inFlight, duration: duration)))
            }
            return rows
        }
        var rows: [BenchRow] = []
        for (shape, echoRow) in zip(shapes, echoRows) {
            let echoRate = echoRow.figure("calls_per_second")
            let echoP50 = echoRow.figure("p50_ms")
            let daemonRow = await load.row(
                scenario: "health-go", variant: variant("daemon", shape), stack: stack,
                shape: GoLoad.Shape(method: "health", connections: shape.connections, inFlight: shape.inFlight, duration: duration)
            ) { figures -> [(String, JSONValue)] in
                var ratios: [(String, JSONValue)] = []
                if let echoRate { ratios.append(("calls_per_second_ratio_to_echo", .double(Self.ratio(figures.callsPerSecond, echoRate)))) }
                if let echoP50 { ratios.append(("p50_ratio_to_echo", .double(Self.ratio(figures.p50, echoP50)))) }
                return ratios
            }
            rows += [echoRow, daemonRow.measuring(.goHealth(connections: shape.connections, inFlight: shape.inFlight))]
        }
        return rows
    }

    /// The row of `runs` runs of `measure` whose `figure` is their median, carrying every run's
    /// figure in order as `<figure>_runs`; the first row without the figure (skipped, failed) as
    /// it is.
    static func medianRow(of runs: Int, by figure: String, _ measure: () async -> BenchRow) async -> BenchRow {
        var measured: [(row: BenchRow, value: Double)] = []
        for _ in 0..<runs {
            let row = await measure()
            guard let value = row.figure(figure) else { return row }
            measured.append((row, value))
        }
        var median = measured.sorted { $0.value < $1.value }[runs / 2].row
        median.figures.append(("\(figure)_runs", .array(measured.map { .double($0.value) })))
        return median
    }

    /// `value / reference`, to two decimals.
    static func ratio(_ value: Double, _ reference: Double) -> Double {
        (value / max(reference, 1e-9) * 100).rounded() / 100
    }
}

/// A Go ttrpc server of `clients/go` (`flygate-ttrpc-echo`, `flygate-ttrpc-proxy`) on a socket
/// of its own, for the length of a scenario.
struct GoServer: Sendable {
    let process: ChildProcess
    let socketPath: String
    let directory: String

    /// Starts the server with `arguments` besides its socket, runs `body` with it and stops it
    /// on every exit path.
    static func with<T>(
        _ binary: String, arguments: [String] = [], environment: [String: String] = [:], _ body: (GoServer) async throws -> T
    ) async throws -> T {
        try await withResource({ try await start(binary, arguments: arguments, environment: environment) }, release: { await $0.stop() }, body)
    }

    /// Starts it and waits for its ready line. It also stops by itself after an hour
    /// (`-lifetime`), should this process die without stopping it.
    static func start(_ binary: String, arguments: [String], environment: [String: String]) async throws -> GoServer {
        let directory = try BenchProcesses.temporaryDirectory()
        let socketPath = directory + "/server.sock"
        do {
            let process = try ChildProcess(
                binary, ["-socket", socketPath, "-lifetime", "3600s"] + arguments, environment: BenchProcesses.environment(environment))
            do {
                try await process.waitForOutput(containing: "ready, serving on")
            } catch {
                await process.kill()
                throw error
            }
            return GoServer(process: process, socketPath: socketPath, directory: directory)
        } catch {
            try? FileManager.default.removeItem(atPath: directory)
            throw error
        }
    }

    func stop() async {
        await process.stop()
        try? FileManager.default.removeItem(atPath: directory)
    }
}

extension BenchRow {
    /// The figure `name` as a number, when the row has it.
    func figure(_ name: String) -> Double? {
        figures.first(where: { $0.name == name })?.value.doubleValue
    }
}
