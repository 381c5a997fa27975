import NIOCore
import NIOEmbedded
import Testing

@testable import FlyGateServer

/// The registry's per-connection bookkeeping (`ConnectionSlot`): call slots, draining, and the
/// activity the sweep reads. The end-to-end limits are in `ServerLimitsTests`.
@Suite("Connection registry: call slots and draining")
struct ConnectionRegistryTests {
    static func admitted(_ registry: ConnectionRegistry, uid: UInt32 = 1000) throws -> (id: UInt64, slot: ConnectionSlot, channel: EmbeddedChannel) {
        let channel = EmbeddedChannel()
        guard case .admitted(let id) = registry.admit(channel, uid: uid) else {
            Issue.record("not admitted")
            throw CancellationError()
        }
        return (id, try #require(registry.slot(of: id)), channel)
    }

    @Test("a connection holds at most maxCallsPerConnection calls; a finished call frees its slot")
    func callLimit() throws {
        let registry = ConnectionRegistry(maxConnections: 4, maxCallsPerConnection: 2)
        let (_, slot, _) = try Self.admitted(registry)
        #expect(registry.startCall(on: slot) == .admitted)
        #expect(registry.startCall(on: slot) == .admitted)
        #expect(registry.startCall(on: slot) == .overLimit)
        #expect(registry.counts.callsInFlight == 2)
        #expect(registry.finishCall(on: slot) == nil, "not draining: nothing to close")
        #expect(registry.startCall(on: slot) == .admitted)
    }

    @Test("draining: idle connections close at once, a busy one when its last call ends, new calls are refused")
    func draining() throws {
        let registry = ConnectionRegistry(maxConnections: 4, maxCallsPerConnection: 4)
        let idle = try Self.admitted(registry)
        let busy = try Self.admitted(registry)
        #expect(registry.startCall(on: busy.slot) == .admitted)
        #expect(registry.startCall(on: busy.slot) == .admitted)
        let (closeNow, closeLater) = registry.beginDraining()
        #expect(closeNow.map(ObjectIdentifier.init) == [ObjectIdentifier(idle.channel)])
        #expect(closeLater.map(ObjectIdentifier.init) == [ObjectIdentifier(busy.channel)])
        #expect(registry.isDraining)
        #expect(registry.startCall(on: busy.slot) == .draining)
        #expect(registry.startCall(on: idle.slot) == .draining)
        #expect(registry.finishCall(on: busy.slot) == nil, "one call still in flight")
        #expect(registry.finishCall(on: busy.slot).map(ObjectIdentifier.init) == ObjectIdentifier(busy.channel))
        #expect(registry.admit(EmbeddedChannel(), uid: 1000) == .draining)
    }

    @Test("frames and calls keep a connection from the idle sweep; the first-frame timeout counts from accept")
    func activity() throws {
        let registry = ConnectionRegistry(limits: .init(
            maxConnections: 4, maxConnectionsPerUID: 4, uncappedUIDs: [], maxCallsPerConnection: 4,
            firstFrameTimeout: .seconds(5), idleTimeout: .seconds(10)))
        let start = ContinuousClock.now
        let (id, slot, _) = try Self.admitted(registry)
        #expect(registry.expired(at: start + .seconds(6)).map(\.expiry) == [.noFirstFrame])
        slot.frameArrived(now: start + .seconds(1))
        #expect(registry.expired(at: start + .seconds(6)).isEmpty)
        #expect(registry.startCall(on: slot) == .admitted)
        #expect(registry.expired(at: start + .seconds(60)).isEmpty, "a call in flight is not idle")
        _ = registry.finishCall(on: slot, now: start + .seconds(20))
        #expect(registry.expired(at: start + .seconds(25)).isEmpty)
        #expect(registry.expired(at: start + .seconds(31)).map(\.id) == [id])
        registry.remove(id)
        #expect(registry.slot(of: id) == nil)
    }
}
