import FlyGateWire
import Logging
import NIOCore
import NIOEmbedded
import Testing

@testable import FlyGateServer

/// When the ttrpc call gate flushes the answers of calls that ran in tasks: at once for the only
/// call in flight on the connection, and once after the others when more are in flight, so that
/// answers finished in one turn of the event loop leave in one write.
@Suite("the ttrpc call gate's flushes")
struct CallGateFlushTests {
    /// A gate bound to a connection of its own, on an embedded channel.
    struct Bound {
        let channel = EmbeddedChannel()
        let gate = TTRPCCallGate()
        let registry = ConnectionRegistry(maxConnections: 4, maxCallsPerConnection: 8)
        let slot: ConnectionSlot

        init() throws {
            try self.channel.pipeline.syncOperations.addHandler(self.gate)
            guard case .admitted(let id) = self.registry.admit(self.channel, uid: 1000) else {
                throw CancellationError()
            }
            self.slot = try #require(self.registry.slot(of: id))
            let binding = TTRPCCallGate.Binding(
                connectionID: id, peer: PeerCredentials(uid: 1000, gid: 1000, pid: 1),
                dispatcher: RPCDispatcher(router: RPCRouter(), maxMetadataEntries: 64, maxFrameBytes: 1 << 20, logger: Logger(label: "test")),
                registry: self.registry, slot: self.slot, executor: EventLoopTaskExecutor(self.channel.eventLoop))
            self.gate.bind(binding) { _ in true }
        }

        /// Takes `count` call slots, as admitted calls do.
        func callsInFlight(_ count: Int) {
            for _ in 0..<count { #expect(self.registry.startCall(on: self.slot) == .admitted) }
        }

        /// The stream ids of the frames flushed so far.
        func flushed() throws -> [UInt32] {
            var ids: [UInt32] = []
            while let frame = try self.channel.readOutbound(as: TTRPCFrame.self) { ids.append(frame.streamID) }
            return ids
        }
    }

    static func answer(_ streamID: UInt32) -> TTRPCFrame {
        TTRPCFrame(streamID: streamID, type: .response, data: ByteBuffer(string: "answer \(streamID)"))
    }

    @Test("the only call in flight is flushed at once")
    func alone() throws {
        let bound = try Bound()
        bound.callsInFlight(1)
        #expect(bound.gate.answerIfWritable(Self.answer(1)))
        #expect(try bound.flushed() == [1])
    }

    @Test("with other calls in flight, answers wait for one flush after the event loop's queued work, in order")
    func together() throws {
        let bound = try Bound()
        bound.callsInFlight(3)
        #expect(bound.gate.answerIfWritable(Self.answer(1)))
        #expect(bound.gate.answerIfWritable(Self.answer(3)))
        #expect(try bound.flushed() == [], "written, not yet flushed")
        bound.channel.embeddedEventLoop.run()
        #expect(try bound.flushed() == [1, 3])
        // The flush was queued once: a later answer queues another.
        #expect(bound.gate.answerIfWritable(Self.answer(5)))
        #expect(try bound.flushed() == [])
        bound.channel.embeddedEventLoop.run()
        #expect(try bound.flushed() == [5])
    }

    @Test("a flush queued before the connection closed does nothing once it has")
    func closed() throws {
        let bound = try Bound()
        bound.callsInFlight(2)
        #expect(bound.gate.answerIfWritable(Self.answer(1)))
        try bound.channel.close().wait()
        bound.channel.embeddedEventLoop.run()
        #expect(!bound.gate.answerIfWritable(Self.answer(3)), "no context: the caller writes through the channel")
    }
}
