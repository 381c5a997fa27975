import FlyGateHarness
import FlyGateTestSupport
import FlyMachinesProto

/// Many machine watchers' messages.
typealias WatchCollector = StreamCollector<Flygate_Watch_V1_MachineUpdate>

extension StreamCollector where Message == Flygate_Watch_V1_MachineUpdate {
    /// `watchers` readers (``StreamCollector/init(streams:read:)``).
    convenience init(watchers: Int, read: @escaping @Sendable (_ index: Int, _ deliver: Deliver) async -> Void) {
        self.init(streams: watchers, read: read)
    }

    /// Every watcher's event ids so far, in the order received.
    var eventIDs: [[String]] { messages.map { $0.flatMap(\.events).map(\.id) } }

    /// Waits (at most 30 s) until every watcher has `count` events and its latest message says
    /// `state`; true when they have.
    func waitFor(events count: Int, state: String) async throws -> Bool {
        try await eventually(within: .seconds(30)) {
            self.allSatisfy { $0.flatMap(\.events).count >= count && $0.last?.machine.state == state }
        }
    }
}
