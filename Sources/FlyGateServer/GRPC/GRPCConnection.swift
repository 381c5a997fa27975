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
    /// This connection's entry in `registry`.
    let slot: ConnectionSlot
    let health: GRPCHealth
    let reflection: GRPCReflection
    /// The executor of the connection's event loop (its streams' too), which its tasks prefer.
    let executor: EventLoopTaskExecutor
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
                if GRPCReflection.isReflection(service: head.service, method: head.method) {
                    try await self.reflect(&parts, contentType: head.contentType, outbound: outbound)
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
                self.slot.frameArrived()
                if let refusal = self.startCall() {
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

    /// Serves a reflection stream: answers each request as it comes, in order, until the
    /// client ends its side (OK), a payload is not a request, or the server drains
    /// (UNAVAILABLE). The stream holds one of the connection's call slots while it lasts.
    private func reflect(
        _ parts: inout NIOAsyncChannelInboundStream<GRPCRequestPart>.AsyncIterator,
        contentType: String,
        outbound: NIOAsyncChannelOutboundWriter<GRPCResponsePart>
    ) async throws {
        self.slot.frameArrived()
        if let refusal = self.startCall() {
            try await outbound.write(.trailers(Self.trailersOnly(refusal, contentType: contentType)))
            return
        }
        defer { self.finishCall() }
        var sent = Set<String>()
        var sentHeaders = false
        while let part = try await parts.next() {
            switch part {
            case .headers:
                continue
            case .message(let message):
                self.slot.frameArrived()
                let answer: Data
                do {
                    guard !self.registry.isDraining else {
                        throw RPCError(code: .unavailable, message: "server is shutting down")
                    }
                    answer = try self.reflection.answer(Data(message.readableBytesView), sent: &sent)
                } catch {
                    try await self.end(outbound, with: RPCDispatcher.rpcError(for: error, logger: self.logger),
                                       headersSent: sentHeaders, contentType: contentType)
                    return
                }
                if !sentHeaders {
                    try await outbound.write(.headers([":status": "200", "content-type": contentType]))
                    sentHeaders = true
                }
                try await outbound.write(.message(ByteBuffer(bytes: answer)))
            case .end:
                try await self.end(outbound, with: nil, headersSent: sentHeaders, contentType: contentType)
                return
            case .refused(let refusal):
                try await self.end(outbound, with: refusal, headersSent: sentHeaders, contentType: contentType)
                return
            }
        }
    }

    /// Ends a streaming answer with its status: trailers after the headers were sent, else
    /// Trailers-Only. `error` nil is OK.
    func end(
        _ outbound: NIOAsyncChannelOutboundWriter<GRPCResponsePart>,
        with error: RPCError?,
        headersSent: Bool,
        contentType: String
    ) async throws {
        var trailers: HPACKHeaders = headersSent ? [:] : [":status": "200", "content-type": contentType]
        trailers.addStatus(error?.code ?? .ok, message: error?.message ?? "")
        try await outbound.write(.trailers(trailers))
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
            var call = try self.dispatcher.prepare(
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
            call.context.executor = self.executor
            prepared = call
        } catch {
            try await self.write(.failure(error), cacheAge: nil, contentType: head.contentType, outbound: outbound)
            return
        }
        if prepared.method.serverStream != nil {
            await self.serveStream(prepared, contentType: head.contentType, outbound: outbound, closed: closed)
            return
        }
        let dispatcher = self.dispatcher
        let reply: @Sendable (Result<Data, any Error>) async -> Void = { outcome in
            let cacheAge = prepared.context.values[ReplyDetails.self]?.cacheAge
            // A failed write means the stream or connection is gone; nothing to tell.
            try? await self.write(outcome, cacheAge: cacheAge, contentType: head.contentType, outbound: outbound,
                                  logger: { dispatcher.logger(for: prepared) })
        }
        if prepared.method.answersInline {
            // It answers from local state without waiting (as on ttrpc's read loop): no deadline
            // to race and nothing to cancel, so no task of its own.
            await reply(await RPCDispatcher.call(prepared))
            return
        }
        await Self.run(on: self.executor, cancelledWhen: closed) {
            await dispatcher.run(prepared, reply: reply)
        }
    }

    /// Streams health until the client goes (its reset or the connection's close cancels the
    /// watch) or the server has shut down.
    private func watchHealth(
        _ request: ByteBuffer, contentType: String, outbound: NIOAsyncChannelOutboundWriter<GRPCResponsePart>,
        closed: EventLoopFuture<Void>
    ) async throws {
        let health = self.health
        await Self.run(on: self.executor, cancelledWhen: closed) {
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
                try? await self.end(outbound, with: error, headersSent: sentHeaders, contentType: contentType)
            } catch {
                // Cancelled: the client went, or the connection is closing.
            }
        }
    }

    /// Runs `body` in a task of its own, cancelled when the stream closes (the client reset it,
    /// or the connection went) or when the calling task is.
    static func run(
        on executor: EventLoopTaskExecutor, cancelledWhen closed: EventLoopFuture<Void>, _ body: @escaping @Sendable () async -> Void
    ) async {
        let task = Task(executorPreference: executor) { await body() }
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
        logger: (() -> Logger)? = nil
    ) async throws {
        // The call's logger is made only when something is logged: most answers log nothing.
        let logger = { logger?() ?? self.logger }
        switch outcome {
        case .success(let payload) where payload.count > self.dispatcher.maxFrameBytes:
            logger().warning("response over the message maximum", metadata: ["flygate.rpc.response_bytes": "\(payload.count)"])
            let error = RPCError(
                code: .resourceExhausted,
                message: "response of \(payload.count) bytes is over the maximum message size of \(self.dispatcher.maxFrameBytes)")
            try await outbound.write(.trailers(Self.trailersOnly(error, contentType: contentType)))
        case .success(let payload):
            var headers: HPACKHeaders = [":status": "200", "content-type": contentType]
            if let cacheAge { headers.add(name: "flygate-cache-age-ms", value: String(cacheAge.milliseconds)) }
            var trailers = HPACKHeaders()
            trailers.addStatus(.ok, message: "")
            // One write and one flush for the three parts: each flush is a syscall and a wake-up.
            try await outbound.write(contentsOf: [.headers(headers), .message(ByteBuffer(bytes: payload)), .trailers(trailers)])
        case .failure(let error):
            let status = RPCDispatcher.rpcError(for: error, logger: logger())
            try await outbound.write(.trailers(Self.trailersOnly(status, contentType: contentType)))
        }
    }

    /// A Trailers-Only answer: HTTP status, content type and the gRPC status in one HEADERS frame.
    static func trailersOnly(_ error: RPCError, contentType: String) -> HPACKHeaders {
        var headers: HPACKHeaders = [":status": "200", "content-type": contentType]
        headers.addStatus(error.code, message: error.message)
        return headers
    }

    /// Takes one of the connection's call slots; the refusal to answer with when none is free
    /// or the server is draining.
    private func startCall() -> RPCError? {
        switch self.registry.startCall(on: self.slot) {
        case .admitted:
            nil
        case .overLimit:
            RPCError(code: .resourceExhausted, message: "too many calls in flight on this connection")
        case .draining:
            RPCError(code: .unavailable, message: "server is shutting down")
        }
    }

    /// Gives the call's slot back; closes the connection if it was the last call while draining.
    private func finishCall() {
        self.registry.endCall(on: self.slot)
    }
}
