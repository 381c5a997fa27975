import FlyGateClient
import FlyGateHarness
import FlyGateJSON
import FlyMachinesProto
import Foundation

/// Instructions the daemon executes per call, counted by `valgrind --tool=callgrind`: unlike
/// times, the count hardly moves between runs on a noisy VM, so it shows what a change to the
/// hot path did. The daemon runs under callgrind (the simulator does not); after a warm-up the
/// counters are zeroed (`callgrind_control -z`), a fixed number of calls is made on one
/// connection, the counters are dumped (`-d`), and the dump's total is divided by the calls.
///
/// Valgrind 3.19 (Debian 12) cannot read the DWARF 5 of a Swift 6.3 release binary; a newer
/// one can: `scripts/fetch-valgrind` unpacks Debian 13's into `.build/tools/valgrind`, which is
/// used when present. Debian 12's `callgrind_control` drives it.
enum CallgrindScenario {
    /// Where `scripts/fetch-valgrind` unpacks valgrind, relative to the repository.
    static let fetchedRoot = ".build/tools/valgrind"

    /// The rows for Health and Show, or one row saying why there are none.
    static func measure(valgrind requested: String?, calls: Int) async -> [BenchRow] {
        let valgrind: Valgrind
        switch Valgrind.find(requested) {
        case .success(let found): valgrind = found
        case .failure(let failure): return [skipped(failure.description)]
        }
        do {
            return try await run(valgrind, calls: calls)
        } catch {
            return [skipped("\(error)")]
        }
    }

    private static func skipped(_ reason: String) -> BenchRow {
        BenchRow(scenario: "callgrind", variant: "instructions per call (skipped)", figures: [("skipped", .string(reason))])
    }

    private static func run(_ valgrind: Valgrind, calls: Int) async throws -> [BenchRow] {
        let binary = try BenchProcesses.flygateBinary()
        let directory = try BenchProcesses.temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let (simulator, url) = try await ChildProcess.simulator(
            binary, arguments: ["--token", BenchStack.token, "--no-rate-limits", "--log-level", "error"])
        return try await withResource({ simulator }, release: { await $0.stop() }) { _ in
            let socketPath = directory + "/flygate.sock"
            let daemon = try ChildProcess(
                valgrind.executable,
                ["--tool=callgrind", "--callgrind-out-file=\(directory)/callgrind.out", binary,
                 "serve", "--socket", socketPath, "--state-directory", directory + "/state", "--upstream", url,
                 "--no-rate-limits", "--log-level", "error"],
                environment: BenchProcesses.environment(valgrind.environment.merging(["FLY_API_TOKEN": BenchStack.token]) { $1 })
            )
            return try await withResource({ daemon }, release: { await $0.stop() }) { daemon in
                // Everything runs some 50 times slower under valgrind.
                try await daemon.waitForOutput(containing: "ready, serving on", timeout: .seconds(300))
                let client = try await RPCClient.connect(path: socketPath)
                var create = Flygate_Machines_V1_CreateRequest()
                create.appName = "bench"
                create.body.config.image = "nginx:1.27"
                var show = Flygate_Machines_V1_ShowRequest()
                show.appName = "bench"
                show.machineID = try await client.create(create).body.id
                let request = show
                // The plain path, as in the Show rows: not a cached or shared answer.
                let options = MachinesCallOptions(metadata: [("flygate-no-coalesce", "true")])
                let counter = Counter(directory: directory, pid: daemon.processIdentifier)
                let health = try await counter.instructionsPerCall(calls: calls) {
                    _ = try await client.health()
                }
                let shown = try await counter.instructionsPerCall(calls: calls) {
                    _ = try await client.show(request, options: options)
                }
                // A caller's Show as it comes, through the coalescing stage: one call at a time,
                // so it is the only one on its shared call.
                let coalescing = try await counter.instructionsPerCall(calls: calls) {
                    _ = try await client.show(request)
                }
                await client.close()
                return [
                    BenchRow(scenario: "callgrind", variant: "Gateway/Health, instructions per call",
                             figures: [("instructions_per_call", .int(health)), ("calls", .int(calls)), ("valgrind", .string(valgrind.version))]),
                    BenchRow(scenario: "callgrind", variant: "Show, instructions per call (audit on, upstream over loopback)",
                             figures: [("instructions_per_call", .int(shown)), ("calls", .int(calls)), ("valgrind", .string(valgrind.version))]),
                    BenchRow(scenario: "callgrind", variant: "Show without flygate-no-coalesce, instructions per call (its own shared call)",
                             figures: [("instructions_per_call", .int(coalescing)), ("calls", .int(calls)), ("valgrind", .string(valgrind.version))]),
                ]
            }
        }
    }

