import FlyGateWire
import NIOCore

/// Matches answers to calls on one client connection; lives on the channel's event loop.
///
/// It hands out stream ids (odd, growing, never reused), remembers each call's promise and
/// local deadline, and fails every pending call when the connection goes away. Server streams
/// (ttrpc 1.2) pass their messages to their consumer's sequence; while one consumer has its
/// buffer full, the connection is not read (ttrpc has no flow control of its own, so the
/// server's writes then wait: a slow consumer holds back the whole connection, never memory).
final class ClientCallHandler: ChannelDuplexHandler {
    typealias InboundIn = TTRPCInboundFrame
    typealias OutboundIn = TTRPCFrame
    typealias OutboundOut = TTRPCFrame

    private struct Pending {
        var callID: UInt64
        var promise: EventLoopPromise<Ttrpc_Response>
        var timeout: Scheduled<Void>?
    }

    let maxFrameBytes: Int
    private(set) var context: ChannelHandlerContext?
    private var nextStreamID: UInt32 = 1
    private var pending: [UInt32: Pending] = [:]
    private var streamIDs: [UInt64: UInt32] = [:]
    private var cancelledEarly: Set<UInt64> = []
    private var closed: RPCError?
    /// The open server streams, by stream id.
    var streams: [UInt32: PendingStream] = [:]
    /// Streams whose consumer's buffer is full: while any is, the connection is not read.
    var pausedStreams: Set<UInt32> = []
    /// The stream ids of open server streams, by call.
    var streamCalls: [UInt64: UInt32] = [:]
    /// A read was asked for while paused, to issue when no stream is.
    var readWanted = false

    init(maxFrameBytes: Int) {
        self.maxFrameBytes = maxFrameBytes
    }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.failAll(RPCError(code: .unavailable, message: "connection closed"))
        self.context = nil
    }

    /// Sends `request` on the next stream id; `promise` gets the answer or the failure.
    func start(callID: UInt64, request: Ttrpc_Request, deadline: NIODeadline?, promise: EventLoopPromise<Ttrpc_Response>) {
        if self.cancelledEarly.remove(callID) != nil {
            promise.fail(RPCError(code: .cancelled, message: "call cancelled"))
            return
        }
        guard let context = self.context, self.closed == nil else {
            promise.fail(self.closed ?? RPCError(code: .unavailable, message: "connection closed"))
            return
        }
        let data: ByteBuffer
        do {
            data = try request.serializedByteBuffer()
        } catch {
            promise.fail(RPCError(code: .internalError, message: "request did not serialize", cause: error))
            return
        }
        guard data.readableBytes <= self.maxFrameBytes else {
            promise.fail(RPCError(
                code: .resourceExhausted,
                message: "request of \(data.readableBytes) bytes is over the maximum frame size of \(self.maxFrameBytes)"
            ))
            return
        }
        guard let streamID = self.takeStreamID() else {
            promise.fail(RPCError(code: .resourceExhausted, message: "stream ids used up on this connection; reconnect"))
            return
        }

        let timeout = deadline.map { deadline in
            context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
                self.finish(streamID, with: .failure(RPCError(code: .deadlineExceeded, message: "deadline exceeded")))
            }
        }
        self.pending[streamID] = Pending(callID: callID, promise: promise, timeout: timeout)
        self.streamIDs[callID] = streamID

        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(self.wrapOutboundOut(TTRPCFrame(streamID: streamID, type: .request, data: data)), promise: written)
        written.futureResult.assumeIsolated().whenFailure { error in
            self.finish(streamID, with: .failure(RPCError(code: .unavailable, message: "request not sent", cause: error)))
        }
    }

    /// Gives up on a call: it fails with CANCELLED and a late answer is dropped.
    func cancel(callID: UInt64) {
        guard let streamID = self.streamIDs[callID] else {
            self.cancelledEarly.insert(callID)
            return
        }
        self.finish(streamID, with: .failure(RPCError(code: .cancelled, message: "call cancelled")))
    }

    /// The next stream id, or nil when they are used up.
    func takeStreamID() -> UInt32? {
        guard self.nextStreamID < UInt32.max - 1 else { return nil }
        defer { self.nextStreamID += 2 }
        return self.nextStreamID
    }

    /// The channel to write on, or the error to fail a new call with.
    var openContext: Result<ChannelHandlerContext, RPCError> {
        guard let context = self.context, self.closed == nil else {
            return .failure(self.closed ?? RPCError(code: .unavailable, message: "connection closed"))
        }
        return .success(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if self.streamFrameArrived(self.unwrapInboundIn(data)) { return }
        switch self.unwrapInboundIn(data) {
        case .frame(let frame):
            guard frame.type == .response else { return }
            do {
                let response = try Ttrpc_Response(buffer: frame.data)
                self.finish(frame.streamID, with: .success(response))
            } catch {
                let failure = RPCError(code: .internalError, message: "response envelope does not parse", cause: error)
                self.finish(frame.streamID, with: .failure(failure))
            }
        case .oversized(let header):
            let failure = RPCError(
                code: .resourceExhausted,
                message: "response of \(header.dataLength) bytes is over the maximum frame size of \(self.maxFrameBytes)"
            )
            self.finish(header.streamID, with: .failure(failure))
        }
    }

    func read(context: ChannelHandlerContext) {
        guard self.pausedStreams.isEmpty else {
            self.readWanted = true
            return
        }
        context.read()
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.failAll(RPCError(code: .unavailable, message: "connection closed"))
        context.fireChannelInactive()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // The stream can no longer be trusted (e.g. a bad header): fail everything and close.
        self.failAll(RPCError(code: .unavailable, message: "connection failed", cause: error))
        context.close(promise: nil)
    }

    private func finish(_ streamID: UInt32, with result: Result<Ttrpc_Response, RPCError>) {
        guard let call = self.pending.removeValue(forKey: streamID) else { return }
        self.streamIDs.removeValue(forKey: call.callID)
        call.timeout?.cancel()
        call.promise.completeWith(result.mapError { $0 as any Error })
    }

    private func failAll(_ error: RPCError) {
        if self.closed == nil {
            self.closed = error
        }
        let calls = self.pending
        self.pending.removeAll()
        self.streamIDs.removeAll()
        for call in calls.values {
            call.timeout?.cancel()
            call.promise.fail(error)
        }
        self.failAllStreams(error)
    }
}
