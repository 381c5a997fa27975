import FlyGateWire
import NIOCore

/// The messages of one server stream as the connection's handler hands them to the consumer,
/// with back-pressure: a full buffer stops the connection being read.
typealias StreamMessages = NIOThrowingAsyncSequenceProducer<
    ByteBuffer, any Error, NIOAsyncSequenceProducerBackPressureStrategies.HighLowWatermark, ClientStreamDelegate
>

/// Tells the connection's handler that a stream's consumer wants more, or has gone.
struct ClientStreamDelegate: NIOAsyncSequenceProducerDelegate {
    let handler: NIOLoopBound<ClientCallHandler>
    let callID: UInt64

    func produceMore() {
        let handler = self.handler
        let callID = self.callID
        handler.eventLoop.execute { handler.value.resumeStream(callID: callID) }
    }

    func didTerminate() {
        let handler = self.handler
        let callID = self.callID
        handler.eventLoop.execute { handler.value.abandonStream(callID: callID) }
    }
}

extension ClientCallHandler {
    /// One open server stream.
    struct PendingStream {
        var callID: UInt64
        var source: StreamMessages.Source
        var timeout: Scheduled<Void>?
    }

    /// Starts a server stream: sends `request` flagged remote-closed (ttrpc 1.2) on the next
    /// stream id; its messages and end go to `source`.
    func startStream(callID: UInt64, request: Ttrpc_Request, deadline: NIODeadline?, source: StreamMessages.Source) {
        let context: ChannelHandlerContext
        switch self.openContext {
        case .success(let open): context = open
        case .failure(let error):
            source.finish(error)
            return
        }
        let data: ByteBuffer
        do {
            data = try request.serializedByteBuffer()
        } catch {
            source.finish(RPCError(code: .internalError, message: "request did not serialize", cause: error))
            return
        }
        guard data.readableBytes <= self.maxFrameBytes else {
            source.finish(RPCError(
                code: .resourceExhausted,
                message: "request of \(data.readableBytes) bytes is over the maximum frame size of \(self.maxFrameBytes)"))
            return
        }
        guard let streamID = self.takeStreamID() else {
            source.finish(RPCError(code: .resourceExhausted, message: "stream ids used up on this connection; reconnect"))
            return
        }
        let timeout = deadline.map { deadline in
            context.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) {
                self.endStream(streamID, with: RPCError(code: .deadlineExceeded, message: "deadline exceeded"))
            }
        }
        self.streams[streamID] = PendingStream(callID: callID, source: source, timeout: timeout)
        self.streamCalls[callID] = streamID

        let frame = TTRPCFrame(streamID: streamID, type: .request, flags: TTRPCFlags.remoteClosed, data: data)
        let written = context.eventLoop.makePromise(of: Void.self)
        context.writeAndFlush(self.wrapOutboundOut(frame), promise: written)
        written.futureResult.assumeIsolated().whenFailure { error in
            self.endStream(streamID, with: RPCError(code: .unavailable, message: "request not sent", cause: error))
        }
    }

    /// Handles a frame that belongs to a server stream; false for any other frame.
    func streamFrameArrived(_ unit: TTRPCInboundFrame) -> Bool {
        switch unit {
        case .frame(let frame):
            guard let stream = self.streams[frame.streamID] else {
                // Data for a stream given up (or never ours) is dropped.
                return frame.type == .data
            }
            switch frame.type {
            case .data:
                if frame.flags & TTRPCFlags.noData == 0 {
                    switch stream.source.yield(frame.data) {
                    case .produceMore: break
                    case .stopProducing: self.pausedStreams.insert(frame.streamID)
                    case .dropped:
                        self.abandon(frame.streamID)
                        return true
                    }
                }
                if frame.flags & TTRPCFlags.remoteClosed != 0 { self.endStream(frame.streamID, with: nil) }
            case .response:
                do {
                    self.endStream(frame.streamID, with: try Ttrpc_Response(buffer: frame.data).rpcError)
                } catch {
                    self.endStream(
                        frame.streamID, with: RPCError(code: .internalError, message: "response envelope does not parse", cause: error))
                }
            default:
                break
            }
            return true
        case .oversized(let header):
            guard self.streams[header.streamID] != nil else { return false }
            self.endStream(header.streamID, with: RPCError(
                code: .resourceExhausted,
                message: "stream message of \(header.dataLength) bytes is over the maximum frame size of \(self.maxFrameBytes)"))
            self.sendGiveUp(header.streamID)
            return true
        }
    }

    /// The consumer of a stream wants more: read again if no other stream is full.
    func resumeStream(callID: UInt64) {
        guard let streamID = self.streamCalls[callID] else { return }
        self.pausedStreams.remove(streamID)
        self.readIfWanted()
    }

    /// The consumer of a stream has gone (it stopped iterating, or its task was cancelled):
    /// forgets the stream and tells the server so.
    func abandonStream(callID: UInt64) {
        guard let streamID = self.streamCalls[callID] else { return }
        self.abandon(streamID)
    }

    private func abandon(_ streamID: UInt32) {
        self.endStream(streamID, with: RPCError(code: .cancelled, message: "stream given up"))
        self.sendGiveUp(streamID)
    }

    /// Ends a stream here: its consumer gets the end (nil: OK) and later frames are dropped.
    func endStream(_ streamID: UInt32, with error: RPCError?) {
        guard let stream = self.streams.removeValue(forKey: streamID) else { return }
        self.streamCalls.removeValue(forKey: stream.callID)
        stream.timeout?.cancel()
        if let error { stream.source.finish(error) } else { stream.source.finish() }
        self.pausedStreams.remove(streamID)
        self.readIfWanted()
    }

    /// Tells flygate the client gave a stream up: an empty Data frame flagged remote-closed,
    /// which flygate takes as a cancel (ttrpc has none). Other ttrpc servers ignore it.
    private func sendGiveUp(_ streamID: UInt32) {
        guard case .success(let context) = self.openContext else { return }
        let frame = TTRPCFrame(
            streamID: streamID, type: .data, flags: TTRPCFlags.remoteClosed | TTRPCFlags.noData, data: ByteBuffer())
        context.writeAndFlush(self.wrapOutboundOut(frame), promise: nil)
    }

    private func readIfWanted() {
        guard self.readWanted, self.pausedStreams.isEmpty, let context = self.context else { return }
        self.readWanted = false
        context.read()
    }

    /// Fails every open stream with `error` (the connection went).
    func failAllStreams(_ error: RPCError) {
        let streams = self.streams
        self.streams.removeAll()
        self.streamCalls.removeAll()
        self.pausedStreams.removeAll()
        for stream in streams.values {
            stream.timeout?.cancel()
            stream.source.finish(error)
        }
    }
}
