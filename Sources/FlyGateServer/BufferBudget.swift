import NIOCore
import Synchronization

/// The daemon-wide budget on buffered bytes: the data of partially received frames plus the
/// output queued for connections, across every connection.
///
/// When the total is at or over the budget, a connection that itself holds buffered bytes
/// (part of a frame, or output its peer has not read) stops reading until the total drops
/// below the budget again; connections holding nothing go on being served, so small calls
/// keep working while large frames wait. One connection at a time may read on regardless (the
/// first that would have paused): it can always finish its frame, so waiting frames never
/// deadlock one another even with a budget smaller than a frame. The budget can be passed by
/// what one read cycle brings (at most a few 64 KiB reads) per connection reading at the time.
package final class BufferBudget: Sendable {
    private struct State {
        var total = 0
        /// The connection that may read over the budget, if any.
        var exempt: ObjectIdentifier?
        /// Paused connections, and how to make each read again.
        var waiting: [ObjectIdentifier: @Sendable () -> Void] = [:]
    }

    /// The budget in bytes.
    package let capacity: Int
    private let state = Mutex(State())

    /// A budget of `capacity` bytes.
    package init(capacity: Int) {
        self.capacity = capacity
    }

    /// Bytes buffered now across all connections.
    package var bufferedBytes: Int {
        self.state.withLock { $0.total }
    }

    /// Connections paused now, waiting for the budget.
    package var pausedConnections: Int {
        self.state.withLock { $0.waiting.count }
    }

    /// Changes `account`'s share by `delta`; runs the wake-ups this frees outside the lock.
    fileprivate func adjust(_ account: ObjectIdentifier, by delta: Int, holdsNothing: Bool) {
        let woken: [@Sendable () -> Void] = self.state.withLock { state in
            state.total += delta
            if holdsNothing, state.exempt == account { state.exempt = nil }
            guard state.total < self.capacity || state.exempt == nil, !state.waiting.isEmpty else { return [] }
            if state.total < self.capacity {
                defer { state.waiting.removeAll() }
                return Array(state.waiting.values)
            }
            // Still over, but nobody is exempt: let one waiting connection finish its frame.
            let (next, resume) = state.waiting.first!
            state.waiting[next] = nil
            state.exempt = next
            return [resume]
        }
        for resume in woken { resume() }
    }

    /// Whether `account`, holding bytes or not, may read now; if not, it is paused and
    /// `resume` runs when it may.
    fileprivate func mayRead(_ account: ObjectIdentifier, holdsBytes: Bool, resume: @escaping @Sendable () -> Void) -> Bool {
        self.state.withLock { state in
            guard holdsBytes, state.total >= self.capacity, state.exempt != account else { return true }
            if state.exempt == nil {
                state.exempt = account
                return true
            }
            state.waiting[account] = resume
            return false
        }
    }

    /// Forgets a closed connection's share and its place in line.
    fileprivate func close(_ account: ObjectIdentifier, releasing bytes: Int) {
        self.state.withLock { state in
            state.waiting[account] = nil
        }
        self.adjust(account, by: -bytes, holdsNothing: true)
    }
}

/// One connection's share of the ``BufferBudget``; lives on the connection's event loop.
package final class BufferAccount {
    private let budget: BufferBudget
    private var inbound = 0
    private var outbound = 0
    private var closed = false

    /// An account in `budget`, holding nothing yet.
    package init(budget: BufferBudget) {
        self.budget = budget
    }

    var holdsBytes: Bool { self.inbound + self.outbound > 0 }

    /// The decoder holds `bytes` of a partial frame now.
    func holdInbound(_ bytes: Int) {
        guard !self.closed, bytes != self.inbound else { return }
        let delta = bytes - self.inbound
        self.inbound = bytes
        self.budget.adjust(ObjectIdentifier(self), by: delta, holdsNothing: !self.holdsBytes)
    }

    /// The connection holds `delta` more (or, negative, fewer) bytes of partial messages: the
    /// gRPC side, where each stream adds its own share.
    func changeInbound(by delta: Int) {
        guard !self.closed, delta != 0 else { return }
        self.inbound += delta
        self.budget.adjust(ObjectIdentifier(self), by: delta, holdsNothing: !self.holdsBytes)
    }

    /// `delta` bytes were queued (positive) or written or dropped (negative).
    func changeOutbound(by delta: Int) {
        guard !self.closed, delta != 0 else { return }
        self.outbound += delta
        self.budget.adjust(ObjectIdentifier(self), by: delta, holdsNothing: !self.holdsBytes)
    }

    func mayRead(resume: @escaping @Sendable () -> Void) -> Bool {
        self.closed || self.budget.mayRead(ObjectIdentifier(self), holdsBytes: self.holdsBytes, resume: resume)
    }

    func close() {
        guard !self.closed else { return }
        self.closed = true
        self.budget.close(ObjectIdentifier(self), releasing: self.inbound + self.outbound)
        self.inbound = 0
        self.outbound = 0
    }
}
