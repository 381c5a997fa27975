import FlyGateWire
import Foundation
import NIOCore
import NIOHPACK
import Synchronization

extension GRPCConnection {
    /// Serves a call of a server-streaming method registered on the router: the response
    /// headers with the first message, one length-prefixed message per send, then trailers
    /// with the status; an end before any message is Trailers-Only. A send waits while the
    /// stream's flow-control window (or the connection) is closed. The client's reset or the
    /// connection's close cancels the handler; the deadline and draining end the stream with
    /// their status.
    func serveStream(
        _ prepared: RPCDispatcher.PreparedCall,
        contentType: String,
        outbound: NIOAsyncChannelOutboundWriter<GRPCResponsePart>,
        closed: EventLoopFuture<Void>
    ) async {
        let headersSent = SentFlag()
        let sink = RPCStreamSink(maxMessageBytes: self.dispatcher.maxFrameBytes) { bytes in
            let message = GRPCResponsePart.message(ByteBuffer(bytes: bytes))
            if headersSent.isSet {
                try await outbound.write(message)
            } else {
                // A write that throws sent nothing (NIOAsyncWriter drops a cancelled write).
                try await outbound.write(contentsOf: [.headers([":status": "200", "content-type": contentType]), message])
                headersSent.set()
            }
        }
        let stop = RPCStreamStop()
        self.registry.openStream(stop, on: self.slot)
        let dispatcher = self.dispatcher
        await Self.run(on: self.executor, cancelledWhen: closed) {
            let outcome = await dispatcher.runStream(prepared, sink: sink, stop: stop)
            var status: RPCError?
            if case .failure(let error) = outcome {
                status = RPCDispatcher.rpcError(for: error, logger: dispatcher.logger(for: prepared))
            }
            // A failed write means the stream or connection is gone; nothing to tell.
            try? await self.end(outbound, with: status, headersSent: headersSent.isSet, contentType: contentType)
        }
        self.registry.closeStream(stop, on: self.slot)
    }
}

/// Whether a stream's response headers have gone out: set by its sends, read by its end.
final class SentFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isSet: Bool { self.value.load(ordering: .acquiring) }

    func set() { self.value.store(true, ordering: .releasing) }
}
