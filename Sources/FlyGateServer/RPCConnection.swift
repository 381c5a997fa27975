import FlyGateWire
import Logging
import NIOCore

/// Serves the calls of one accepted ttrpc connection until it closes.
///
/// The connection's ``TTRPCCallGate`` admits each call on the event loop as its frame is read,
/// and answers there what needs no task (refusals, requests that cannot be served, methods that
/// run inline). Each call it hands on runs in a task of its own (``OwnedTasks``, which this
/// connection's task waits for and cancels when the connection ends) and writes its answer when
/// it finishes, so answers go back in whatever order calls end. An answer goes
/// through the gate at once when its task is on the channel's loop and the channel is writable,
/// else through the async channel's writer, which waits. When the peer stops reading, the
/// writes wait for the channel to become writable, the gate asks for no more frames, and NIO
/// stops reading the socket: a slow reader only ever stalls itself.
struct RPCConnection: Sendable {
    /// The connection as its gate knows it: id, peer, dispatcher, registry slot, executor.
    let binding: TTRPCCallGate.Binding
    let logger: Logger

    private var dispatcher: RPCDispatcher { self.binding.dispatcher }

    /// Serves `connection` until the peer closes it, breaks the protocol, or the server closes it.
    /// Calls still running when it closes are cancelled.
    func run(_ connection: TTRPCChannel) async {
        let binding = self.binding  // captured by the tasks below
        // The connection's calls: each unary call is started by the gate as its frame is read;
        // server streams and the inline answers the gate could not give come through here.
        let calls = OwnedTasks()
        do {
            try await connection.channel.executeThenClose { inbound, outbound in
                let startCall: @Sendable (RPCDispatcher.PreparedCall) -> Bool = { prepared in
                    calls.submit(on: binding.executor) {
                        await self.serve(prepared, gate: connection.gate, outbound: outbound)
                    } != nil
                }
                try await connection.gate.eventLoop.submit { connection.gate.value.bind(binding, startCall: startCall) }.get()
                await withTaskCancellationHandler {
                    do {
                        for try await prepared in inbound {
                            if let stop = prepared.streamStop {
                                calls.submit(on: binding.executor) {
                                    await self.serveStream(prepared, stop: stop, gate: connection.gate, outbound: outbound)
                                    TTRPCCallGate.finishCall(binding)
                                }
                                continue
                            }
                            // It answers at once, though not inline: no task to start.
                            try await outbound.write(self.frame(prepared, await self.dispatcher.answer(prepared)))
                            TTRPCCallGate.finishCall(binding)
                        }
                    } catch {
                        self.logger.debug("connection ended with an error", metadata: ["error": "\(String(reflecting: error))"])
                    }
                    // The peer closed: nobody is left to answer, so stop the work.
                    calls.cancelAll()
                    await calls.run()
                } onCancel: {
                    calls.cancelAll()
                }
            }
        } catch {
            // The calls have ended (the body waits for them), or none started (binding failed).
            self.logger.debug("connection ended with an error", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// Serves a unary call and writes its answer: through the gate at once when its task is on
    /// the channel's loop and the channel is writable, else through the async channel's writer.
    private func serve(
        _ prepared: RPCDispatcher.PreparedCall,
        gate: NIOLoopBound<TTRPCCallGate>,
        outbound: NIOAsyncChannelOutboundWriter<TTRPCFrame>
    ) async {
        await self.dispatcher.run(prepared) { response in
            let frame = self.frame(prepared, response)
            if gate.eventLoop.inEventLoop, gate.value.answerIfWritable(frame) { return }
            // A failed write means the connection is gone; the loop notices and cleans up.
            try? await outbound.write(frame)
        }
        TTRPCCallGate.finishCall(self.binding)
    }

    /// Serves a server-streaming call: each message a Data frame, then the end frame (a Data
    /// frame flagged remote-closed and no-data, or a Response with the status). Every frame of
    /// a stream goes through the async channel's writer, in order, and waits there while the
    /// channel is not writable: a peer that does not read holds back its own stream's handler.
    /// The stream counts in the registry while it is open, so that draining ends it.
    private func serveStream(
        _ prepared: RPCDispatcher.PreparedCall,
        stop: RPCStreamStop,
        gate: NIOLoopBound<TTRPCCallGate>,
        outbound: NIOAsyncChannelOutboundWriter<TTRPCFrame>
    ) async {
        let streamID = prepared.context.streamID
        let sink = RPCStreamSink(maxMessageBytes: self.dispatcher.maxFrameBytes) { bytes in
            try await outbound.write(TTRPCFrame(streamID: streamID, type: .data, data: ByteBuffer(bytes: bytes)))
        }
        self.binding.registry.openStream(stop, on: self.binding.slot)
        let outcome = await self.dispatcher.runStream(prepared, sink: sink, stop: stop)
        self.binding.registry.closeStream(stop, on: self.binding.slot)
        gate.eventLoop.execute { gate.value.streamEnded(streamID) }
        // A failed write means the connection is gone; the loop notices and cleans up.
        try? await outbound.write(self.dispatcher.endFrame(of: prepared, outcome))
    }

    /// The Response frame of `prepared`'s call.
    private func frame(_ prepared: RPCDispatcher.PreparedCall, _ response: ByteBuffer) -> TTRPCFrame {
        TTRPCFrame(streamID: prepared.context.streamID, type: .response, data: response)
    }
}

/// A ttrpc connection set up to be served: the async channel carrying the calls its
/// ``TTRPCCallGate`` admits, and the gate, to bind when the connection's task starts.
struct TTRPCChannel: Sendable {
    let channel: NIOAsyncChannel<RPCDispatcher.PreparedCall, TTRPCFrame>
    let gate: NIOLoopBound<TTRPCCallGate>
}
