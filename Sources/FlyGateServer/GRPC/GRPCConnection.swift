import FlyGateWire
import Foundation
import Logging
import NIOCore
import NIOHPACK
import NIOHTTP2

/// The inbound streams of one HTTP/2 connection, each a gRPC stream.
typealias GRPCStreamMultiplexer = NIOHTTP2Handler.AsyncStreamMultiplexer<NIOAsyncChannel<GRPCRequestPart, GRPCResponsePart>>

/// Serves the gRPC calls of one accepted HTTP/2 connection until it closes.
///
/// Each stream is one call, served in a task of its own through the same dispatcher (router,
/// interceptors, deadline, status mapping) as a ttrpc call, under the same connection id and
/// peer credentials: what a ttrpc caller's connection owns (its leases) a gRPC caller's
/// HTTP/2 connection owns. The call slot is taken when the whole request has arrived.
struct GRPCConnection: Sendable {
    let id: UInt64
    let peer: PeerCredentials
    let dispatcher: RPCDispatcher
    let registry: ConnectionRegistry
    let health: GRPCHealth
    let logger: Logger

    /// Serves the streams of `multiplexer` until `channel` closes.
    func run(_ multiplexer: GRPCStreamMultiplexer, channel: any Channel) async {
        do {
            try await withThrowingDiscardingTaskGroup { streams in
                for try await stream in multiplexer.inbound {
                    streams.addTask { await self.serve(stream) }
                }
            }
        } catch {
            self.logger.debug("connection ended with an error", metadata: ["error": "\(String(reflecting: error))"])
        }
        try? await channel.close()
    }

    /// Serves one stream: reads its request, runs the call, writes its answer.
    private func serve(_ stream: NIOAsyncChannel<GRPCRequestPart, GRPCResponsePart>) async {
        let streamID = (try? await stream.channel.getOption(HTTP2StreamChannelOptions.streamID)).map { Int($0) } ?? 0
        do {
            try await stream.executeThenClose { inbound, outbound in
                var parts = inbound.makeAsyncIterator()
                guard case .headers(let headers)? = try await parts.next() else { return }
                let head: GRPCRequestHead
                do throws(GRPCRequestHead.Refusal) {
                    head = try GRPCRequestHead(headers)
                } catch {
                    switch error {
                    case .http(let status):
                        try await outbound.write(.trailers([":status": String(status)]))
                    case .grpc(let refusal):
                        try await outbound.write(.trailers(Self.trailersOnly(refusal, contentType: "application/grpc")))
                    }
                    return
                }
                let request: ByteBuffer
                switch try await Self.readRequest(&parts) {
                case .message(let message):
                    request = message
                case .refused(let refusal):
                    try await outbound.write(.trailers(Self.trailersOnly(refusal, contentType: head.contentType)))
                    return
                case .gone:
                    return
                }
                self.registry.frameArrived(on: self.id)
                switch self.registry.startCall(on: self.id) {
                case .admitted:
                    break
                case .overLimit:
                    let refusal = RPCError(code: .resourceExhausted, message: "too many calls in flight on this connection")
                    try await outbound.write(.trailers(Self.trailersOnly(refusal, contentType: head.contentType)))
                    return
                case .draining:
                    let refusal = RPCError(code: .unavailable, message: "server is shutting down")
                    try await outbound.write(.trailers(Self.trailersOnly(refusal, contentType: head.contentType)))
                    return
                }
                defer { self.finishCall() }
                try await self.call(head, request, streamID: UInt32(clamping: streamID), outbound: outbound,
                                    closed: stream.channel.closeFuture)
            }
        } catch {
            self.logger.debug(
                "stream ended with an error",
                metadata: ["flygate.rpc.stream_id": "\(streamID)", "error": "\(String(reflecting: error))"])
        }
    }

    private enum RequestRead {
        case message(ByteBuffer)
        case refused(RPCError)
        /// The stream closed before its request was whole: nobody to answer.
        case gone
    }

    /// Reads the one request message of a unary call, up to the end of the client's side.
    private static func readRequest(
        _ parts: inout NIOAsyncChannelInboundStream<GRPCRequestPart>.AsyncIterator
    ) async throws -> RequestRead {
        var message: ByteBuffer?
        while let part = try await parts.next() {
            switch part {
            case .headers:
                continue
            case .message(let next):
                guard message == nil else {
                    return .refused(RPCError(code: .unimplemented, message: "more than one request message for a unary method"))
                }
                message = next
            case .refused(let refusal):
                return .refused(refusal)
            case .end:
                guard let message else {
                    return .refused(RPCError(code: .internalError, message: "the request had no message"))
                }
                return .message(message)
            }
        }
        return .gone
    }

