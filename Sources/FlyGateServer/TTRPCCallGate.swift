import FlyGateWire
import NIOCore

/// Where a ttrpc connection's frames become calls: on the channel's event loop, as each frame
/// is decoded.
///
/// For every Request frame it checks the stream id, takes a call slot and parses and routes
/// the request. A refusal, a request that cannot be served, and a method answered at once
/// whose interceptors all run inline (``RPCRouter/Method/callInline``: `Gateway/Health`, say)
/// are answered right here, with no task and no suspension. Every other call goes on to the
/// connection's serving task (``RPCConnection``) as a ``RPCDispatcher/PreparedCall``, admitted,
/// to run in a task of its own.
///
/// It learns which connection it serves when that task starts (``bind(_:)``); until then it
/// holds what was decoded and asks for no more. It does the same while the channel is not
/// writable: a peer that does not read its answers stops being read, and no more answers are
/// made for it than one past the channel's high-water mark (small requests for large answers
/// multiply nothing).
///
/// A server-streaming call (ttrpc 1.2, a Request flagged remote-closed) goes on like any other,
/// with an ``RPCStreamStop`` the gate keeps until the stream ends: a client's Data frame on
/// that stream ends it. A streaming method called without the flag is refused right here.
final class TTRPCCallGate: ChannelDuplexHandler {
    typealias InboundIn = TTRPCInboundFrame
    typealias InboundOut = RPCDispatcher.PreparedCall
    typealias OutboundIn = TTRPCFrame
    typealias OutboundOut = TTRPCFrame

    /// The connection the gate serves, known once its task starts.
    struct Binding: Sendable {
        let connectionID: UInt64
        let peer: PeerCredentials
        let dispatcher: RPCDispatcher
        let registry: ConnectionRegistry
        let slot: ConnectionSlot
        let executor: EventLoopTaskExecutor
    }

