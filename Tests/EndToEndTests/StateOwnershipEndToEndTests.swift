import FlyGateClient
import FlyGateJSON
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// What a daemon's start trusts on disk, on real processes: one daemon per state directory,
/// directories and files no other user can change, and a process nobody can dump.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct StateOwnershipEndToEndTests {
    static let app = "state-e2e"

    static var isRoot: Bool { geteuid() == 0 }

    /// The environment a bare `flygate serve` runs with: no token, a home of its own.
    static func environment(home: String) -> [String: String] {
        ["HOME": home, "PATH": "/usr/bin:/bin"]
    }

    /// A fresh folder under /tmp for a daemon that is expected not to start; removed by `body`'s end.
    static func withFolder<T>(_ body: (String) async throws -> T) async throws -> T {
        var template = Array("/tmp/fgo-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw TestFailure("mkdtemp failed") }
        let folder = String(cString: made)
        defer { try? FileManager.default.removeItem(atPath: folder) }
        return try await body(folder)
    }

    @Test(
        "a second daemon on the same state directory, on another socket, exits 69 naming the first's pid and writes nothing",
        .enabled(if: LeaseHolderProcess.available, "needs python3 for the lease holder process")
    )
    func secondDaemonOnTheSameState() async throws {
        try await DaemonProcess.with(config: #"{"simulator": {"rate_limits": false}}"#) { first in
            try await first.withClient { client in
                let machine = try await client.create(Machines.create(Self.app, skipLaunch: true)).body.id
                try await LeaseHolderProcess.with(
                    socket: first.socketPath, app: Self.app, machine: machine, ttl: 120, description: "holder"
                ) { holder in
                    let auditPath = first.stateDirectory + "/audit.log"
                    let leaseBook = try String(contentsOfFile: first.stateDirectory + "/leases.json", encoding: .utf8)
                    let otherRun = first.directory + "/run2"
                    let (status, output) = try await runCommand(
                        DaemonProcess.binary,
                        ["serve", "--socket", otherRun + "/flygate.sock", "--state-directory", first.stateDirectory],
                        environment: Self.environment(home: first.directory)
                    )
                    #expect(status == 69, "\(output)")
                    #expect(output.contains("pid \(first.processID)") && output.contains(first.stateDirectory), "\(output)")
                    // It stopped before the socket, the audit log and the lease book.
                    #expect(access(otherRun, F_OK) != 0, "the second daemon made its socket directory")
                    #expect(try String(contentsOfFile: first.stateDirectory + "/leases.json", encoding: .utf8) == leaseBook)
                    #expect(
                        try String(contentsOfFile: first.stateDirectory + "/flygate.lock", encoding: .utf8) == "\(first.processID)\n")

                    // The first daemon's chain still verifies, with one start, and it goes on
                    // recording (a call after the refused start).
                    _ = try await client.show(Machines.target(Flygate_Machines_V1_ShowRequest.self, Self.app, machine))
                    let verified = try await runCommand(DaemonProcess.binary, ["audit", "verify", auditPath])
                    #expect(verified.status == 0, "\(verified.output)")
                    let records = try String(contentsOfFile: auditPath, encoding: .utf8).split(separator: "\n")
                        .map { try JSONValue(parsing: String($0)) }
                    #expect(records.filter { $0["stage"] == "start" }.count == 1)

                    // The holder's lease is still held, in the book and upstream.
                    let entry = try #require(try await client.listLeases().leases.first)
                    #expect(entry.holderPid == Int64(holder.processID))
                    let shown = try await client.showLease(
                        Machines.target(Flygate_Machines_V1_ShowLeaseRequest.self, Self.app, machine)
                    ).body
                    #expect(shown.description_p == "holder")
                }
            }
        }
    }

    @Test("a group-writable state directory is refused at start, exit 78, naming it; nothing is written in it")
    func unsafeStateDirectory() async throws {
        try await Self.withFolder { folder in
            let state = folder + "/state"
            #expect(mkdir(state, 0o700) == 0 && chmod(state, 0o770) == 0)
            let (status, output) = try await runCommand(
                DaemonProcess.binary, ["serve", "--socket", folder + "/run/flygate.sock", "--state-directory", state],
                environment: Self.environment(home: folder))
            #expect(status == 78, "\(output)")
            #expect(output.contains("\(state) is writable by group or others"), "\(output)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: state).isEmpty)
            #expect(access(folder + "/run", F_OK) != 0)
        }
    }

    @Test("a socket directory owned by another uid is refused at start, exit 78, naming it", .enabled(if: isRoot, "needs root to chown"))
    func foreignSocketDirectory() async throws {
        try await Self.withFolder { folder in
            let run = folder + "/run"
            #expect(mkdir(run, 0o700) == 0 && chown(run, 65534, 65534) == 0)
            let (status, output) = try await runCommand(
                DaemonProcess.binary, ["serve", "--socket", run + "/flygate.sock", "--state-directory", folder + "/state"],
                environment: Self.environment(home: folder))
            #expect(status == 78, "\(output)")
            #expect(output.contains("\(run) is owned by uid 65534"), "\(output)")
            #expect(access(folder + "/state/audit.log", F_OK) != 0, "the refused daemon started its audit log")
        }
    }

    @Test("a config file or token file owned by another uid is refused at start, exit 78, naming it", .enabled(if: isRoot, "needs root to chown"))
    func foreignConfigAndTokenFiles() async throws {
        try await Self.withFolder { folder in
            let arguments = ["serve", "--socket", folder + "/run/flygate.sock", "--state-directory", folder + "/state"]
            let config = folder + "/config.json"
            try #"{"simulator": {"rate_limits": false}}"#.write(toFile: config, atomically: false, encoding: .utf8)
            #expect(chown(config, 65534, 65534) == 0)
            let refused = try await runCommand(
                DaemonProcess.binary, arguments + ["--config", config], environment: Self.environment(home: folder))
            #expect(refused.status == 78, "\(refused.output)")
            #expect(refused.output.contains(config) && refused.output.contains("owned by uid 65534"), "\(refused.output)")

            let token = folder + "/token"
            try "fm2_secret-token-value\n".write(toFile: token, atomically: false, encoding: .utf8)
            #expect(chmod(token, 0o600) == 0 && chown(token, 65534, 65534) == 0)
            let tokenRefused = try await runCommand(
                DaemonProcess.binary, arguments + ["--token-file", token], environment: Self.environment(home: folder))
            #expect(tokenRefused.status == 78, "\(tokenRefused.output)")
            #expect(tokenRefused.output.contains(token) && tokenRefused.output.contains("owned by uid 65534"), "\(tokenRefused.output)")
            #expect(!tokenRefused.output.contains("secret-token-value"))
        }
    }

    /// setpriv's arguments that run a command as root stripped of every capability.
    static let withoutCapabilities = ["--bounding-set=-all", "--inh-caps=-all", "--"]

    /// Reads `/proc/<pid>/environ` as root stripped of every capability (util-linux setpriv).
    static func readEnviron(_ pid: Int32) async throws -> (status: Int32, output: String) {
        try await runCommand("/usr/bin/setpriv", withoutCapabilities + ["/bin/cat", "/proc/\(pid)/environ"])
    }

    /// `executable` run as root without capabilities, for `body`, killed on every exit path.
    static func withStripped<T>(
        _ executable: String, _ arguments: [String], environment: [String: String]? = nil, _ body: (ChildProcess) async throws -> T
    ) async throws -> T {
        try await withResource(
            { try ChildProcess("/usr/bin/setpriv", withoutCapabilities + [executable] + arguments, environment: environment) },
            release: { await $0.kill() },
            body
        )
    }

    // What this observes: a process of the same uid, without CAP_SYS_PTRACE, may read another's
    // /proc/<pid>/environ only while that one is dumpable (the kernel's ptrace_may_access; its
    // capability rule also wants the reader's capabilities to cover the target's, so both run
    // as root stripped of all of them). The file owners in /proc would not tell (root either
    // way here), nor would a reader with all of root's capabilities. Without the daemon's
    // prctl(PR_SET_DUMPABLE, 0) its environ reads as the sleeper's does.
    @Test(
        "the daemon is not dumpable: a same-uid process without CAP_SYS_PTRACE cannot read its environ, as it can a sleeper's",
        .enabled(if: isRoot && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "needs root and /usr/bin/setpriv")
    )
    func nonDumpable() async throws {
        try await Self.withStripped("/bin/sleep", ["60"], environment: ["FLYGATE_MARKER": "control"]) { sleeper in
            // Until setpriv has dropped its capabilities and become sleep, its environ is closed
            // to a reader without them: wait for the exec.
            let execed = try await eventually {
                (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/\(sleeper.processIdentifier)/exe"))?
                    .hasSuffix("/sleep") == true
            }
            #expect(execed, "the sleeper never became sleep")
            let control = try await Self.readEnviron(sleeper.processIdentifier)
            #expect(control.status == 0 && control.output.contains("FLYGATE_MARKER=control"), "\(control.output)")
        }
        try await Self.withFolder { folder in
            let arguments = ["serve", "--socket", folder + "/run/flygate.sock", "--state-directory", folder + "/state"]
            var environment = Self.environment(home: folder)
            environment["FLYGATE_MARKER"] = "daemon"
            try await Self.withStripped(DaemonProcess.binary, arguments, environment: environment) { daemon in
                try await daemon.waitForOutput(containing: "flygate: ready, serving on", timeout: .seconds(20))
                let read = try await Self.readEnviron(daemon.processIdentifier)
                #expect(read.status != 0 && !read.output.contains("FLYGATE_MARKER"), "the daemon's environ was readable")
                #expect(read.output.contains("Permission denied"), "\(read.output.prefix(200))")
            }
        }
    }
}
