import FlyGateWire
import Foundation
import SwiftProtobuf
import Synchronization

/// Where a server-streaming handler sends its messages, in order.
///
/// Each message goes out as one ttrpc Data frame or one length-prefixed gRPC message. A
/// message over the server's frame maximum is RESOURCE_EXHAUSTED (thrown, not sent).
package struct RPCStreamWriter<Message: SwiftProtobuf.Message>: Sendable {
    let sink: RPCStreamSink

    /// Sends one message. Suspends while the peer is not reading (the connection is not
    /// writable / the stream's flow-control window is closed), so a slow reader holds its own
    /// handler back and nothing buffers without bound; throws CancellationError (or an
    /// RPCError) once the stream or the connection is gone.
    package func send(_ message: Message) async throws {
        let bytes: Data
        do {
            bytes = try message.serializedBytes()
        } catch {
            throw RPCError(code: .internalError, message: "stream message did not serialize", cause: error)
        }
        try await self.sink.send(bytes)
    }
}

/// The protocol side of a server stream: writes one serialized message the way its protocol
/// frames it, and stops taking messages once the stream has ended.
final class RPCStreamSink: Sendable {
    private let maxMessageBytes: Int
    private let write: @Sendable (Data) async throws -> Void
    private let closed = Atomic<Bool>(false)

    /// A sink writing each message with `write`, refusing any over `maxMessageBytes`.
    init(maxMessageBytes: Int, write: @escaping @Sendable (Data) async throws -> Void) {
        self.maxMessageBytes = maxMessageBytes
        self.write = write
    }

    /// Writes `bytes`, waiting while the peer is not reading; throws CancellationError once
    /// the stream has ended or the task is cancelled (a write cancelled while it waits is not sent).
    func send(_ bytes: Data) async throws {
        guard !Task.isCancelled, !self.closed.load(ordering: .acquiring) else { throw CancellationError() }
        guard bytes.count <= self.maxMessageBytes else {
            throw RPCError(
                code: .resourceExhausted,
                message: "stream message of \(bytes.count) bytes is over the maximum of \(self.maxMessageBytes)")
        }
        try await self.write(bytes)
    }

    /// Takes no more messages: the stream's outcome is known.
    func close() {
        self.closed.store(true, ordering: .releasing)
    }
}
