import FlyGateJSON
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The executable path of each connection's peer (`/proc/PID/exe`), read at the connection's
/// first audited call and cached for the rest of it; the oldest entries make room after 4096.
package final class PeerExecutables: Sendable {
    private struct Cache {
        var paths: [UInt64: JSONValue] = [:]
        var order: [UInt64] = []
    }

    private let cache = Mutex(Cache())
    private let limit: Int

    package init(limit: Int = 4096) {
        self.limit = limit
    }

    /// The peer's executable path, or null when it can no longer be read (the process exited).
    package func path(connectionID: UInt64, pid: Int32) -> JSONValue {
        if let known = cache.withLock({ $0.paths[connectionID] }) { return known }
        let path = Self.readExecutable(pid: pid).map(JSONValue.string) ?? .null
        cache.withLock { cache in
            guard cache.paths.updateValue(path, forKey: connectionID) == nil else { return }
            cache.order.append(connectionID)
            if cache.order.count > limit {
                let evicted = cache.order.prefix(cache.order.count - limit)
                for id in evicted { cache.paths[id] = nil }
                cache.order.removeFirst(evicted.count)
            }
        }
        return path
    }

    /// `readlink /proc/PID/exe`.
    static func readExecutable(pid: Int32) -> String? {
        guard pid > 0 else { return nil }
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let length = readlink("/proc/\(pid)/exe", &buffer, buffer.count - 1)
        guard length > 0 else { return nil }
        return String(decoding: buffer[..<length].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
