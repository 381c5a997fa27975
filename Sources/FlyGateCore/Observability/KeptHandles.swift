import Synchronization

/// Metric handles by key, each made on its first use and kept: a handle made afresh for each
/// event is looked up in the metrics registry every time (some 4,000 instructions a call, in
/// flygate-bench `--only callgrind`).
package final class KeptHandles<Key: Hashable & Sendable, Handle: Sendable>: Sendable {
    private let handles = Mutex([Key: Handle]())
    private let make: @Sendable (Key) -> Handle

    /// Handles that `make` makes, once a key.
    package init(_ make: @escaping @Sendable (Key) -> Handle) {
        self.make = make
    }

    package subscript(key: Key) -> Handle {
        handles.withLock { handles in
            if let handle = handles[key] { return handle }
            let handle = make(key)
            handles[key] = handle
            return handle
        }
    }
}