    /// Zeroes, runs, dumps and reads a daemon's callgrind counters.
    private struct Counter {
        let directory: String
        let pid: Int32

        func instructionsPerCall(calls: Int, _ call: () async throws -> Void) async throws -> Int {
            for _ in 0..<min(200, calls) { try await call() }
            try await control("-z")
            for _ in 0..<calls { try await call() }
            try await control("-d")
            return try total() / calls
        }

        private func control(_ flag: String) async throws {
            let control = try ChildProcess("/usr/bin/env", ["callgrind_control", flag, "\(pid)"])
            let status: Int32
            do {
                status = try await control.waitForExit(timeout: .seconds(120))
            } catch {
                await control.kill()
                throw error
            }
            guard status == 0 else { throw BenchFailure("callgrind_control \(flag) exited with \(status)") }
        }

        /// The `summary:` of the newest dump (`callgrind.out.N`), which it then removes.
        private func total() throws -> Int {
            let dumps = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0.hasPrefix("callgrind.out.") }
                .sorted { (Int($0.split(separator: ".").last ?? "") ?? 0) < (Int($1.split(separator: ".").last ?? "") ?? 0) }
            guard let newest = dumps.last else { throw BenchFailure("callgrind wrote no dump") }
            let path = directory + "/" + newest
            defer { try? FileManager.default.removeItem(atPath: path) }
            let text = try String(contentsOfFile: path, encoding: .utf8)
            guard let line = text.split(separator: "\n").first(where: { $0.hasPrefix("summary:") }),
                let total = Int(line.dropFirst("summary:".count).trimmingCharacters(in: .whitespaces))
            else { throw BenchFailure("no summary in \(newest)") }
            return total
        }
    }

    /// A valgrind that can run the daemon.
    struct Valgrind {
        var executable: String
        var environment: [String: String]
        var version: String

        struct Unusable: Error, CustomStringConvertible {
            let description: String
        }

        /// `requested`, else the one `scripts/fetch-valgrind` unpacked, else `valgrind` on PATH;
        /// it must be 3.20 or later.
        static func find(_ requested: String?) -> Result<Valgrind, Unusable> {
            let fetched = FileManager.default.currentDirectoryPath + "/" + fetchedRoot + "/usr/bin/valgrind"
            let executable = requested ?? (FileManager.default.isExecutableFile(atPath: fetched) ? fetched : "valgrind")
            // An unpacked package finds its tools through VALGRIND_LIB.
            var environment: [String: String] = [:]
            if executable.hasSuffix("/usr/bin/valgrind") {
                let lib = String(executable.dropLast("/usr/bin/valgrind".count)) + "/usr/libexec/valgrind"
                if FileManager.default.fileExists(atPath: lib) { environment["VALGRIND_LIB"] = lib }
            }
            guard let version = versionText(executable, environment: environment) else {
                return .failure(Unusable(description: "no valgrind at \(executable) (scripts/fetch-valgrind gets one)"))
            }
            let numbers = version.drop { !$0.isNumber }.split(separator: ".").compactMap { Int($0) }
            guard numbers.count >= 2, (numbers[0], numbers[1]) >= (3, 20) else {
                return .failure(Unusable(description:
                    "\(version) cannot read the DWARF 5 of a Swift release build; scripts/fetch-valgrind unpacks Debian 13's 3.24"))
            }
            return .success(Valgrind(executable: executable, environment: environment, version: version))
        }

        private static func versionText(_ executable: String, environment: [String: String]) -> String? {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = [executable, "--version"]
            process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            do { try process.run() } catch { return nil }
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { return nil }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
    }
}
