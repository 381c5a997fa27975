import FlyGateClient
import FlyGateWire
import NIOCore
import Synchronization
import Testing

/// Server streams (ttrpc 1.2) as the client puts them on the wire, against the scripted peer.
@Suite("RPCClient server streams", .timeLimit(.minutes(1)))
struct RPCClientStreamTests {
    typealias PeerInbound = RPCClientTests.PeerInbound
    typealias PeerOutbound = RPCClientTests.PeerOutbound

    private let unary = RPCClientTests()

    func withPeer(
        _ body: (RPCClient, inout PeerInbound.AsyncIterator, PeerOutbound, any Channel) async throws -> Void
    ) async throws {
        try await self.unary.withPeer(body)
    }

    func reply(_ outbound: PeerOutbound, _ streamID: UInt32, _ response: Ttrpc_Response) async throws {
        try await self.unary.reply(outbound, streamID, response)
    }

    func nextRequest(_ frames: inout PeerInbound.AsyncIterator) async throws -> (UInt32, Ttrpc_Request) {
        try await self.unary.nextRequest(&frames)
    }

    func keyValue(_ key: String) -> Ttrpc_KeyValue {
        self.unary.keyValue(key)
    }

    /// A Data frame carrying `message` on `streamID`.
    func data(_ streamID: UInt32, _ message: Ttrpc_KeyValue, flags: UInt8 = 0) throws -> TTRPCFrame {
        TTRPCFrame(streamID: streamID, type: .data, flags: flags, data: try message.serializedByteBuffer())
    }

    /// The next frame the client sent.
    func nextFrame(_ frames: inout PeerInbound.AsyncIterator) async throws -> TTRPCFrame {
        guard case .frame(let frame) = try await frames.next() else {
            throw RPCError(code: .unavailable, message: "client sent no frame")
        }
        return frame
    }

    @Test("a stream starts with a Request flagged remote-closed; Data frames are its messages, a Data frame flagged 0x01 its end")
    func streamShape() async throws {
        try await withPeer { client, frames, outbound, _ in
            try await withThrowingTaskGroup(of: [String].self) { group in
                group.addTask {
                    try await client.serverStream(
                        service: "s.v1.S", method: "W", request: self.keyValue("w"), as: Ttrpc_KeyValue.self, timeout: .seconds(5)
                    ).reduce(into: []) { $0.append($1.key) }
                }
                let request = try await self.nextFrame(&frames)
                #expect(request.type == .request && request.streamID == 1 && request.flags == TTRPCFlags.remoteClosed)
                let envelope = try Ttrpc_Request(buffer: request.data)
                #expect(envelope.service == "s.v1.S" && envelope.method == "W" && envelope.timeoutNano == 5_000_000_000)
                try await outbound.write(try self.data(1, self.keyValue("a")))
                // An empty message is a zero-length frame without no-data; the last one may carry a message too.
                try await outbound.write(TTRPCFrame(streamID: 1, type: .data, data: ByteBuffer()))
                try await outbound.write(try self.data(1, self.keyValue("c"), flags: TTRPCFlags.remoteClosed))
                #expect(try await group.next() == ["a", "", "c"])
            }
        }
    }

    @Test("a Response ends a stream with its status; frames after the end and of other streams are dropped")
    func streamError() async throws {
        try await withPeer { client, frames, outbound, _ in
            try await withThrowingTaskGroup(of: (keys: [String], code: RPCStatusCode?).self) { group in
                group.addTask {
                    var keys: [String] = []
                    do {
                        for try await message in client.serverStream(
                            service: "s", method: "W", request: self.keyValue("w"), as: Ttrpc_KeyValue.self)
                        {
                            keys.append(message.key)
                        }
                        return (keys, nil)
                    } catch let error as RPCError {
                        return (keys, error.code)
                    }
                }
                let request = try await self.nextFrame(&frames)
                try await outbound.write(try self.data(99, self.keyValue("stray")))
                try await outbound.write(try self.data(request.streamID, self.keyValue("one")))
                try await self.reply(outbound, request.streamID, Ttrpc_Response(error: RPCError(code: .notFound, message: "gone")))
                let (keys, code) = try #require(try await group.next())
                #expect(keys == ["one"])
                #expect(code == .notFound)
            }
            // A unary call after it is answered as usual.
            try await withThrowingTaskGroup(of: String.self) { group in
                group.addTask {
                    try await client.call(service: "s", method: "m", request: self.keyValue("x"), as: Ttrpc_KeyValue.self).key
                }
                let (streamID, _) = try await self.nextRequest(&frames)
                try await self.reply(outbound, streamID, Ttrpc_Response(payload: try self.keyValue("unary").serializedBytes()))
                #expect(try await group.next() == "unary")
            }
        }
    }

