import FlyGateClient
import FlyGateCore
import FlyGateJSON
import FlyGateWire
import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Foundation
import ServiceLifecycle
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The audit stage in a real in-process daemon, upstream a real simulator over loopback HTTP.
@Suite(.serialized, .timeLimit(.minutes(1)))
struct AuditStageTests {
    static let token = "fm2_in-process-secret-token-0123456789"

    /// Runs a daemon with an audit log in `directory` against a fresh simulator.
    private func withDaemon(
        _ directory: TestDirectory,
        _ body: (FlyMachinesSimulator, RPCClient, AuditLog) async throws -> Void
    ) async throws {
        var settings = FlyMachinesSimulator.Configuration.defaults
        settings.rateLimits = false
        settings.transitionDelay = .milliseconds(1)
        let simulator = FlyMachinesSimulator(configuration: settings, logger: quietLogger)
        try await simulator.withRunning { simulator in
            var clientSettings = FlyMachinesClient.Configuration.defaults
            clientSettings.baseURL = simulator.baseURL ?? ""
            clientSettings.rateLimits.enabled = false
            let upstream = try FlyMachinesClient(
                configuration: clientSettings, credentials: try FlyCredentials(token: Self.token), logger: quietLogger)
            var configuration = DaemonConfiguration.defaults(environment: [:], userID: getuid())
            configuration.socketPath = directory.socket
            configuration.stateDirectory = directory.path + "/state"
            let audit = try await AuditLog.open(configuration: configuration.auditLog, daemonVersion: "test", logger: quietLogger)
            let daemon = FlyGateDaemon(
                configuration: configuration,
                upstream: upstream,
                status: GatewayService.Status(version: "test", upstream: "sim", simulator: true, startedAt: .now),
                audit: audit,
                logger: quietLogger
            )
            let group = ServiceGroup(services: [daemon], logger: quietLogger)
            try await withThrowingTaskGroup(of: Void.self) { tasks in
                tasks.addTask { try await group.run() }
                let client = try await RPCClient.connect(path: try await daemon.listeningAddress())
                do {
                    try await body(simulator, client, audit)
                } catch {
                    await client.close()
                    await group.triggerGracefulShutdown()
                    throw error
                }
                await client.close()
                await group.triggerGracefulShutdown()
                try await tasks.waitForAll()
            }
            try await upstream.shutdown()
        }
    }

