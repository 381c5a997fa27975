import FlyGateWire
import NIOCore
import SwiftProtobuf

extension RPCClient {
    /// How many messages of one stream wait for its consumer before the connection stops
    /// being read, and how few before it is read again.
    static let streamBuffer = (low: 4, high: 32)

    /// Calls the server-streaming `service`/`method` with `request` (ttrpc 1.2: the Request
    /// flagged remote-closed) and returns its messages, decoded as `Response`, in order.
    ///
    /// The call starts at once; its messages wait, up to a few dozen, for the sequence to be
    /// iterated (once). Iteration ends when the server ends the stream OK, and throws
    /// ``RPCError`` when it ends it with a status, at `timeout` (DEADLINE_EXCEEDED; it also
    /// travels as `timeout_nano`), or when the connection drops (UNAVAILABLE).
    ///
    /// While one stream's consumer has its buffer full, the connection is not read, so the
    /// server's sends wait and nothing piles up here; other calls on the same connection wait
    /// too (ttrpc has no flow control per stream): give a slow consumer a connection of its own.
    ///
    /// Ending the iteration early, cancelling the consuming task or dropping the sequence
    /// gives the stream up: later frames of it are dropped, and an empty Data frame flagged
    /// remote-closed tells flygate, which cancels the handler and frees the stream's slot
    /// (ttrpc has no cancel frame; another ttrpc server ignores it, and its stream lasts
    /// until its handler ends, its deadline passes or the connection is closed).
    package func serverStream<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        service: String,
        method: String,
        request: Request,
        as responseType: Response.Type = Response.self,
        timeout: Duration? = nil,
        metadata: [(String, String)] = []
    ) -> RPCServerStream<Response> {
        let callID = self.nextCallID.wrappingAdd(1, ordering: .relaxed).oldValue
        let handler = self.handler
        let produced = StreamMessages.makeSequence(
            backPressureStrategy: .init(lowWatermark: Self.streamBuffer.low, highWatermark: Self.streamBuffer.high),
            finishOnDeinit: true,
            delegate: ClientStreamDelegate(handler: handler, callID: callID)
        )
        let source = produced.source
        do {
            let (envelope, deadline) = try Self.envelope(
                service: service, method: method, request: request, timeout: timeout, metadata: metadata)
            handler.eventLoop.execute {
                handler.value.startStream(callID: callID, request: envelope, deadline: deadline, source: source)
            }
        } catch {
            source.finish(error)
        }
        return RPCServerStream(messages: produced.sequence)
    }
}

/// The messages of a server stream (``RPCClient/serverStream(service:method:request:as:timeout:metadata:)``),
/// decoded, in order; iterate it once.
package struct RPCServerStream<Response: SwiftProtobuf.Message>: AsyncSequence {
    package typealias Element = Response

    let messages: StreamMessages

    /// The iterator; iterating gives the stream up when it is dropped early.
    package func makeAsyncIterator() -> Iterator {
        Iterator(base: self.messages.makeAsyncIterator())
    }

    /// Reads the stream's messages; throws ``RPCError`` when the stream ends with one.
    package struct Iterator: AsyncIteratorProtocol {
        var base: StreamMessages.AsyncIterator

        /// The next message, or nil once the stream ended OK.
        package mutating func next() async throws -> Response? {
            guard let bytes = try await self.base.next() else { return nil }
            do {
                return try Response(buffer: bytes)
            } catch {
                throw RPCError(code: .internalError, message: "stream message is not a \(Response.protoMessageName)", cause: error)
            }
        }
    }
}
