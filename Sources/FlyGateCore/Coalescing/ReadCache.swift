import SwiftProtobuf

/// The newest successful answer per read, bounded in entries and bytes, dropping the least
/// recently used first. A plain value: the coalescer keeps it inside its lock.
package struct ReadCache {
    /// One cached answer.
    package struct Answer: Sendable {
        /// The response message.
        package var response: any SwiftProtobuf.Message
        /// When the upstream call that produced it started (the age is counted from here).
        package var takenAt: ContinuousClock.Instant
    }

    private struct Node {
        var key: ReadKey
        var answer: Answer
        var bytes: Int
        var newer: Int?
        var older: Int?
    }

    /// Most entries kept.
    package let maxEntries: Int
    /// Most bytes kept (keys plus serialized answers plus a fixed overhead per entry).
    package let maxBytes: Int
    /// Bytes counted per entry on top of key and answer: dictionary slots, list links.
    package static let entryOverheadBytes = 128

    private var nodes: [Node?] = []
    private var freeSlots: [Int] = []
    private var index: [ReadKey: Int] = [:]
    private var byScope: [ReadScope: Set<ReadKey>] = [:]
    private var newest: Int?
    private var oldest: Int?

    /// Bytes held now.
    package private(set) var bytes = 0
    /// Entries held now.
    package var count: Int { index.count }

    /// An empty cache with these bounds (0 entries or bytes: caches nothing).
    package init(maxEntries: Int, maxBytes: Int) {
        self.maxEntries = maxEntries
        self.maxBytes = maxBytes
    }

    /// The answer for `key` if it is at most `maxAge` old at `now`; marks it recently used.
    package mutating func answer(for key: ReadKey, maxAge: Duration, now: ContinuousClock.Instant) -> Answer? {
        guard let slot = index[key], let node = nodes[slot] else { return nil }
        guard now - node.answer.takenAt <= maxAge else { return nil }
        unlink(slot)
        linkAsNewest(slot)
        return node.answer
    }

    /// Stores `answer` for `key` (replacing an older one) and evicts until within bounds;
    /// `answerBytes` is the answer's serialized size. An answer too large for the cache is not kept.
    package mutating func store(_ answer: Answer, for key: ReadKey, answerBytes: Int) {
        let size = key.byteCount + answerBytes + Self.entryOverheadBytes
        guard maxEntries > 0, size <= maxBytes else { return remove(key) }
        if let slot = index[key], var node = nodes[slot] {
            // A newer answer for a key kept: replaced in place, the key's index and scope as they were.
            bytes += size - node.bytes
            node.answer = answer
            node.bytes = size
            nodes[slot] = node
            unlink(slot)
            linkAsNewest(slot)
            evictToBounds()
            return
        }
        let node = Node(key: key, answer: answer, bytes: size)
        let slot: Int
        if let free = freeSlots.popLast() {
            nodes[free] = node
            slot = free
        } else {
            nodes.append(node)
            slot = nodes.count - 1
        }
        index[key] = slot
        byScope[key.scope, default: []].insert(key)
        bytes += size
        linkAsNewest(slot)
        evictToBounds()
    }

    /// Drops the least recently used answers until the cache is within its bounds.
    private mutating func evictToBounds() {
        while index.count > maxEntries || bytes > maxBytes, let victim = oldest, let node = nodes[victim] {
            remove(node.key)
        }
    }

    /// Forgets every answer in `scope`, or in any scope it covers (``ReadScope/covers(_:)``).
    package mutating func removeAll(in scope: ReadScope) {
        let scopes = scope.isInvalidationOnly ? byScope.keys.filter(scope.covers) : [scope]
        for covered in scopes {
            guard let keys = byScope[covered] else { continue }
            for key in keys { remove(key) }
        }
    }

    /// Forgets the answer for `key`, if any.
    package mutating func remove(_ key: ReadKey) {
        guard let slot = index.removeValue(forKey: key), let node = nodes[slot] else { return }
        unlink(slot)
        nodes[slot] = nil
        freeSlots.append(slot)
        bytes -= node.bytes
        byScope[key.scope]?.remove(key)
        if byScope[key.scope]?.isEmpty == true { byScope[key.scope] = nil }
    }

    private mutating func linkAsNewest(_ slot: Int) {
        nodes[slot]?.older = newest
        nodes[slot]?.newer = nil
        if let newest { nodes[newest]?.newer = slot }
        newest = slot
        if oldest == nil { oldest = slot }
    }

    private mutating func unlink(_ slot: Int) {
        guard let node = nodes[slot] else { return }
        if let newer = node.newer { nodes[newer]?.older = node.older } else { newest = node.older }
        if let older = node.older { nodes[older]?.newer = node.newer } else { oldest = node.newer }
        nodes[slot]?.newer = nil
        nodes[slot]?.older = nil
    }
}