    private var binding: Binding?
    /// Starts a unary call in a task of its own; false when the connection takes no more.
    private var startCall: (@Sendable (RPCDispatcher.PreparedCall) -> Bool)?
    private var context: ChannelHandlerContext?
    /// Frames decoded before the binding or while the channel was not writable, in order.
    private var held = CircularBuffer<TTRPCInboundFrame>()
    /// A read asked for while unbound, holding frames or unwritable, to issue when that ends.
    private var readWanted = false
    /// The highest stream id seen: a client's stream ids only grow.
    private var lastStreamID: UInt32 = 0
    /// Something was written since the last flush.
    private var unflushed = false
    /// A flush is queued on the event loop, to run after the answers written in this turn.
    private var flushQueued = false
    /// The server streams started and not yet ended, by stream id: a client's Data frame on
    /// one of them ends it (``dataArrived(_:_:)``). At most one per call slot.
    private var openStreams: [UInt32: RPCStreamStop] = [:]

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.context = nil
        self.held.removeAll()
        self.openStreams.removeAll()
        // It holds the connection's task's state, which holds this gate: let go of it.
        self.startCall = nil
    }

    /// Starts serving: handles the frames held so far, then reads on; each unary call that
    /// needs a task goes to `startCall`, the rest on to the connection's task. Call on the
    /// channel's event loop.
    func bind(_ binding: Binding, startCall: @escaping @Sendable (RPCDispatcher.PreparedCall) -> Bool) {
        guard self.binding == nil, let context = self.context else { return }
        self.binding = binding
        self.startCall = startCall
        self.handleHeld(context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = Self.unwrapInboundIn(data)
        guard let binding = self.binding, self.held.isEmpty, context.channel.isWritable else {
            self.held.append(frame)
            return
        }
        self.handle(frame, binding, context)
    }

    func channelReadComplete(context: ChannelHandlerContext) {
        self.flushIfNeeded(context)
        context.fireChannelReadComplete()
    }

    func read(context: ChannelHandlerContext) {
        guard self.mayRead(context) else {
            self.readWanted = true
            return
        }
        context.read()
    }

    func channelWritabilityChanged(context: ChannelHandlerContext) {
        self.handleHeld(context)
        context.fireChannelWritabilityChanged()
    }

    /// Bound, holding nothing and writable: frames are handled as they are read.
    private func mayRead(_ context: ChannelHandlerContext) -> Bool {
        self.binding != nil && self.held.isEmpty && context.channel.isWritable
    }

    /// Handles the frames held, in order, while the channel stays writable; then reads on if it may.
    private func handleHeld(_ context: ChannelHandlerContext) {
        guard let binding = self.binding else { return }
        if !self.held.isEmpty, context.channel.isWritable {
            while context.channel.isWritable, let frame = self.held.popFirst() {
                self.handle(frame, binding, context)
            }
            // As after a read: answers go out, and the calls handed on reach the serving task
            // (NIOAsyncChannel passes on what it was given at each read's end).
            self.channelReadComplete(context: context)
        }
        if self.readWanted, self.mayRead(context) {
            self.readWanted = false
            context.read()
        }
    }

    /// Writes `frame` when the channel is writable; false when it is not (or the gate has left
    /// the pipeline), and the caller must wait for it to be.
    ///
    /// A call's task, running on the channel's event loop (``EventLoopTaskExecutor``), answers
    /// this way: no hand-off through the async channel's writer. The only call in flight on the
    /// connection flushes at once. With others in flight, whose answers often come in the same
    /// turn of the event loop (their upstream answers read in one wake-up), one flush queued
    /// behind them sends them all in one system call, and wakes the peer once.
    func answerIfWritable(_ frame: TTRPCFrame) -> Bool {
        guard let context = self.context, context.channel.isWritable else { return false }
        context.write(Self.wrapOutboundOut(frame), promise: nil)
        self.unflushed = true
        if let binding = self.binding, binding.slot.callsInFlight > 1 {
            self.queueFlush(context)
        } else {
            self.flushIfNeeded(context)
        }
        return true
    }

    /// Flushes after the tasks the event loop has queued now (once, however many ask).
    private func queueFlush(_ context: ChannelHandlerContext) {
        guard !self.flushQueued else { return }
        self.flushQueued = true
        context.eventLoop.assumeIsolated().execute {
            self.flushQueued = false
            if let context = self.context { self.flushIfNeeded(context) }
        }
    }

    private func flushIfNeeded(_ context: ChannelHandlerContext) {
        guard self.unflushed else { return }
        self.unflushed = false
        context.flush()
    }

    private func answer(_ context: ChannelHandlerContext, _ streamID: UInt32, _ data: ByteBuffer) {
        context.write(Self.wrapOutboundOut(TTRPCFrame(streamID: streamID, type: .response, data: data)), promise: nil)
        self.unflushed = true
    }

    private func handle(_ frame: TTRPCInboundFrame, _ binding: Binding, _ context: ChannelHandlerContext) {
        binding.slot.frameArrived()
        switch frame {
        case .oversized(let header):
            guard header.type == .request else { return }
            binding.dispatcher.logger.debug(
                "frame over the maximum",
                metadata: ["flygate.rpc.stream_id": "\(header.streamID)", "flygate.frame.bytes": "\(header.dataLength)"]
            )
            let error = RPCError(
                code: .resourceExhausted,
                message: "frame of \(header.dataLength) bytes is over the maximum of \(binding.dispatcher.maxFrameBytes)"
            )
            self.answer(context, header.streamID, Self.envelope(error))

        case .frame(let frame) where frame.type == .data:
            self.dataArrived(frame, binding)

        case .frame(let frame):
            // Stray responses and unknown types are ignored, as a 1.1 server does.
            guard frame.type == .request else { return }
            if let refusal = self.admit(frame.streamID, binding) {
                self.answer(context, frame.streamID, Self.envelope(refusal))
                return
            }
            let dispatch = binding.dispatcher.dispatch(
                requestData: frame.data, flags: frame.flags, streamID: frame.streamID, connectionID: binding.connectionID,
                peer: binding.peer, executor: binding.executor)
            switch dispatch {
            case .answer(let response):
                self.answer(context, frame.streamID, response)
                Self.finishCall(binding)
            case .run(var prepared):
                if prepared.method.serverStream != nil {
                    let stop = RPCStreamStop()
                    prepared.streamStop = stop
                    self.openStreams[frame.streamID] = stop
                } else if !prepared.method.answersInline, let startCall = self.startCall {
                    // Straight to a task of its own, not through the connection's task.
                    if !startCall(prepared) {
                        self.answer(context, frame.streamID, Self.envelope(RPCError(code: .unavailable, message: "the connection is closing")))
                        Self.finishCall(binding)
                    }
                    return
                }
                context.fireChannelRead(Self.wrapInboundOut(prepared))
            }
        }
    }

    /// A Data frame from the client. On an open server stream it breaks the protocol (the
    /// client closed its side with the request): the stream ends, its handler cancelled,
    /// with INVALID_ARGUMENT — or CANCELLED for an empty frame flagged remote-closed, which is
    /// how flygate's client gives a stream up (ttrpc has no cancel frame). On any other stream
    /// it is ignored, as a 1.1 server ignores Data frames.
    private func dataArrived(_ frame: TTRPCFrame, _ binding: Binding) {
        guard let stop = self.openStreams.removeValue(forKey: frame.streamID) else { return }
        let givesUp = frame.flags & TTRPCFlags.remoteClosed != 0 && frame.data.readableBytes == 0
        if givesUp {
            stop.stop(RPCError(code: .cancelled, message: "the client gave the stream up"))
        } else {
            binding.dispatcher.logger.debug("data frame on a server stream", metadata: ["flygate.rpc.stream_id": "\(frame.streamID)"])
            stop.stop(RPCError(
                code: .invalidArgument,
                message: "data frame on stream \(frame.streamID), whose client side closed with its request (flag 0x01)"))
        }
    }

    /// Forgets a server stream that has ended. Call on the channel's event loop.
    func streamEnded(_ streamID: UInt32) {
        self.openStreams[streamID] = nil
    }

    /// Checks a new call's stream id and takes a slot for it; returns the refusal, if any.
    private func admit(_ streamID: UInt32, _ binding: Binding) -> RPCError? {
        guard streamID % 2 == 1 else {
            return RPCError(code: .invalidArgument, message: "stream id \(streamID) is even; client streams are odd")
        }
        guard streamID > self.lastStreamID else {
            return RPCError(
                code: .invalidArgument,
                message: "stream id \(streamID) is not above the previous \(self.lastStreamID); stream ids are never reused"
            )
        }
        self.lastStreamID = streamID
        switch binding.registry.startCall(on: binding.slot) {
        case .admitted:
            return nil
        case .overLimit:
            return RPCError(code: .resourceExhausted, message: "too many calls in flight on this connection")
        case .draining:
            return RPCError(code: .unavailable, message: "server is shutting down")
        }
    }

    /// Gives a call's slot back; closes the connection if it was the last call while draining.
    static func finishCall(_ binding: Binding) {
        binding.registry.endCall(on: binding.slot)
    }

    /// The Response envelope carrying `error`.
    private static func envelope(_ error: RPCError) -> ByteBuffer {
        // A status of a few short strings always serializes.
        (try? Ttrpc_Response(error: error).serializedByteBuffer()) ?? ByteBuffer()
    }
}
