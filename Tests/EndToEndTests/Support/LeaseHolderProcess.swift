import FlyGateTestSupport
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// A separate process that takes a lease through the daemon's socket and keeps its connection
/// open until it is killed: a tiny Python script speaking ttrpc by hand.
final class LeaseHolderProcess: Sendable {
    private let child: ChildProcess

    /// True when `python3` can be run (the tests that need a holder process are skipped otherwise).
    static var available: Bool {
        ProcessInfo.processInfo.environment["PATH"]?.split(separator: ":").contains {
            FileManager.default.isExecutableFile(atPath: "\($0)/python3")
        } ?? false
    }

    /// Starts the holder and waits until the daemon answered its CreateLease.
    static func start(socket: String, app: String, machine: String, ttl: Int, description: String) async throws -> LeaseHolderProcess {
        let holder = try LeaseHolderProcess(arguments: [socket, app, machine, String(ttl), description])
        do {
            try await holder.child.waitForOutput(containing: "\n", timeout: .seconds(10))
            guard holder.log.hasPrefix("held") else { throw TestFailure("the lease holder failed: \(holder.log)") }
        } catch {
            await holder.child.kill()
            throw error
        }
        return holder
    }

    /// Starts a holder, runs `body` with it and kills it on every exit path.
    static func with<T>(
        socket: String, app: String, machine: String, ttl: Int, description: String,
        _ body: (LeaseHolderProcess) async throws -> T
    ) async throws -> T {
        try await withResource(
            { try await start(socket: socket, app: app, machine: machine, ttl: ttl, description: description) },
            release: { await $0.child.kill() },
            body
        )
    }

    private init(arguments: [String]) throws {
        child = try ChildProcess("/usr/bin/env", ["python3", "-c", Self.script] + arguments)
    }

    /// What the holder printed: `held` or `status <code> <message>`.
    var log: String { child.text }

    var processID: Int32 { child.processIdentifier }

    /// SIGKILL, then waits until the process is gone.
    func kill() async {
        await child.kill()
    }

    /// argv: socket app machine ttl description. Sends one CreateLease and sleeps until killed (10 minutes at most).
    private static let script = RawTTRPC.pythonHelpers + #"""
import time

sock_path, app, machine, ttl, description = sys.argv[1:6]
body = field(1, description) + field(2, int(ttl))
# No deadline: the connection, and so the lease, lasts until the process dies.
s, response = call(sock_path, "flygate.machines.v1.Machines", "CreateLease", field(1, app) + field(2, machine) + field(4, body), 0)
# Response.status is field 1; absent means OK.
if response[:1] == b"\x0a":
    print("status " + response[:200].decode("utf-8", "replace"), flush=True)
else:
    print("held", flush=True)
# Bounded even if nobody kills it: ten minutes at the most.
for _ in range(600):
    time.sleep(1)
"""#
}
