import FlyGateJSON
import FlyMachinesAPI
import Foundation
import NIOCore
import NIOPosix
import Testing

@testable import FlyGateCore
@testable import FlyGateServer

#if canImport(Glibc)
import Glibc
#endif

/// A call's `completed` record, sealed on an event loop, waits for the turn's first flush (the
/// answer barrier) or the turn's end, and goes out with the others of the turn in one write.
@Suite(.timeLimit(.minutes(1)))
struct AuditPendingTests {
    static func completed(_ number: Int) -> JSONMembersWriter {
        JSONMembersWriter(auditFields(number), terminalSafe: true)
    }

    /// Runs `body` with a log in a folder of its own (removed after), its path, and an event loop.
    static func withLog(_ body: (AuditLog, String, any EventLoop) async throws -> Void) async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/audit.log"
        let log = try await AuditLog.open(
            configuration: AuditLog.Configuration(path: path, maxBytes: 1 << 20), daemonVersion: "test", logger: quietLogger)
        try await body(log, path, MultiThreadedEventLoopGroup.singleton.next())
    }

    @Test("on an event loop, records wait for the barrier, which writes them all; the chain runs on through a durable record")
    func recordsWaitForTheBarrier() async throws {
        try await Self.withLog { log, path, loop in
            let (before, after) = try await loop.submit {
                try log.appendCompleted(Self.completed(1), method: "Show")
                try log.appendCompleted(Self.completed(2), method: "List")
                let before = try fileLines(path).count
                log.answersWillLeave()
                return (before, try fileLines(path).count)
            }.get()
            #expect(before == 1 && after == 3, "start, then the two records at the barrier")

            // A durable record writes those pending before it, in order.
            try await loop.submit { try log.appendCompleted(Self.completed(3), method: "Show") }.get()
            try await log.append(.received, auditFields(4), durable: true)
            await log.close()
            let records = try fileRecords(path)
            #expect(records.map { $0["stage"]?.stringValue ?? "" } == ["start", "completed", "completed", "completed", "received", "stop"])
            #expect(records.map { $0["n"]?.int64Value ?? -1 } == [-1, 1, 2, 3, 4, -1])
            #expect(AuditVerifier.verify(files: [path]).exitStatus == 0)
        }
    }

    @Test("a turn that ends without a flush writes its records; off an event loop a record is written at once")
    func nothingWaitsPastTheTurn() async throws {
        try await Self.withLog { log, path, loop in
            try await loop.submit { try log.appendCompleted(Self.completed(1), method: "Show") }.get()
            // The write queued behind the sealing runs before anything queued after it.
            try await loop.submit {}.get()
            #expect(try fileLines(path).count == 2)

            try log.appendCompleted(Self.completed(2), method: "Show")
            #expect(try fileLines(path).count == 3)
            await log.close()
        }
    }

    @Test("records pending when the file is replaced are each counted as not written; the head goes back and the log stops")
    func pendingRecordsLostToAReplacedFile() async throws {
        try await Self.withLog { log, path, loop in
            let headBefore = log.head
            try await loop.submit {
                try log.appendCompleted(Self.completed(1), method: "Show")
                try log.appendCompleted(Self.completed(2), method: "List")
                #expect(unlink(path) == 0 && mkdir(path, 0o700) == 0)
                log.answersWillLeave()
            }.get()
            #expect(log.writeFailures == 2)
            #expect(log.head == headBefore)
            await #expect(throws: AuditError.self) { try await log.append(.received, auditFields(3), durable: true) }
            #expect(throws: AuditError.self) { try log.appendCompleted(Self.completed(4), method: "Show") }
        }
    }

    @Test("the daemon's server runs the audit log as its answer barrier")
    func theDaemonWiresTheBarrier() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        var configuration = DaemonConfiguration.defaults(environment: [:], userID: getuid())
        configuration.socketPath = directory.socket
        configuration.stateDirectory = directory.path + "/state"
        let audit = try await AuditLog.open(configuration: configuration.auditLog, daemonVersion: "test", logger: quietLogger)
        let upstream = try FlyMachinesClient(
            configuration: configuration.upstreamClientConfiguration(baseURL: "http://127.0.0.1:9"),
            credentials: try FlyCredentials(token: "test-token"), logger: quietLogger)
        let daemon = FlyGateDaemon(
            configuration: configuration, upstream: upstream,
            status: GatewayService.Status(version: "test", upstream: "none", simulator: true, startedAt: .now),
            audit: audit, logger: quietLogger)
        #expect((daemon.server.answerBarrier as? AuditLog) === audit)
        await audit.close()
        try await upstream.shutdown()
    }
}
