import FlyGateHarness
import Foundation

/// A Go program of `clients/go` that the bench runs, or why it cannot.
enum GoProgram: Sendable {
    case ready(binary: String)
    case skipped(reason: String)

    /// The build script, relative to the repository root (where `all` is run from).
    static let buildScript = "clients/go/build.sh"
    /// Where the programs and Go's build cache go, so a second run compiles nothing.
    static let buildDirectory = ".build/flygate-go"
    /// How long one build may take (a first build of grpc-go on two busy cores takes a minute or two).
    static let buildLimit = Duration.seconds(600)

    /// The program at `path`, when it is one.
    static func prebuilt(_ path: String) -> GoProgram {
        FileManager.default.isExecutableFile(atPath: path) ? .ready(binary: path) : .skipped(reason: "no program at \(path)")
    }

    /// Builds one of `build.sh`'s sets ("grpc", "ttrpc") offline from Debian's Go packages and
    /// returns `programs` from it, in order; each is skipped, with what `build.sh` says is
    /// missing, when the set cannot be built. One set failing leaves the other alone.
    static func build(set: String, programs: [String]) async -> [GoProgram] {
        let outcome = await runBuild(set: set)
        return programs.map { name in
            switch outcome {
            case .some(let reason): return .skipped(reason: reason)
            case .none: return prebuilt(FileManager.default.currentDirectoryPath + "/" + buildDirectory + "/" + name)
            }
        }
    }

    /// Runs `build.sh` for `set`; nil when it built, else the reason it did not.
    private static func runBuild(set: String) async -> String? {
        guard FileManager.default.isExecutableFile(atPath: buildScript) else {
            return "\(buildScript) not found: run from the repository root"
        }
        let output = FileManager.default.currentDirectoryPath + "/" + buildDirectory
        FileHandle.standardError.write(Data("flygate-bench: building the Go \(set) programs (\(buildScript) \(set))\n".utf8))
        // The environment without Fly's variables, but with build.sh's own.
        var environment = ["FLYGATE_GOCACHE": output + "/cache"]
        environment["FLYGATE_GO_SYSTEM_PATH"] = ProcessInfo.processInfo.environment["FLYGATE_GO_SYSTEM_PATH"]
        do {
            // timeout(1) runs the script in a process group of its own and ends the whole group
            // (go, its compilers) when the limit passes; the outer limit is only a backstop.
            let (status, text) = try await ChildProcess.run(
                "/usr/bin/env",
                ["timeout", "--kill-after=10", "\(buildLimit.components.seconds)", buildScript, output, set],
                environment: BenchProcesses.environment(environment),
                timeout: buildLimit + .seconds(30))
            return status == 0 ? nil : complaint(in: text, status: status)
        } catch {
            return "\(buildScript) did not finish: \(error)"
        }
    }

    /// The line of a failed build that says what went wrong: the script's own (what is
    /// missing), else its last line and exit status.
    static func complaint(in text: String, status: Int32) -> String {
        let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        if let own = lines.first(where: { $0.hasPrefix(buildScript + ":") }) { return own }
        return "\(buildScript) failed (exit \(status)): \(lines.last ?? "no output")"
    }
}
