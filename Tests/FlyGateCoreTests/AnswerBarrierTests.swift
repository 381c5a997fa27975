import NIOCore
import NIOEmbedded
import Synchronization
import Testing

@testable import FlyGateServer

/// The server's answer barrier runs before any flushed byte reaches the socket.
@Suite("the answer barrier")
struct AnswerBarrierTests {
    /// Counts its runs, and whether the channel had sent anything when it ran.
    final class Probe: AnswerBarrier {
        let channel: EmbeddedChannel
        let seen = Mutex<[Bool]>([])  // per run: had bytes left already?

        init(_ channel: EmbeddedChannel) { self.channel = channel }

        func answersWillLeave() {
            let sent = (try? self.channel.readOutbound(as: ByteBuffer.self)) != nil
            self.seen.withLock { $0.append(sent) }
        }
    }

    @Test("each flush runs the barrier first, whoever asks for it; writes alone do not")
    func runsBeforeEachFlush() throws {
        let channel = EmbeddedChannel()
        let probe = Probe(channel)
        try channel.pipeline.syncOperations.addHandler(AnswerBarrierHandler(probe))
        try channel.pipeline.syncOperations.addHandler(ChannelOutboundPassThrough())

        channel.write(ByteBuffer(string: "one"), promise: nil)
        #expect(probe.seen.withLock { $0 }.isEmpty)
        channel.flush()
        #expect(probe.seen.withLock { $0 } == [false])
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "one"))

        // A flush from a handler above it (as the call gate's) passes it too.
        let context = try channel.pipeline.syncOperations.context(handlerType: ChannelOutboundPassThrough.self)
        context.write(NIOAny(ByteBuffer(string: "two")), promise: nil)
        context.flush()
        #expect(probe.seen.withLock { $0 } == [false, false])
        #expect(try channel.readOutbound(as: ByteBuffer.self) == ByteBuffer(string: "two"))
        _ = try channel.finish()
    }
}

/// A handler between the barrier and the tail, standing for the protocol handlers.
private final class ChannelOutboundPassThrough: ChannelOutboundHandler {
    typealias OutboundIn = NIOAny
}
