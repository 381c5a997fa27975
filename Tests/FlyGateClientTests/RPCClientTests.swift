import FlyGateClient
import FlyGateWire
import Foundation
import NIOCore
import NIOPosix
import SwiftProtobuf
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The client against a scripted peer that shows exactly what the client puts on the wire.
@Suite("RPCClient", .timeLimit(.minutes(1)))
struct RPCClientTests {
    typealias PeerInbound = NIOAsyncChannelInboundStream<TTRPCInboundFrame>
    typealias PeerOutbound = NIOAsyncChannelOutboundWriter<TTRPCFrame>

    /// Accepts one client connection on a fresh socket and runs `body` with both ends.
    func withPeer(
        _ body: (RPCClient, inout PeerInbound.AsyncIterator, PeerOutbound, any Channel) async throws -> Void
    ) async throws {
        var template = Array("/tmp/fgc-XXXXXX".utf8CString)
        let directory = String(cString: try #require(mkdtemp(&template)))
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let path = directory + "/s.sock"
        let listener = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .bind(unixDomainSocketPath: path) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(TTRPCFrameDecoder()))
                    try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(TTRPCFrameEncoder()))
                    return try NIOAsyncChannel<TTRPCInboundFrame, TTRPCFrame>(wrappingChannelSynchronously: channel)
                }
            }
        // Every receive and send of the peer has a deadline: after `Self.peerLimit` the listener
        // and the peer's connection are closed, which ends an accept, a read or a write that
        // would otherwise wait for the suite's time limit.
        let listenerTimer = listener.channel.eventLoop.scheduleTask(in: Self.peerLimit) { listener.channel.close(promise: nil) }
        defer { listenerTimer.cancel() }
        try await listener.executeThenClose { connections in
            let client = try await RPCClient.connect(path: path)
            do {
                var accepted = connections.makeAsyncIterator()
                let peer = try #require(try await accepted.next())
                let peerTimer = peer.channel.eventLoop.scheduleTask(in: Self.peerLimit) { peer.channel.close(promise: nil) }
                defer { peerTimer.cancel() }
                try await peer.executeThenClose { inbound, outbound in
                    var frames = inbound.makeAsyncIterator()
                    try await body(client, &frames, outbound, peer.channel)
                }
            } catch {
                await client.close()
                throw error
            }
            await client.close()
        }
    }

    /// How long one test's peer may live: far longer than any test here needs.
    static let peerLimit = TimeAmount.seconds(20)

    /// The next Request the client sent, with its stream id.
    func nextRequest(_ frames: inout PeerInbound.AsyncIterator) async throws -> (UInt32, Ttrpc_Request) {
        guard case .frame(let frame) = try await frames.next() else {
            throw RPCError(code: .unavailable, message: "client sent no frame")
        }
        #expect(frame.type == .request)
        #expect(frame.flags == 0)
        return (frame.streamID, try Ttrpc_Request(buffer: frame.data))
    }

    func reply(_ outbound: PeerOutbound, _ streamID: UInt32, _ response: Ttrpc_Response) async throws {
        try await outbound.write(TTRPCFrame(streamID: streamID, type: .response, data: try response.serializedByteBuffer()))
    }

    func keyValue(_ key: String) -> Ttrpc_KeyValue {
        var message = Ttrpc_KeyValue()
        message.key = key
        return message
    }

    @Test("calls go out on odd, growing stream ids with service, method, payload, timeout_nano and lower-cased metadata")
    func requestShape() async throws {
        try await withPeer { client, frames, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    _ = try await client.call(
                        service: "s.v1.S", method: "A", request: self.keyValue("a"), as: Ttrpc_KeyValue.self,
                        timeout: .seconds(3), metadata: [("Flygate-Request-ID", "r1")]
                    )
                }
                let (first, request) = try await self.nextRequest(&frames)
                #expect(first == 1)
                #expect(request.service == "s.v1.S")
                #expect(request.method == "A")
                #expect(try Ttrpc_KeyValue(serializedBytes: request.payload) == self.keyValue("a"))
                #expect(request.timeoutNano == 3_000_000_000)
                #expect(request.metadata.map { "\($0.key)=\($0.value)" } == ["flygate-request-id=r1"])
                try await self.reply(outbound, first, Ttrpc_Response())
                try await group.waitForAll()

                for expected in [UInt32(3), 5, 7] {
                    group.addTask {
                        _ = try await client.call(service: "s.v1.S", method: "B", request: self.keyValue("b"), as: Ttrpc_KeyValue.self)
                    }
                    let (streamID, next) = try await self.nextRequest(&frames)
                    #expect(streamID == expected)
                    #expect(next.timeoutNano == 0)
                    try await self.reply(outbound, streamID, Ttrpc_Response())
                    try await group.waitForAll()
                }
            }
        }
    }

    @Test("a missing status and code 0 are both OK; answers are matched by stream id in any order")
    func answersByStream() async throws {
        try await withPeer { client, frames, outbound, _ in
            try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    try await client.call(service: "s", method: "m", request: self.keyValue("x"), as: Ttrpc_KeyValue.self).key
                }
                let (one, _) = try await self.nextRequest(&frames)
                group.addTask {
                    try await client.call(service: "s", method: "m", request: self.keyValue("y"), as: Ttrpc_KeyValue.self).key
                }
                let (two, _) = try await self.nextRequest(&frames)
                // Answer the second first, with an explicit code 0; the first with no status at all.
                var explicitOK = Ttrpc_Response(payload: try self.keyValue("second").serializedBytes())
                explicitOK.status = Ttrpc_Status()
                try await self.reply(outbound, two, explicitOK)
                #expect(try await group.next() == "second")
                try await self.reply(outbound, one, Ttrpc_Response(payload: try self.keyValue("first").serializedBytes()))
                #expect(try await group.next() == "first")
            }
        }
    }

    @Test("a non-OK status throws RPCError with its code, message and details")
    func errorStatus() async throws {
        try await withPeer { client, frames, outbound, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let error = await #expect(throws: RPCError.self) {
                        _ = try await client.call(service: "s", method: "m", request: self.keyValue("x"), as: Ttrpc_KeyValue.self)
                    }
                    #expect(error?.code == .notFound)
                    #expect(error?.message == "no such machine")
                    #expect(error?.details.first?.typeURL == "t/x")
                }
                let (streamID, _) = try await self.nextRequest(&frames)
                var detail = Ttrpc_Any()
                detail.typeURL = "t/x"
                try await self.reply(outbound, streamID, Ttrpc_Response(error: RPCError(code: .notFound, message: "no such machine", details: [detail])))
                try await group.waitForAll()
            }
        }
    }

    @Test("the client gives up at its deadline even if the server never answers")
    func localDeadline() async throws {
        try await withPeer { client, frames, _, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let error = await #expect(throws: RPCError.self) {
                        _ = try await client.call(service: "s", method: "m", request: self.keyValue("x"), as: Ttrpc_KeyValue.self, timeout: .milliseconds(100))
                    }
                    #expect(error?.code == .deadlineExceeded)
                }
                let (_, request) = try await self.nextRequest(&frames)
                #expect(request.timeoutNano == 100_000_000)
                try await group.waitForAll()
            }
        }
    }

    @Test("cancelling the calling task fails the call with CANCELLED; a late answer is ignored")
    func cancellation() async throws {
        try await withPeer { client, frames, outbound, _ in
            let call = Task {
                try await client.call(service: "s", method: "m", request: self.keyValue("x"), as: Ttrpc_KeyValue.self)
            }
            let (streamID, _) = try await self.nextRequest(&frames)
            call.cancel()
            let error = await #expect(throws: RPCError.self) { _ = try await call.value }
            #expect(error?.code == .cancelled)
            try await self.reply(outbound, streamID, Ttrpc_Response())
            // The connection is still usable for the next call.
            async let next = client.call(service: "s", method: "m", request: self.keyValue("y"), as: Ttrpc_KeyValue.self)
            let (nextID, _) = try await self.nextRequest(&frames)
            #expect(nextID == streamID + 2)
            try await self.reply(outbound, nextID, Ttrpc_Response(payload: try self.keyValue("y").serializedBytes()))
            #expect(try await next.key == "y")
        }
    }

    @Test("every pending call fails with UNAVAILABLE when the connection drops, and later calls fail too")
    func dropFailsPending() async throws {
        try await withPeer { client, frames, _, peerChannel in
            try await withThrowingTaskGroup(of: RPCStatusCode?.self) { group in
                for _ in 0..<3 {
                    group.addTask {
                        do {
                            _ = try await client.call(service: "s", method: "m", request: self.keyValue("x"), as: Ttrpc_KeyValue.self)
                            return nil
                        } catch let error as RPCError {
                            return error.code
                        }
                    }
                }
                for _ in 0..<3 {
                    _ = try await self.nextRequest(&frames)
                }
                try await peerChannel.close()
                var codes: [RPCStatusCode?] = []
                for try await code in group {
                    codes.append(code)
                }
                #expect(codes == [.unavailable, .unavailable, .unavailable])
            }
            let later = await #expect(throws: RPCError.self) {
                _ = try await client.call(service: "s", method: "m", request: self.keyValue("z"), as: Ttrpc_KeyValue.self)
            }
            #expect(later?.code == .unavailable)
        }
    }

    @Test("connecting to a path nobody listens on is UNAVAILABLE")
    func connectFailure() async throws {
        let error = await #expect(throws: RPCError.self) {
            _ = try await RPCClient.connect(path: "/tmp/fgc-none-\(getpid())/s.sock")
        }
        #expect(error?.code == .unavailable)
    }
}

