import FlyGateWire
import Logging
import NIOCore

/// Serves the calls of one accepted connection until it closes.
///
/// One loop reads frames; each call runs in its own child task and writes its answer when it
/// finishes, so answers go back in whatever order calls end. Immediate methods (local state,
/// no waiting) and requests that cannot be served are answered on the read loop itself. When the peer stops reading, the
/// writes wait for the channel to become writable, the loop stops pulling frames, and NIO stops
/// reading the socket: a slow reader only ever stalls itself.
struct RPCConnection: Sendable {
    let id: UInt64
    let peer: PeerCredentials
    let dispatcher: RPCDispatcher
    let registry: ConnectionRegistry
    /// This connection's entry in `registry`.
    let slot: ConnectionSlot
    /// The executor of the channel's event loop, which this connection's tasks prefer.
    let executor: EventLoopTaskExecutor
    let logger: Logger

    /// Serves `channel` until the peer closes it, breaks the protocol, or the server closes it.
    /// Calls still running when it closes are cancelled.
    func run(_ channel: NIOAsyncChannel<TTRPCInboundFrame, TTRPCFrame>) async {
        do {
            try await channel.executeThenClose { inbound, outbound in
                try await withThrowingDiscardingTaskGroup { calls in
                    var lastStreamID: UInt32 = 0
                    for try await unit in inbound {
                        self.slot.frameArrived()
                        switch unit {
                        case .oversized(let header):
                            guard header.type == .request else { continue }
                            self.logger.debug(
                                "frame over the maximum",
                                metadata: ["flygate.rpc.stream_id": "\(header.streamID)", "flygate.frame.bytes": "\(header.dataLength)"]
                            )
                            let error = RPCError(
                                code: .resourceExhausted,
                                message: "frame of \(header.dataLength) bytes is over the maximum of \(self.dispatcher.maxFrameBytes)"
                            )
                            try await outbound.write(Self.answer(header.streamID, error))

                        case .frame(let frame):
                            // Data frames (ttrpc 1.2 streaming) and stray responses are ignored, as a 1.1 server does.
                            guard frame.type == .request else { continue }
                            if let refusal = self.admit(frame.streamID, after: &lastStreamID) {
                                try await outbound.write(Self.answer(frame.streamID, refusal))
                                continue
                            }
                            let dispatch = await self.dispatcher.dispatch(
                                requestData: frame.data, streamID: frame.streamID, connectionID: self.id, peer: self.peer,
                                executor: self.executor)
                            switch dispatch {
                            case .answer(let response):
                                // Answered on the read loop: no task to start.
                                try await outbound.write(TTRPCFrame(streamID: frame.streamID, type: .response, data: response))
                                self.finishCall()
                            case .run(let prepared):
                                calls.addTask {
                                    await self.serve(prepared, streamID: frame.streamID, outbound: outbound)
                                }
                            }
                        }
                    }
                    // The peer closed: nobody is left to answer, so stop the work.
                    calls.cancelAll()
                }
            }
        } catch {
            self.logger.debug("connection ended with an error", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// Checks a new call's stream id and takes a slot for it; returns the refusal, if any.
    private func admit(_ streamID: UInt32, after lastStreamID: inout UInt32) -> RPCError? {
        guard streamID % 2 == 1 else {
            return RPCError(code: .invalidArgument, message: "stream id \(streamID) is even; client streams are odd")
        }
        guard streamID > lastStreamID else {
            return RPCError(
                code: .invalidArgument,
                message: "stream id \(streamID) is not above the previous \(lastStreamID); stream ids are never reused"
            )
        }
        lastStreamID = streamID
        switch self.registry.startCall(on: self.slot) {
        case .admitted:
            return nil
        case .overLimit:
            return RPCError(code: .resourceExhausted, message: "too many calls in flight on this connection")
        case .draining:
            return RPCError(code: .unavailable, message: "server is shutting down")
        }
    }

    /// Runs one admitted call and writes its answer.
    private func serve(
        _ prepared: RPCDispatcher.PreparedCall, streamID: UInt32, outbound: NIOAsyncChannelOutboundWriter<TTRPCFrame>
    ) async {
        await self.dispatcher.run(prepared) { response in
            // A failed write means the connection is gone; the loop notices and cleans up.
            try? await outbound.write(TTRPCFrame(streamID: streamID, type: .response, data: response))
        }
        self.finishCall()
    }

    /// Gives the call's slot back; closes the connection if it was the last call while draining.
    private func finishCall() {
        if let idle = self.registry.finishCall(on: self.slot) {
            idle.close(promise: nil)
        }
    }

    /// A Response frame carrying `error` on `streamID`.
    private static func answer(_ streamID: UInt32, _ error: RPCError) -> TTRPCFrame {
        // A status of a few short strings always serializes.
        let data = (try? Ttrpc_Response(error: error).serializedByteBuffer()) ?? ByteBuffer()
        return TTRPCFrame(streamID: streamID, type: .response, data: data)
    }
}