    private func target<R: MachinesRPCRequest>(_ type: R.Type, _ machine: String) throws -> R {
        try R(jsonString: #"{"app_name": "audit", "machine_id": "\#(machine)"}"#)
    }

    @Test func mutationsAreRefusedBeforeUpstreamWhenTheLogIsLost() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/state/audit.log"
        try await withDaemon(directory) { simulator, client, audit in
            let id = simulator.seedMachine(app: "audit")["id"]?.stringValue ?? ""
            _ = try await client.cordon(try target(Flygate_Machines_V1_CordonRequest.self, id))
            #expect(simulator.requestCount(for: .cordon) == 1)

            // Root ignores permission bits, so make the path something no one can append to: a directory.
            #expect(unlink(path) == 0 && mkdir(path, 0o700) == 0)
            let refused = await #expect(throws: RPCError.self) {
                _ = try await client.uncordon(try target(Flygate_Machines_V1_UncordonRequest.self, id))
            }
            #expect(refused?.code == .unavailable)
            #expect(refused?.message.contains("audit log") == true && refused?.message.contains("replaced") == true, "\(refused?.message ?? "")")
            #expect(simulator.requestCount(for: .uncordon) == 0)

            // Reads go on; the record they could not write is counted.
            let failuresBefore = audit.writeFailures
            #expect(try await client.show(try target(Flygate_Machines_V1_ShowRequest.self, id)).body.id == id)
            #expect(audit.writeFailures == failuresBefore + 1)
        }
    }

    @Test func callsLeaveReceivedAndCompletedRecordsWithoutTheToken() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/state/audit.log"
        try await withDaemon(directory) { simulator, client, _ in
            let id = simulator.seedMachine(app: "audit")["id"]?.stringValue ?? ""
            var stop = try target(Flygate_Machines_V1_StopRequest.self, id)
            stop.body.signal = "SIGINT"
            stop.body.timeout = "7s"
            _ = try await client.call(stop, options: MachinesCallOptions(metadata: [("flygate-request-id", "req-42")]))
            _ = try await client.show(try target(Flygate_Machines_V1_ShowRequest.self, id))
            await #expect(throws: RPCError.self) { _ = try await client.show(try target(Flygate_Machines_V1_ShowRequest.self, "0123456789abcd")) }
        }
        let records = try fileRecords(path)
        #expect(records.map { $0["stage"]?.stringValue ?? "" } == ["start", "received", "completed", "completed", "completed", "stop"])
        let received = records[1]
        let completed = records[2]
        #expect(received["request_id"] == "req-42" && completed["request_id"] == "req-42")
        #expect(received["method"] == "Stop" && received["app"] == "audit")
        #expect(received["args"]?["signal"] == "SIGINT" && received["args"]?["timeout"] == "7s")
        #expect(received["peer"]?["uid"]?.int64Value == Int64(getuid()) && received["peer"]?["pid"]?.int64Value == Int64(getpid()))
        #expect(received["peer"]?["exe"]?.stringValue?.isEmpty == false)
        #expect(received["payload_sha256"]?.stringValue?.count == 64 && received["outcome"] == nil)
        #expect(completed["outcome"]?["code"] == "OK" && completed["outcome"]?["http_status"]?.int64Value == 200)
        #expect(completed["outcome"]?["fly_request_id"]?.stringValue?.isEmpty == false)
        #expect(completed["outcome"]?["attempts"]?.int64Value == 1 && completed["duration_us"]?.int64Value ?? -1 >= 0)
        #expect(records[3]["method"] == "Show" && records[3]["request_id"]?.stringValue?.count == 32)
        // Generated ids: 32 hex digits, a prefix drawn once, then a count (shared by the whole
        // process, so other tests' calls may come between); never the same twice.
        let (showID, notFoundID) = (records[3]["request_id"]?.stringValue ?? "", records[4]["request_id"]?.stringValue ?? "")
        #expect(notFoundID.count == 32 && notFoundID.prefix(16) == showID.prefix(16))
        let (showCount, notFoundCount) = (UInt64(showID.suffix(16), radix: 16), UInt64(notFoundID.suffix(16), radix: 16))
        #expect(showCount != nil && notFoundCount != nil && notFoundCount! > showCount!)
        #expect(records[3]["coalesced"] == false && records[3]["cache_hit"] == false)
        #expect(records[4]["outcome"]?["code"] == "NOT_FOUND" && records[4]["outcome"]?["http_status"]?.int64Value == 404)
        let everything = try String(contentsOfFile: path, encoding: .utf8) + (try String(contentsOfFile: directory.path + "/state/audit.head", encoding: .utf8))
        #expect(!everything.contains(Self.token) && !everything.contains("in-process-secret"))
        #expect(AuditVerifier.verify(files: [path]).exitStatus == 0)
    }

    /// A machine id made of terminal escape sequences: OSC title, BEL, clear screen, C1 CSI, a
    /// bidi override, CR LF and a forged record after it.
    static let hostileMachine = "\u{1b}]0;pwned\u{07}\u{1b}[2J\u{9b}31m\u{202e}evil\r\n2025-01-01 #9 completed"

    @Test func hostileNamesAreRecordedExactlyButNeverRawAndPrintEscaped() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/state/audit.log"
        try await withDaemon(directory) { simulator, client, _ in
            var stop = Flygate_Machines_V1_StopRequest()
            (stop.appName, stop.machineID) = ("audit", Self.hostileMachine)
            let refused = await #expect(throws: RPCError.self) { _ = try await client.stop(stop) }
            #expect(refused?.code == .invalidArgument)
            #expect(simulator.requestCount(for: .stop) == 0)
        }
        // The file: every line free of raw control, C1 and bidi characters, the chain intact.
        for line in try fileLines(path) {
            #expect(!line.unicodeScalars.contains(where: TerminalText.isUnsafe), "a raw control character in \(line.debugDescription)")
        }
        #expect(AuditVerifier.verify(files: [path]).exitStatus == 0)
        // The record: the name exactly as the caller sent it (JSON escapes are lossless)…
        let records = try fileRecords(path)
        let received = try #require(records.first { $0["stage"] == "received" })
        #expect(received["machine"]?.stringValue == Self.hostileMachine)
        #expect(records.contains { $0["stage"] == "completed" && $0["outcome"]?["code"] == "INVALID_ARGUMENT" })
        // …and `audit tail`'s line shows it escaped, on one line.
        let shown = AuditRecordText.line(received)
        #expect(!shown.unicodeScalars.contains(where: TerminalText.isUnsafe), "\(shown.debugDescription)")
        #expect(shown.contains(#"Stop audit/\u{1b}]0;pwned\u{7}\u{1b}[2J\u{9b}31m\u{202e}evil\u{d}\u{a}2025-01-01 #9 completed"#), "\(shown)")
    }

    @Test func anUnknownMemberCollidingWithATypedFieldIsRefusedWithInvalidArgument() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        try await withDaemon(directory) { simulator, client, _ in
            var create = Flygate_Machines_V1_CreateRequest()
            create.appName = "audit"
            create.body.config.image = "nginx"
            create.body.config.unknownJson = #"{"Image":"evil"}"#
            let refused = await #expect(throws: RPCError.self) { _ = try await client.create(create) }
            #expect(refused?.code == .invalidArgument)
            #expect(refused?.message.contains(#""Image""#) == true, "\(refused?.message ?? "")")
            #expect(simulator.requestCount(for: .create) == 0)

            // A member that collides with nothing goes through.
            create.body.config.unknownJson = #"{"x_flygate_future":{"on":true}}"#
            let created = try await client.create(create)
            #expect(!created.body.id.isEmpty && simulator.requestCount(for: .create) == 1)
        }
    }
}
