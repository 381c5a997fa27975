import FlyGateWire
import NIOCore
import NIOPosix

/// A bare ttrpc connection for tests: sends any bytes, reads decoded frames.
///
/// Every connection has a deadline: when it passes, the connection is closed, which ends any
/// send stuck behind a peer that does not read and any receive from a peer that never answers,
/// and `with` throws ``TimeoutError``. Cancelling the task closes it the same way.
package struct RawConnection {
    private var frames: NIOAsyncChannelInboundStream<TTRPCInboundFrame>.AsyncIterator
    private let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    /// The underlying channel, to close it from outside (``close()``).
    private let channel: any Channel

    /// Connects to `path` and runs `body` with the connection; closes it afterwards, or when
    /// `timeout` passes or the task is cancelled first.
    package static func with<T: Sendable>(
        _ path: String,
        timeout: Duration = .seconds(30),
        _ body: (inout RawConnection) async throws -> T
    ) async throws -> T {
        let started = ContinuousClock.now
        let connected = try await SocketPath.connectWaitingForRoom {
            try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(unixDomainSocketPath: path) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(TTRPCFrameDecoder()))
                        return try NIOAsyncChannel<TTRPCInboundFrame, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        }
        let channel = connected.channel
        let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(Int64(timeout.components.seconds) * 1_000_000_000
            + timeout.components.attoseconds / 1_000_000_000)) {
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        do {
            return try await withTaskCancellationHandler {
                try await connected.executeThenClose { inbound, outbound in
                    var connection = RawConnection(frames: inbound.makeAsyncIterator(), outbound: outbound, channel: channel)
                    return try await body(&connection)
                }
            } onCancel: {
                channel.close(promise: nil)
            }
        } catch {
            if ContinuousClock.now >= started + timeout { throw TimeoutError("a raw connection to \(path)", after: timeout) }
            throw error
        }
    }

    /// Closes the connection now: a send or receive in progress fails.
    package func close() {
        channel.close(promise: nil)
    }

    /// The sending half, to send from another task while this one reads or waits.
    package var sender: Sender { Sender(outbound: outbound, channel: channel) }

    /// The sending half of a ``RawConnection``.
    package struct Sender: Sendable {
        let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
        let channel: any Channel

        package func send(_ bytes: [UInt8]) async throws {
            try await outbound.write(ByteBuffer(bytes: bytes))
        }

        /// Closes the connection: a send in progress fails.
        package func close() {
            channel.close(promise: nil)
        }
    }

    /// Sends raw bytes.
    package func send(_ bytes: ByteBuffer) async throws {
        try await self.outbound.write(bytes)
    }

    /// Sends raw bytes.
    package func send(_ bytes: [UInt8]) async throws {
        try await self.outbound.write(ByteBuffer(bytes: bytes))
    }

    /// Sends one frame of `type` with `data` on `streamID`.
    package func sendFrame(streamID: UInt32, type: TTRPCMessageType = .request, data: ByteBuffer) async throws {
        var out = ByteBuffer()
        try TTRPCFrameEncoder(maxDataBytes: TTRPCFrame.largestEncodableDataBytes)
            .encode(data: TTRPCFrame(streamID: streamID, type: type, data: data), out: &out)
        try await self.send(out)
    }

    /// Sends a Request envelope on `streamID`.
    package func sendRequest(
        streamID: UInt32,
        service: String,
        method: String,
        payload: [UInt8],
        timeoutNano: Int64 = 0
    ) async throws {
        var request = Ttrpc_Request()
        request.service = service
        request.method = method
        request.payload = .init(payload)
        request.timeoutNano = timeoutNano
        try await self.sendFrame(streamID: streamID, data: try request.serializedByteBuffer())
    }

    /// The next frame from the server, or `nil` once the server closed the connection.
    package mutating func nextFrame() async throws -> TTRPCFrame? {
        while let unit = try await self.frames.next() {
            if case .frame(let frame) = unit { return frame }
        }
        return nil
    }

    /// The next frame, parsed as a Response; fails the test if the connection closed.
    package mutating func nextResponse() async throws -> (streamID: UInt32, response: Ttrpc_Response) {
        guard let frame = try await self.nextFrame() else {
            throw RPCError(code: .unavailable, message: "server closed the connection")
        }
        guard frame.type == .response else {
            throw RPCError(code: .internalError, message: "server sent a \(frame.type) frame")
        }
        return (frame.streamID, try Ttrpc_Response(buffer: frame.data))
    }

    /// Waits until the server closes the connection, discarding frames; returns how many arrived.
    package mutating func waitForClose() async throws -> Int {
        var count = 0
        while try await self.nextFrame() != nil {
            count += 1
        }
        return count
    }
}