/// Connecting to a listener whose queue of connections not yet accepted is full: the connect
/// waits for room (EAGAIN is no answer) for a bounded time.
@Suite("Connecting to a full listen queue", .timeLimit(.minutes(1)))
struct FullListenQueueTests {
    /// A real Unix socket listening with a backlog of 0 that accepts only when told, its queue
    /// filled with connections nobody accepted.
    final class FullListener {
        let directory: String
        let path: String
        private let listener: Int32
        private var queued: [Int32] = []

        init() throws {
            var template = Array("/tmp/fgq-XXXXXX".utf8CString)
            guard let made = mkdtemp(&template) else { throw IOError(errnoCode: errno, reason: "mkdtemp") }
            self.directory = String(cString: made)
            self.path = self.directory + "/s.sock"
            self.listener = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
            var address = try SocketAddress(unixDomainSocketPath: self.path)
            let bound = address.withSockAddr { bind(self.listener, $0, socklen_t($1)) }
            guard bound == 0, listen(self.listener, 0) == 0 else { throw IOError(errnoCode: errno, reason: "bind/listen") }
            // Queue connections until the kernel refuses one: the queue is full.
            for _ in 0..<64 {
                let client = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
                let result = address.withSockAddr { connect(client, $0, socklen_t($1)) }
                if result != 0 {
                    let failure = errno
                    close(client)
                    guard failure == EAGAIN else { throw IOError(errnoCode: failure, reason: "filling the queue") }
                    return
                }
                self.queued.append(client)
            }
            throw IOError(errnoCode: EINVAL, reason: "the listen queue never filled")
        }

