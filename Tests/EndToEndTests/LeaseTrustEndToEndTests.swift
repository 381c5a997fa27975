import FlyGateClient
import FlyGateCore
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A lease's trust rules across processes and a real `flygate serve`: the holder (`lease create
/// --hold`) sees its nonce, another process's `lease show --json` and a cached ShowLease only its
/// prefix, and another process's exec is refused unless it brings the nonce.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct LeaseTrustEndToEndTests {
    static let app = "trust-e2e"

    /// The `"nonce": "…"` member of a JSON text, if any.
    static func nonce(in text: String) -> String? {
        guard let match = text.firstMatch(of: #/"nonce"\s*:\s*"([^"]*)"/#) else { return nil }
        return String(match.1)
    }

    @Test("the holder process sees its nonce whole; another process and the read cache only its prefix; another process's exec needs the nonce")
    func nonceAndGuardAcrossProcesses() async throws {
        try await DaemonProcess.with(config: #"{"simulator": {"rate_limits": false}}"#) { daemon in
            // `--socket` goes before a `--` (exec's command follows it).
            func cli(_ arguments: [String]) async throws -> (status: Int32, output: String) {
                let split = arguments.firstIndex(of: "--") ?? arguments.endIndex
                let line = ["machines"] + arguments[..<split] + ["--socket", daemon.socketPath] + arguments[split...]
                return try await runCommand(DaemonProcess.binary, line, timeout: .seconds(30))
            }
            try await daemon.withClient { client in
                let machine = try await client.create(Machines.create(Self.app)).body.id
                _ = try await client.wait(Machines.wait(Self.app, machine, state: "started"))

                try await withResource({
                    try ChildProcess(
                        DaemonProcess.binary,
                        ["machines", "lease", "create", Self.app, machine, "--ttl", "60", "--description", "trust",
                         "--hold", "--json", "--socket", daemon.socketPath])
                }, release: { await $0.kill() }) { holder in
                    let printed = try await holder.waitForOutput(containing: "}", timeout: .seconds(20))
                    let nonce = try #require(Self.nonce(in: printed), "the holder printed no nonce: \(printed)")
                    #expect(nonce.count > 4)
                    let prefix = LeaseRecord.redacted(nonce)

                    // Another process.
                    let shown = try await cli(["lease", "show", Self.app, machine, "--json"])
                    #expect(shown.status == 0, "\(shown.output)")
                    #expect(Self.nonce(in: shown.output) == prefix)
                    #expect(!shown.output.contains(nonce))

                    // This process, a third connection, answered from the read cache.
                    let request = Machines.target(Flygate_Machines_V1_ShowLeaseRequest.self, Self.app, machine)
                    let stale = MachinesCallOptions(timeout: .seconds(10), metadata: [(key: "flygate-max-staleness-ms", value: "600000")])
                    _ = try await client.callWithInfo(request, options: stale)
                    let cached = try await client.callWithInfo(request, options: stale)
                    #expect(cached.info.cacheAge != nil)
                    #expect(cached.response.body.nonce == prefix)

                    // Another process's exec is refused locally, naming the holder; with the nonce it runs.
                    let refused = try await cli(["exec", Self.app, machine, "--", "echo", "hi"])
                    #expect(refused.status != 0 && refused.output.contains("FAILED_PRECONDITION"), "\(refused.output)")
                    #expect(refused.output.contains("pid \(holder.processIdentifier)") && !refused.output.contains(nonce))
                    let passed = try await cli(["exec", Self.app, machine, "--lease-nonce", nonce, "--", "echo", "hi"])
                    #expect(passed.status == 0 && passed.output.contains("hi"), "\(passed.output)")
                    let metadata = try await cli(["metadata", "set", Self.app, machine, "role", "primary"])
                    #expect(metadata.output.contains("FAILED_PRECONDITION"), "\(metadata.output)")

                    // The nonce never reaches the daemon's log.
                    #expect(!daemon.log.contains(nonce))
                }
            }
        }
    }
}
