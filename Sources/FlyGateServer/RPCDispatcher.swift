import FlyGateWire
import Foundation
import Logging
import NIOCore

/// Turns one Request frame into one Response frame: parse, route, run under the deadline, answer.
///
/// Thrown errors become wire statuses by the one mapping, ``RPCError/init(converting:)``; a
/// passed deadline is DEADLINE_EXCEEDED; an unexpected error's cause goes to the log only.
struct RPCDispatcher: Sendable {
    let router: RPCRouter
    let maxMetadataEntries: Int
    let maxFrameBytes: Int
    let logger: Logger

    /// What to do with one Request frame.
    enum Dispatch: Sendable {
        /// The Response envelope, ready: a refusal of the request, or the answer of a method
        /// that runs inline (``RPCRouter/Method/callInline``).
        case answer(ByteBuffer)
        /// A call to run with ``run(_:reply:)`` (or, when it answers at once but not inline,
        /// ``answer(_:)``).
        case run(PreparedCall)
    }

    /// Parses and routes the Request in `requestData`, sent with header `flags`. A method that
    /// runs inline (``RPCRouter/Method/callInline``) is answered right here, synchronously, as
    /// is a request that cannot be served (a server-streaming method called without ttrpc 1.2's
    /// remote-closed flag among them); any other call comes back to be run. A unary method
    /// answers with one Response whatever the flags.
    func dispatch(
        requestData: ByteBuffer, flags: UInt8 = 0, streamID: UInt32, connectionID: UInt64, peer: PeerCredentials,
        executor: (any TaskExecutor)?
    ) -> Dispatch {
        var prepared: PreparedCall
        do {
            prepared = try self.prepare(requestData, streamID, connectionID, peer, ContinuousClock.now)
            prepared.context.executor = executor
            if prepared.method.serverStream != nil { try Self.checkStreamFlags(flags, method: prepared.context.method) }
        } catch {
            var logger = self.logger
            logger[metadataKey: "flygate.rpc.stream_id"] = "\(streamID)"
            return .answer(self.encode(.failure(error), logger: logger))
        }
        guard let outcome = Self.callInline(prepared) else { return .run(prepared) }
        return .answer(self.encode(outcome, details: prepared.context, logger: self.logger(for: prepared)))
    }

    /// The Response envelope of a call that answers at once (``RPCRouter/Method/answersInline``),
    /// run in the caller's task: no deadline to race, nothing to cancel.
    func answer(_ prepared: PreparedCall) async -> ByteBuffer {
        self.encode(await Self.call(prepared), details: prepared.context, logger: self.logger(for: prepared))
    }

    /// Runs a dispatched call and passes the Response envelope to `reply`.
    func run(_ prepared: PreparedCall, reply: @escaping @Sendable (ByteBuffer) async -> Void) async {
        await self.run(prepared) { (outcome: Result<Data, any Error>) in
            await reply(self.encode(outcome, details: prepared.context, logger: self.logger(for: prepared)))
        }
    }

    /// Runs a prepared call and passes its outcome to `reply`, whatever protocol it came by.
    ///
    /// `reply` is called as soon as the outcome is known — at the deadline even if the handler
    /// has not yet noticed its cancellation — and this function returns once the handler's
    /// work has ended too.
    func run(_ prepared: PreparedCall, reply: @escaping @Sendable (Result<Data, any Error>) async -> Void) async {
        let context = prepared.context
        if let deadline = context.deadline {
            // The handler races the deadline, which cancels it when it passes.
            var raced = prepared
            raced.context.cancelledAtDeadline = true
            await race(
                deadline, on: context.executor, expired: { .failure(RPCError(code: .deadlineExceeded, message: "deadline exceeded")) },
                operation: { await Self.call(raced) }, whenFirst: reply)
        } else {
            // No deadline: nothing to race, so the handler runs in this task.
            await reply(await Self.call(prepared))
        }
        if self.logger.logLevel <= .debug {
            self.logger(for: prepared).debug(
                "call finished",
                metadata: ["flygate.rpc.duration_ms": "\((ContinuousClock.now - prepared.received).milliseconds)"]
            )
        }
    }

    /// Runs a method that runs inline (``RPCRouter/Method/callInline``), catching what it
    /// throws; nil for any other method.
    private static func callInline(_ prepared: PreparedCall) -> Result<Data, any Error>? {
        prepared.method.callInline.map { inline in Result { try inline(prepared.payload, prepared.context) } }
    }

    /// Runs the handler, catching what it throws.
    static func call(_ prepared: PreparedCall) async -> Result<Data, any Error> {
        if let outcome = Self.callInline(prepared) { return outcome }
        do {
            return .success(try await prepared.method.call(prepared.payload, prepared.context))
        } catch {
            return .failure(error)
        }
    }

    /// The logger with the call's stream, service and method. Made only when something is
    /// logged: most calls log nothing.
    func logger(for prepared: PreparedCall) -> Logger {
        var logger = self.logger
        logger[metadataKey: "flygate.rpc.stream_id"] = "\(prepared.context.streamID)"
        logger[metadataKey: "flygate.rpc.service"] = "\(prepared.context.service)"
        logger[metadataKey: "flygate.rpc.method"] = "\(prepared.context.method)"
        return logger
    }

