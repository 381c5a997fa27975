import FlyGateClient
import FlyGateServer
import FlyGateTestSupport
import FlyGateWire
import Foundation
import Logging
import NIOCore
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The bounds against local abuse, on real sockets: first-frame and idle timeouts, the per-uid
/// connection limit and the daemon-wide budget on buffered bytes.
@Suite("server limits", .timeLimit(.minutes(1)))
struct ServerLimitsTests {
    private let service = TestService.name

    /// An observer that keeps chosen connections open past the idle timeout.
    final class KeepingObserver: ConnectionObserver {
        let kept = Mutex<Set<UInt64>>([])
        let opened = Mutex<[UInt64]>([])
        func connectionOpened(id: UInt64, peer: PeerCredentials) { self.opened.withLock { $0.append(id) } }
        func connectionClosed(id: UInt64, peer: PeerCredentials) {}
        func keepsIdleConnectionOpen(id: UInt64) -> Bool { self.kept.withLock { $0.contains(id) } }
    }

    private func echo(_ raw: inout RawConnection, streamID: UInt32) async throws -> Ttrpc_Response {
        let payload: [UInt8] = try keyValue("x").serializedBytes()
        try await raw.sendRequest(streamID: streamID, service: self.service, method: "Echo", payload: payload)
        return try await raw.nextResponse().response
    }

    @Test("a connection that sends no frame is closed after the first-frame timeout; one that sent a frame is not")
    func firstFrameTimeout() async throws {
        try await withTestServer(router: TestService.router(), configure: {
            // Long enough that a loaded machine still reads a client's first frame in time.
            $0.firstFrameTimeout = .seconds(1)
            $0.idleTimeout = nil
        }) { path in
            // Closed by the server (the connection's own bound, a minute, would throw), not
            // before the timeout; how late the sweep gets to it on a busy machine is no behaviour.
            let started = ContinuousClock.now
            let frames = try await RawConnection.with(path, timeout: .seconds(60)) { raw in try await raw.waitForClose() }
            let waited = ContinuousClock.now - started
            #expect(frames == 0)
            #expect(waited >= .seconds(1), "closed after \(waited)")

            // Half a header is not a frame.
            let partial = try await RawConnection.with(path, timeout: .seconds(10)) { raw in
                try await raw.send([0, 0, 0])
                return try await raw.waitForClose()
            }
            #expect(partial == 0)

            // A client that called once stays past the first-frame timeout.
            try await RawConnection.with(path, timeout: .seconds(10)) { raw in
                let code1 = try await self.echo(&raw, streamID: 1).status.code
                #expect(code1 == 0)
                try await Task.sleep(for: .milliseconds(1_500))
                let code3 = try await self.echo(&raw, streamID: 3).status.code
                #expect(code3 == 0)
            }
        }
    }

    @Test("an idle connection is closed after the idle timeout, one with a call in flight or kept by the observer is not")
    func idleTimeout() async throws {
        let observer = KeepingObserver()
        let gates = Gates()
        try await withTestServer(router: TestService.router(gates: gates), observer: observer, configure: {
            $0.firstFrameTimeout = nil
            $0.idleTimeout = .milliseconds(300)
        }) { path in
            try await RawConnection.with(path, timeout: .seconds(60)) { raw in
                // Idleness counts from the call's end, which is after this instant. Closed by
                // the server (the connection's own bound would throw), not before the timeout.
                let started = ContinuousClock.now
                let code1 = try await self.echo(&raw, streamID: 1).status.code
                #expect(code1 == 0)
                let closedFrames = try await raw.waitForClose()
                #expect(closedFrames == 0)
                let waited = ContinuousClock.now - started
                #expect(waited >= .milliseconds(300), "closed after \(waited)")
            }

            // A call in flight longer than the idle timeout is not cut off.
            try await RawConnection.with(path, timeout: .seconds(10)) { raw in
                let payload: [UInt8] = try keyValue("slow").serializedBytes()
                try await raw.sendRequest(streamID: 1, service: self.service, method: "Hold", payload: payload)
                try await Task.sleep(for: .milliseconds(800))
                await gates.open("slow")
                let answer = try await raw.nextResponse()
                #expect(answer.response.status.code == 0, "\(answer.response.status)")
            }

            // The observer keeps a connection (a lease holder's) open however long it is idle.
            let openedBefore = observer.opened.withLock { $0.count }
            try await RawConnection.with(path, timeout: .seconds(10)) { raw in
                // Kept from the start, so a slow machine cannot let it lapse before the test keeps it.
                #expect(try await eventually { observer.opened.withLock { $0.count } > openedBefore })
                let id = try #require(observer.opened.withLock { $0.last })
                observer.kept.withLock { _ = $0.insert(id) }
                let code1 = try await self.echo(&raw, streamID: 1).status.code
                #expect(code1 == 0)
                try await Task.sleep(for: .milliseconds(800))
                let code3 = try await self.echo(&raw, streamID: 3).status.code
                #expect(code3 == 0)
            }
        }
    }

