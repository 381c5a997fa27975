import FlyGateHarness
import Synchronization

/// Many streams' messages, each gathered by a reader task of its own until its stream ends or
/// the collector is cancelled.
package final class StreamCollector<Message: Sendable>: Sendable {
    /// Hands one message to the collector.
    package typealias Deliver = @Sendable (Message) -> Void

    private let received: Mutex<[[Message]]>
    private let readers = Mutex<[Task<Void, Never>]>([])

    /// `streams` readers: reader `index` runs `read(index, deliver)`, which delivers each message
    /// its stream sends and returns when the stream ends.
    package init(streams: Int, read: @escaping @Sendable (_ index: Int, _ deliver: Deliver) async -> Void) {
        received = Mutex([[Message]](repeating: [], count: streams))
        let tasks = (0..<streams).map { index in
            Task { [self] in
                await read(index) { message in self.received.withLock { $0[index].append(message) } }
            }
        }
        readers.withLock { $0 = tasks }
    }

    /// Every stream's messages so far, in the order received.
    package var messages: [[Message]] { received.withLock { $0 } }

    /// Whether every stream's messages so far satisfy `condition`.
    package func allSatisfy(_ condition: ([Message]) -> Bool) -> Bool {
        received.withLock { $0.allSatisfy(condition) }
    }

    /// Waits for the readers, which end when their streams do.
    package func finish() async {
        for reader in readers.withLock({ $0 }) { await reader.value }
    }

    /// Ends every reader (and so, for a stream, its call) and waits for them.
    package func cancel() async {
        for reader in readers.withLock({ $0 }) { reader.cancel() }
        await finish()
    }
}