    /// Runs the call (a protocol service's, or the router's through the dispatcher) and
    /// writes its answer. A stream reset by the client cancels it, as a closed connection
    /// cancels a ttrpc call.
    private func call(
        _ head: GRPCRequestHead,
        _ request: ByteBuffer,
        streamID: UInt32,
        outbound: NIOAsyncChannelOutboundWriter<GRPCResponsePart>,
        closed: EventLoopFuture<Void>
    ) async throws {
        if let answer = self.health.answer(service: head.service, method: head.method, request: request) {
            try await self.write(answer, cacheAge: nil, contentType: head.contentType, outbound: outbound)
            return
        }
        if GRPCHealth.isWatch(service: head.service, method: head.method) {
            try await self.watchHealth(request, contentType: head.contentType, outbound: outbound, closed: closed)
            return
        }
        let prepared: RPCDispatcher.PreparedCall
        do {
            prepared = try self.dispatcher.prepare(
                service: head.service,
                method: head.method,
                metadata: head.metadata,
                payload: Data(request.readableBytesView),
                timeoutNanoseconds: head.timeoutNanoseconds,
                streamID: streamID,
                connectionID: self.id,
                peer: self.peer,
                received: .now
            )
        } catch {
            try await self.write(.failure(error), cacheAge: nil, contentType: head.contentType, outbound: outbound)
            return
        }
        let dispatcher = self.dispatcher
        let task = Task {
            await dispatcher.run(prepared) { (outcome: Result<Data, any Error>) in
                let logger = dispatcher.logger(for: prepared)
                let cacheAge = prepared.context.values[ReplyDetails.self]?.cacheAge
                // A failed write means the stream or connection is gone; nothing to tell.
                try? await self.write(outcome, cacheAge: cacheAge, contentType: head.contentType, outbound: outbound,
                                      logger: logger)
            }
        }
        closed.whenComplete { _ in task.cancel() }
        await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Streams health until the client goes (its reset or the connection's close cancels the
    /// watch) or the server has shut down.
    private func watchHealth(
        _ request: ByteBuffer, contentType: String, outbound: NIOAsyncChannelOutboundWriter<GRPCResponsePart>,
        closed: EventLoopFuture<Void>
    ) async throws {
        let health = self.health
        let task = Task {
            var sentHeaders = false
            do {
                try await health.watch(request: request) { message in
                    if !sentHeaders {
                        try await outbound.write(.headers([":status": "200", "content-type": contentType]))
                        sentHeaders = true
                    }
                    try await outbound.write(.message(ByteBuffer(bytes: message)))
                }
            } catch let error as RPCError {
                var trailers: HPACKHeaders = sentHeaders ? [:] : [":status": "200", "content-type": contentType]
                trailers.addStatus(error.code, message: error.message)
                try? await outbound.write(.trailers(trailers))
            } catch {
                // Cancelled: the client went, or the connection is closing.
            }
        }
        closed.whenComplete { _ in task.cancel() }
        await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
    }

    /// Writes a call's outcome: headers, the message and OK trailers; or, for a failure,
    /// trailers only. The cache age of an answer served from the read cache goes in the
    /// `flygate-cache-age-ms` response header.
    private func write(
        _ outcome: Result<Data, any Error>,
        cacheAge: Duration?,
        contentType: String,
        outbound: NIOAsyncChannelOutboundWriter<GRPCResponsePart>,
        logger: Logger? = nil
    ) async throws {
        let logger = logger ?? self.logger
        switch outcome {
        case .success(let payload) where payload.count > self.dispatcher.maxFrameBytes:
            logger.warning("response over the message maximum", metadata: ["flygate.rpc.response_bytes": "\(payload.count)"])
            let error = RPCError(
                code: .resourceExhausted,
                message: "response of \(payload.count) bytes is over the maximum message size of \(self.dispatcher.maxFrameBytes)")
            try await outbound.write(.trailers(Self.trailersOnly(error, contentType: contentType)))
        case .success(let payload):
            var headers: HPACKHeaders = [":status": "200", "content-type": contentType]
            if let cacheAge { headers.add(name: "flygate-cache-age-ms", value: String(cacheAge.milliseconds)) }
            try await outbound.write(.headers(headers))
            try await outbound.write(.message(ByteBuffer(bytes: payload)))
            var trailers = HPACKHeaders()
            trailers.addStatus(.ok, message: "")
            try await outbound.write(.trailers(trailers))
        case .failure(let error):
            let status = RPCDispatcher.rpcError(for: error, logger: logger)
            try await outbound.write(.trailers(Self.trailersOnly(status, contentType: contentType)))
        }
    }

    /// A Trailers-Only answer: HTTP status, content type and the gRPC status in one HEADERS frame.
    static func trailersOnly(_ error: RPCError, contentType: String) -> HPACKHeaders {
        var headers: HPACKHeaders = [":status": "200", "content-type": contentType]
        headers.addStatus(error.code, message: error.message)
        return headers
    }

    /// Gives the call's slot back; closes the connection if it was the last call while draining.
    private func finishCall() {
        if let idle = self.registry.finishCall(on: self.id) {
            idle.close(promise: nil)
        }
    }
}
