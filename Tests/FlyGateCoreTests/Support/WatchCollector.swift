import FlyGateHarness
import FlyMachinesProto
import Synchronization

/// Many machine watchers' messages, each gathered by a reader task of its own until its watch
/// ends or the collector is cancelled.
final class WatchCollector: Sendable {
    /// Hands one message to the collector.
    typealias Deliver = @Sendable (Flygate_Watch_V1_MachineUpdate) -> Void

    private let received: Mutex<[[Flygate_Watch_V1_MachineUpdate]]>
    private let readers = Mutex<[Task<Void, Never>]>([])

    /// `watchers` readers: reader `index` runs `read(index, deliver)`, which delivers each
    /// message its watch sends and returns when the watch ends.
    init(watchers: Int, read: @escaping @Sendable (_ index: Int, _ deliver: Deliver) async -> Void) {
        received = Mutex([[Flygate_Watch_V1_MachineUpdate]](repeating: [], count: watchers))
        let tasks = (0..<watchers).map { index in
            Task { [self] in
                await read(index) { message in self.received.withLock { $0[index].append(message) } }
            }
        }
        readers.withLock { $0 = tasks }
    }

    /// Every watcher's messages so far, in the order received.
    var messages: [[Flygate_Watch_V1_MachineUpdate]] { received.withLock { $0 } }

    /// Every watcher's event ids so far, in the order received.
    var eventIDs: [[String]] { received.withLock { $0.map { $0.flatMap(\.events).map(\.id) } } }

    /// Whether every watcher's messages so far satisfy `condition`.
    func allSatisfy(_ condition: ([Flygate_Watch_V1_MachineUpdate]) -> Bool) -> Bool {
        received.withLock { $0.allSatisfy(condition) }
    }

    /// Waits (at most 30 s) until every watcher has `count` events and its latest message says
    /// `state`; true when they have.
    func waitFor(events count: Int, state: String) async throws -> Bool {
        try await eventually(within: .seconds(30)) {
            self.allSatisfy { $0.flatMap(\.events).count >= count && $0.last?.machine.state == state }
        }
    }

    /// Waits for the readers, which end when their watches do.
    func finish() async {
        for reader in readers.withLock({ $0 }) { await reader.value }
    }

    /// Ends every reader (and so, for a stream, its watch) and waits for them.
    func cancel() async {
        for reader in readers.withLock({ $0 }) { reader.cancel() }
        await finish()
    }
}