    /// A parsed, routed call ready to run.
    struct PreparedCall: Sendable {
        var method: RPCRouter.Method
        var context: CallContext
        var payload: Data
        var received: ContinuousClock.Instant
        /// How the stream is ended from outside, for a server-streaming call (set by whoever
        /// serves it); nil for a unary call.
        var streamStop: RPCStreamStop? = nil
    }

    /// Parses the envelope and finds the method; throws the status to answer with.
    private func prepare(
        _ requestData: ByteBuffer,
        _ streamID: UInt32,
        _ connectionID: UInt64,
        _ peer: PeerCredentials,
        _ received: ContinuousClock.Instant
    ) throws -> PreparedCall {
        let request: Ttrpc_Request
        do {
            request = try Ttrpc_Request(buffer: requestData)
        } catch {
            throw RPCError(code: .invalidArgument, message: "request envelope does not parse", cause: error)
        }
        return try self.prepare(
            service: request.service,
            method: request.method,
            metadata: request.metadata.map { (key: $0.key.lowercased(), value: $0.value) },
            payload: request.payload,
            timeoutNanoseconds: request.timeoutNano,
            streamID: streamID,
            connectionID: connectionID,
            peer: peer,
            received: received
        )
    }

    /// Routes a call, whatever protocol it came by, and checks its metadata and deadline;
    /// throws the status to answer with. `timeoutNanoseconds` 0 means no deadline; below 0,
    /// one already passed. Metadata keys are lower-cased.
    func prepare(
        service: String,
        method methodName: String,
        metadata: [(key: String, value: String)],
        payload: Data,
        timeoutNanoseconds: Int64,
        streamID: UInt32,
        connectionID: UInt64,
        peer: PeerCredentials,
        received: ContinuousClock.Instant
    ) throws -> PreparedCall {
        guard metadata.count <= self.maxMetadataEntries else {
            throw RPCError(
                code: .resourceExhausted,
                message: "\(metadata.count) metadata entries, over the limit of \(self.maxMetadataEntries)"
            )
        }
        let method: RPCRouter.Method
        switch self.router.route(service: service, method: methodName) {
        case .unknownService:
            throw RPCError(code: .unimplemented, message: "service \(service)")
        case .unknownMethod:
            throw RPCError(code: .unimplemented, message: "method \(methodName)")
        case .method(let found):
            method = found
        }
        guard timeoutNanoseconds >= 0 else {
            throw RPCError(code: .deadlineExceeded, message: "deadline exceeded before the call started")
        }
        let deadline = timeoutNanoseconds == 0 ? nil : received + .nanoseconds(timeoutNanoseconds)
        let context = CallContext(
            service: service,
            method: methodName,
            peer: peer,
            connectionID: connectionID,
            streamID: streamID,
            deadline: deadline,
            metadata: metadata
        )
        return PreparedCall(method: method, context: context, payload: payload, received: received)
    }

    /// The Response envelope for `outcome`, kept within the frame maximum. A success served
    /// from the read cache carries its age as a code-0 status (see docs/wire.md).
    func encode(
        _ outcome: Result<Data, any Error>, details context: CallContext? = nil, logger: @autoclosure () -> Logger
    ) -> ByteBuffer {
        var response: Ttrpc_Response
        switch outcome {
        case .success(let payload):
            response = Ttrpc_Response(payload: payload)
            if let cacheAge = context?.values[ReplyDetails.self]?.cacheAge { response.status = CacheAge.status(cacheAge) }
        case .failure(let error):
            response = Ttrpc_Response(error: Self.rpcError(for: error, logger: logger()))
        }
        do {
            let data = try response.serializedByteBuffer()
            guard data.readableBytes > self.maxFrameBytes else { return data }
            logger().warning("response over the frame maximum", metadata: ["flygate.rpc.response_bytes": "\(data.readableBytes)"])
            let error = RPCError(
                code: .resourceExhausted,
                message: "response of \(data.readableBytes) bytes is over the maximum frame size of \(self.maxFrameBytes)"
            )
            return try Ttrpc_Response(error: error).serializedByteBuffer()
        } catch {
            logger().error("response did not serialize", metadata: ["error": "\(String(reflecting: error))"])
            return (try? Ttrpc_Response(error: RPCError(code: .internalError, message: "internal error")).serializedByteBuffer())
                ?? ByteBuffer()
        }
    }

    /// The status for `error` (``RPCError/init(converting:)``), logging unexpected errors with
    /// their cause (which never reaches the wire).
    static func rpcError(for error: any Error, logger: Logger) -> RPCError {
        let rpcError = RPCError(converting: error)
        if RPCError.isExpected(error) {
            let level: Logger.Level = rpcError.code == .internalError || rpcError.code == .unknown ? .error : .debug
            logger.log(level: level, "call failed", metadata: ["flygate.rpc.code": "\(rpcError.code)", "error": "\(rpcError)"])
        } else {
            logger.error("call failed with an unexpected error", metadata: ["error": "\(String(reflecting: error))"])
        }
        return rpcError
    }
}
