import FlyGateWire
import Foundation
import NIOCore
import NIOPosix
import SwiftProtobuf
import Synchronization

/// A connection to the flygate socket that carries any number of concurrent calls.
package final class RPCClient: Sendable {
    let channel: any Channel
    let handler: NIOLoopBound<ClientCallHandler>
    let nextCallID = Atomic<UInt64>(1)

    private init(channel: any Channel, handler: NIOLoopBound<ClientCallHandler>) {
        self.channel = channel
        self.handler = handler
    }

    /// Connects to the daemon's socket at `path`; throws UNAVAILABLE when no one answers.
    ///
    /// A daemon whose queue of connections not yet accepted is full is waited for, up to
    /// ``SocketPath/fullQueuePatience`` (see ``SocketPath/connectWaitingForRoom(patience:_:)``).
    package static func connect(
        path: String,
        maxFrameBytes: Int = TTRPCFrame.defaultMaxDataBytes,
        eventLoopGroup: MultiThreadedEventLoopGroup = .singleton
    ) async throws -> RPCClient {
        try SocketPath.validate(path)
        do {
            let bootstrap = ClientBootstrap(group: eventLoopGroup)
                .channelInitializer { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let pipeline = channel.pipeline.syncOperations
                        try pipeline.addHandler(ByteToMessageHandler(TTRPCFrameDecoder(maxDataBytes: maxFrameBytes)))
                        try pipeline.addHandler(MessageToByteHandler(TTRPCFrameEncoder(maxDataBytes: maxFrameBytes)))
                        try pipeline.addHandler(ClientCallHandler(maxFrameBytes: maxFrameBytes))
                    }
                }
            let channel = try await SocketPath.connectWaitingForRoom {
                try await bootstrap.connect(unixDomainSocketPath: path).get()
            }
            let handler = try await channel.eventLoop.submit {
                NIOLoopBound(
                    try channel.pipeline.syncOperations.handler(type: ClientCallHandler.self),
                    eventLoop: channel.eventLoop
                )
            }.get()
            return RPCClient(channel: channel, handler: handler)
        } catch {
            throw RPCError(code: .unavailable, message: "cannot connect to \(path)", cause: error)
        }
    }

    /// Calls `service`/`method` with `request` and decodes the answer as `Response`.
    ///
    /// `timeout` travels as `timeout_nano` and also bounds the wait here; metadata keys are
    /// sent lower-cased. Throws ``RPCError``: the server's non-OK status, DEADLINE_EXCEEDED,
    /// CANCELLED when the calling task is cancelled, UNAVAILABLE when the connection drops.
    package func call<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        service: String,
        method: String,
        request: Request,
        as responseType: Response.Type = Response.self,
        timeout: Duration? = nil,
        metadata: [(String, String)] = []
    ) async throws -> Response {
        try await callWithInfo(
            service: service, method: method, request: request, as: responseType, timeout: timeout, metadata: metadata
        ).response
    }

    /// ``call(service:method:request:as:timeout:metadata:)``, also returning what the daemon
    /// said about the answer besides the message (e.g. its age when served from the read cache).
    package func callWithInfo<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        service: String,
        method: String,
        request: Request,
        as responseType: Response.Type = Response.self,
        timeout: Duration? = nil,
        metadata: [(String, String)] = []
    ) async throws -> (response: Response, info: CallInfo) {
        let (envelope, deadline) = try Self.envelope(
            service: service, method: method, request: request, timeout: timeout, metadata: metadata)
        let answer = try await self.send(envelope, deadline: deadline)
        if let error = answer.rpcError {
            throw error
        }
        do {
            return (try Response(serializedBytes: answer.payload), CallInfo(cacheAge: CacheAge.age(of: answer)))
        } catch {
            throw RPCError(code: .internalError, message: "response payload is not a \(Response.protoMessageName)", cause: error)
        }
    }

    /// The Request envelope of a call and its local deadline.
    static func envelope<Request: SwiftProtobuf.Message>(
        service: String, method: String, request: Request, timeout: Duration?, metadata: [(String, String)]
    ) throws -> (Ttrpc_Request, NIODeadline?) {
        var envelope = Ttrpc_Request()
        envelope.service = service
        envelope.method = method
        do {
            envelope.payload = try request.serializedBytes()
        } catch {
            throw RPCError(code: .internalError, message: "request did not serialize", cause: error)
        }
        envelope.metadata = metadata.map { key, value in
            var entry = Ttrpc_KeyValue()
            entry.key = key.lowercased()
            entry.value = value
            return entry
        }
        var deadline: NIODeadline?
        if let timeout {
            let nanoseconds = timeout.clampedNanoseconds
            // 0 means "no deadline" on the wire, so an expired timeout is sent as -1.
            envelope.timeoutNano = nanoseconds > 0 ? nanoseconds : -1
            deadline = .now() + .nanoseconds(max(nanoseconds, 0))
        }
        return (envelope, deadline)
    }

    /// Closes the connection; calls still pending fail with UNAVAILABLE.
    package func close() async {
        try? await self.channel.close()
    }

    private func send(_ envelope: Ttrpc_Request, deadline: NIODeadline?) async throws -> Ttrpc_Response {
        let callID = self.nextCallID.wrappingAdd(1, ordering: .relaxed).oldValue
        let promise = self.channel.eventLoop.makePromise(of: Ttrpc_Response.self)
        let handler = self.handler
        return try await withTaskCancellationHandler {
            self.channel.eventLoop.execute {
                handler.value.start(callID: callID, request: envelope, deadline: deadline, promise: promise)
            }
            return try await promise.futureResult.get()
        } onCancel: {
            self.channel.eventLoop.execute {
                handler.value.cancel(callID: callID)
            }
        }
    }
}