    @Test("ending the iteration early or cancelling the consumer gives the stream up: an empty Data frame flagged 0x05")
    func giveUp() async throws {
        try await withPeer { client, frames, outbound, _ in
            // Early end of the iteration.
            let consumer = Task {
                for try await message in client.serverStream(service: "s", method: "W", request: self.keyValue("w"), as: Ttrpc_KeyValue.self) {
                    return message.key
                }
                return ""
            }
            let first = try await self.nextFrame(&frames)
            try await outbound.write(try self.data(first.streamID, self.keyValue("only")))
            #expect(try await consumer.value == "only")
            let givenUp = try await self.nextFrame(&frames)
            #expect(givenUp.streamID == first.streamID && givenUp.type == .data)
            #expect(givenUp.flags == TTRPCFlags.remoteClosed | TTRPCFlags.noData && givenUp.data.readableBytes == 0)

            // Cancelling the consuming task.
            let started = Mutex(false)
            let waiting = Task {
                for try await _ in client.serverStream(service: "s", method: "W", request: self.keyValue("w"), as: Ttrpc_KeyValue.self) {
                    started.withLock { $0 = true }
                }
            }
            let second = try await self.nextFrame(&frames)
            try await outbound.write(try self.data(second.streamID, self.keyValue("one")))
            #expect(try await holdsSoon { started.withLock { $0 } })
            waiting.cancel()
            let cancelled = try await self.nextFrame(&frames)
            #expect(cancelled.streamID == second.streamID && cancelled.type == .data)
            #expect(cancelled.flags == TTRPCFlags.remoteClosed | TTRPCFlags.noData)
            _ = await waiting.result
        }
    }

    @Test("a consumer that does not keep up stops the connection being read; nothing piles up, and every message arrives")
    func consumerBackPressure() async throws {
        let total = 600
        let written = Counter()
        try await withPeer { client, frames, _, peer in
            let stream = client.serverStream(service: "s", method: "W", request: self.keyValue("w"), as: Ttrpc_KeyValue.self)
            let request = try await self.nextFrame(&frames)
            let big = String(repeating: "x", count: 16 * 1024)
            // Each message counts once the peer's socket took it (a write's future completes
            // when its bytes are in the kernel). Counted at the async channel's writer instead,
            // the check failed now and then in loaded parallel runs, never alone: that writer
            // takes writes into its own buffer for as long as it believes the channel writable,
            // which it learns from the event loop, late when the loop runs late, so its count
            // said how far the writer got, not what the client read.
            let writer = Task {
                for index in 0..<total {
                    var message = self.keyValue(String(index))
                    message.value = big
                    try await peer.writeAndFlush(try self.data(request.streamID, message)).get()
                    written.increment()
                }
                try await peer.writeAndFlush(TTRPCFrame(
                    streamID: request.streamID, type: .data, flags: TTRPCFlags.remoteClosed | TTRPCFlags.noData, data: ByteBuffer())
                ).get()
            }
            // Nobody iterates: unbounded, all 9.6 MiB would be read into memory at once. Bounded,
            // the client holds a stream buffer's worth and the two kernel buffers hold the rest.
            let half = try await holdsSoon(within: .seconds(1)) { written.value >= total / 2 }
            #expect(!half, "the client read \(written.value) messages nobody consumed")
            var keys: [String] = []
            for try await message in stream { keys.append(message.key) }
            #expect(keys == (0..<total).map(String.init))
            try await writer.value
        }
    }
}

/// Checks `condition` until it holds or `limit` passes (backing off from 2 ms to 50 ms); true when it held.
private func holdsSoon(within limit: Duration = .seconds(10), _ condition: () -> Bool) async throws -> Bool {
    let deadline = ContinuousClock.now + limit
    var pause = Duration.milliseconds(2)
    while ContinuousClock.now < deadline {
        if condition() { return true }
        try await Task.sleep(for: pause)
        pause = min(pause * 2, .milliseconds(50))
    }
    return condition()
}

/// A count shared between tasks.
private final class Counter: Sendable {
    private let count = Atomic<Int>(0)
    var value: Int { self.count.load(ordering: .relaxed) }
    func increment() { self.count.add(1, ordering: .relaxed) }
}
