import NIOCore

/// Work that must be done before any answer leaves the daemon: the server runs it before each
/// flush of every connection, ttrpc or gRPC, whichever path wrote the answer.
///
/// The audit log is one: a call's `completed` record is sealed when the call ends and written,
/// with the others of the event loop's turn, when the first answer of that turn is flushed.
package protocol AnswerBarrier: Sendable {
    /// Called on the connection's event loop before its written answers are flushed; it must
    /// not block for long, and must be cheap when there is nothing to do.
    func answersWillLeave()
}

/// Next to the socket, below every other handler: whatever asks for a flush, the barrier runs first.
final class AnswerBarrierHandler: ChannelOutboundHandler {
    typealias OutboundIn = NIOAny

    private let barrier: any AnswerBarrier

    init(_ barrier: any AnswerBarrier) {
        self.barrier = barrier
    }

    func flush(context: ChannelHandlerContext) {
        self.barrier.answersWillLeave()
        context.flush()
    }
}