        /// Accepts one waiting connection, making room for one more.
        func acceptOne() {
            let accepted = accept(self.listener, nil, nil)
            if accepted >= 0 { self.queued.append(accepted) }
        }

        deinit {
            for descriptor in self.queued { close(descriptor) }
            close(self.listener)
            unlink(self.path)
            rmdir(self.directory)
        }
    }

    final class Attempts: Sendable {
        let count = Atomic(0)
    }

    @Test("a connect refused with EAGAIN is tried again and succeeds once the listener accepts")
    func waitsForRoom() async throws {
        let listener = try FullListener()
        let attempts = Attempts()
        let path = listener.path
        let connecting = Task {
            try await SocketPath.connectWaitingForRoom {
                attempts.count.add(1, ordering: .relaxed)
                return try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(unixDomainSocketPath: path).get()
            }
        }
        // Room is made only after the first try was refused and a second one made.
        for _ in 0..<5_000 where attempts.count.load(ordering: .relaxed) < 2 { try await Task.sleep(for: .milliseconds(1)) }
        #expect(attempts.count.load(ordering: .relaxed) >= 2)
        listener.acceptOne()
        let channel = try await connecting.value
        try await channel.close()
    }

    @Test("the wait is bounded: with no room made, the connect fails with the kernel's EAGAIN")
    func boundedWait() async throws {
        let listener = try FullListener()
        let started = ContinuousClock.now
        let error = await #expect(throws: IOError.self) {
            _ = try await SocketPath.connectWaitingForRoom(patience: .milliseconds(200)) {
                try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                    .connect(unixDomainSocketPath: listener.path).get()
            }
        }
        #expect(error?.errnoCode == EAGAIN)
        #expect(ContinuousClock.now - started >= .milliseconds(100))
    }

    @Test("RPCClient.connect waits for a daemon whose listen queue is momentarily full")
    func clientWaitsForRoom() async throws {
        let listener = try FullListener()
        let path = listener.path
        let connecting = Task { try await RPCClient.connect(path: path) }
        try await Task.sleep(for: .milliseconds(100))
        listener.acceptOne()
        let client = try await connecting.value
        await client.close()
    }
}
