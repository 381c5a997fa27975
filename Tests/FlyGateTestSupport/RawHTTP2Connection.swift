import FlyGateWire
import NIOCore
import NIOHPACK
import NIOPosix
import Synchronization

/// A bare HTTP/2 connection for tests: sends any bytes (``HTTP2Wire`` builds frames), reads the
/// server's frames, HPACK-decoding every header block in order.
///
/// Every connection has a deadline: when it passes, the connection is closed, which ends any
/// send stuck behind a server that does not read and any receive from one that never answers,
/// and `with` throws ``TimeoutError`` — also when `body` returned, so that a close the test
/// took for the server's was not the deadline's. Cancelling the task closes it the same way.
package struct RawHTTP2Connection {
    private var frames: NIOAsyncChannelInboundStream<HTTP2InboundFrame>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    private let channel: any Channel
    private var decoder = HPACKDecoder(allocator: ByteBufferAllocator())
    /// A header block whose CONTINUATION frames are still to come.
    private var partialBlock: (frame: HTTP2InboundFrame, block: [UInt8])?

    /// Connects to `path` and runs `body` with the connection; closes it afterwards, or when
    /// `timeout` passes or the task is cancelled first.
    package static func with<T: Sendable>(
        _ path: String,
        timeout: Duration = .seconds(30),
        _ body: (inout RawHTTP2Connection) async throws -> T
    ) async throws -> T {
        let connected = try await SocketPath.connectWaitingForRoom {
            try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(unixDomainSocketPath: path) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(HTTP2InboundFrameDecoder()))
                        return try NIOAsyncChannel<HTTP2InboundFrame, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        }
        let channel = connected.channel
        let expired = Atomic(false)
        let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000
            + timeout.components.attoseconds / 1_000_000_000)) {
            expired.store(true, ordering: .sequentiallyConsistent)
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        let result: T
        do {
            result = try await withTaskCancellationHandler {
                try await connected.executeThenClose { inbound, outbound in
                    var connection = RawHTTP2Connection(frames: inbound.makeAsyncIterator(), outbound: outbound, channel: channel)
                    return try await body(&connection)
                }
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            if expired.load(ordering: .sequentiallyConsistent) { throw TimeoutError("a raw HTTP/2 connection to \(path)", after: timeout) }
            throw error
        }
        if expired.load(ordering: .sequentiallyConsistent) { throw TimeoutError("a raw HTTP/2 connection to \(path)", after: timeout) }
        return result
    }

    private init(frames: NIOAsyncChannelInboundStream<HTTP2InboundFrame>.AsyncIterator,
                 outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>, channel: any Channel) {
        self.frames = frames
        self.outbound = outbound
        self.channel = channel
    }

    /// Closes the connection now: a send or receive in progress fails.
    package func close() {
        channel.close(promise: nil)
    }

    /// The sending half, to send from another task while this one reads or waits.
    package var sender: RawConnection.Sender { RawConnection.Sender(outbound: outbound, channel: channel) }

    /// Sends raw bytes.
    package func send(_ bytes: [UInt8]) async throws {
        try await self.outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Sends the preface and a SETTINGS frame with `settings`, waits for the server's SETTINGS,
    /// acknowledges them (from here on the server applies them) and returns them.
    package mutating func handshake(_ settings: [(UInt16, UInt32)] = []) async throws -> [UInt16: UInt32] {
        try await send(HTTP2Wire.preface + HTTP2Wire.settings(settings))
        while let frame = try await nextFrame() {
            if frame.is(.settings), frame.flags & HTTP2Wire.Flag.ack == 0 {
                try await send(HTTP2Wire.settingsAck)
                return frame.settings
            }
        }
        throw TestSupportError("the server closed the connection before its SETTINGS")
    }

    /// The next frame from the server (a header block with its CONTINUATION frames as one
    /// HEADERS frame, its fields decoded), or nil once the connection closed (a reset included).
    package mutating func nextFrame() async throws -> HTTP2InboundFrame? {
        while true {
            let next: HTTP2InboundFrame?
            do {
                next = try await self.frames.next()
            } catch is IOError {
                return nil  // reset by the server: closed as far as a test is concerned
            }
            guard var frame = next else { return nil }
            if frame.is(.continuation), let partial = self.partialBlock {
                let block = partial.block + frame.payload
                guard frame.flags & HTTP2Wire.Flag.endHeaders != 0 else {
                    self.partialBlock = (partial.frame, block)
                    continue
                }
                self.partialBlock = nil
                frame = partial.frame
                frame.fields = try self.decode(block)
                return frame
            }
            guard frame.is(.headers) else { return frame }
            let block = Self.headerBlock(of: frame)
            guard frame.flags & HTTP2Wire.Flag.endHeaders != 0 else {
                self.partialBlock = (frame, block)
                continue
            }
            frame.fields = try self.decode(block)
            return frame
        }
    }

    /// Frames until the server closes the connection (at most `limit`); `closed` is false if
    /// the limit came first.
    package mutating func framesUntilClosed(limit: Int = 100_000) async throws -> (frames: [HTTP2InboundFrame], closed: Bool) {
        var frames: [HTTP2InboundFrame] = []
        while frames.count < limit {
            guard let frame = try await nextFrame() else { return (frames, true) }
            frames.append(frame)
        }
        return (frames, false)
    }

    /// Frames up to and including the first that `stop` accepts, or until the connection closes.
    package mutating func frames(until stop: (HTTP2InboundFrame) -> Bool, limit: Int = 100_000) async throws -> [HTTP2InboundFrame] {
        var frames: [HTTP2InboundFrame] = []
        while frames.count < limit, let frame = try await nextFrame() {
            frames.append(frame)
            if stop(frame) { break }
        }
        return frames
    }

    private mutating func decode(_ block: [UInt8]) throws -> [(name: String, value: String)] {
        var buffer = ByteBuffer(bytes: block)
        return try self.decoder.decodeHeaders(from: &buffer).map { (name: $0.name, value: $0.value) }
    }

    /// A HEADERS frame's header block: its payload without padding and priority fields.
    private static func headerBlock(of frame: HTTP2InboundFrame) -> [UInt8] {
        var block = ArraySlice(frame.payload)
        var padding = 0
        if frame.flags & 0x8 != 0, let length = block.first {
            padding = Int(length)
            block = block.dropFirst()
        }
        if frame.flags & 0x20 != 0 { block = block.dropFirst(5) }
        return Array(block.dropLast(padding))
    }
}

/// A test support helper met something it cannot go on from.
package struct TestSupportError: Error, CustomStringConvertible {
    package let description: String
    package init(_ description: String) { self.description = description }
}