    @Test("the connection over one uid's limit is closed at once and logged once; a freed slot is usable again")
    func perUIDLimit() async throws {
        let logs = CapturedLogs()
        try await withTestServer(router: TestService.router(), logger: logs.logger, configure: {
            $0.maxConnectionsPerUID = 2
            $0.uncappedUIDs = []
        }) { path in
            let first = try await RPCClient.connect(path: path)
            let second = try await RPCClient.connect(path: path)
            for client in [first, second] {
                _ = try await client.call(service: self.service, method: "Echo", request: keyValue("in"), as: Ttrpc_KeyValue.self)
            }
            for _ in 0..<2 {
                #expect(try await RawConnection.with(path, timeout: .seconds(10)) { raw in try await raw.waitForClose() } == 0)
            }
            #expect(logs.count("per-uid connection limit reached; closing this uid's new connections") == 1)
            await first.close()
            let third = try #require(try await eventuallyValue {
                let client = try await RPCClient.connect(path: path)
                do {
                    _ = try await client.call(service: self.service, method: "Echo", request: keyValue("in"), as: Ttrpc_KeyValue.self)
                    return client
                } catch {
                    await client.close()
                    return nil
                }
            })
            await second.close()
            await third.close()
        }
        // The uncapped uids (by default the server's own and root) are not counted.
        #expect(RPCServer.Configuration.defaults.uncappedUIDs == [0, getuid()])
    }

    @Test("partial large frames stop being read at the byte budget, small calls still go through, and waiting frames finish")
    func bufferBudget() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        var configuration = testConfiguration(directory.socket)
        configuration.maxBufferedBytes = 256 * 1024
        configuration.firstFrameTimeout = nil
        configuration.idleTimeout = nil
        let server = RPCServer(configuration: configuration, router: TestService.router(), logger: Logger(label: "t"))
        let frameBytes = 2 * 1024 * 1024
        func header(_ streamID: UInt8) -> [UInt8] {
            [0, UInt8(frameBytes >> 16), UInt8((frameBytes >> 8) & 0xff), UInt8(frameBytes & 0xff), 0, 0, 0, streamID, 1, 0]
        }
        try await withRunningServer(server) { path in
            try await RawConnection.with(path, timeout: .seconds(30)) { first in
                try await RawConnection.with(path, timeout: .seconds(30)) { second in
                    try await RawConnection.with(path, timeout: .seconds(30)) { third in
                        // The first holds 300 KiB of a 2 MiB frame: the budget is spent.
                        try await first.send(header(1) + [UInt8](repeating: 0, count: 300 * 1024))
                        #expect(try await eventually { server.bufferedBytes >= 256 * 1024 })
                        // Two more send whole 2 MiB frames from other tasks; they get stuck.
                        let senders = [second.sender, third.sender]
                        let sending = Task {
                            try await withThrowingTaskGroup(of: Void.self) { group in
                                for sender in senders {
                                    group.addTask { try await sender.send(header(1) + [UInt8](repeating: 0, count: frameBytes)) }
                                }
                                try await group.waitForAll()
                            }
                        }
                        // Their reads stop once they are over the budget (however long a busy
                        // machine takes to get them there).
                        #expect(try await eventually { server.bufferBudget.pausedConnections >= 1 })
                        // Unbounded, all three frames would be in memory (4.3 MiB). Bounded: the
                        // budget, one connection finishing its frame, a read cycle of the others.
                        let held = server.bufferedBytes
                        #expect(held < 256 * 1024 + frameBytes + 2 * 256 * 1024, "\(held) bytes buffered")

                        // A connection that holds nothing is served as usual.
                        try await RawConnection.with(path, timeout: .seconds(10)) { good in
                            let code1 = try await self.echo(&good, streamID: 1).status.code
                            #expect(code1 == 0)
                        }

                        // The first finishes its frame: the others are read too, and answered.
                        try await first.send([UInt8](repeating: 0, count: frameBytes - 300 * 1024))
                        #expect(try await first.nextResponse().streamID == 1)
                        try await sending.value
                        #expect(try await second.nextResponse().streamID == 1)
                        #expect(try await third.nextResponse().streamID == 1)
                        #expect(try await eventually { server.bufferedBytes == 0 })
                    }
                }
            }
        }
    }
}

/// Polls `body` until it returns a value, for at most `limit`.
private func eventuallyValue<T: Sendable>(within limit: Duration = .seconds(10), _ body: () async throws -> T?) async throws -> T? {
    var found: T?
    _ = try await eventually(within: limit) {
        found = try await body()
        return found != nil
    }
    return found
}
