import Synchronization

/// The watchers of one key (a machine, or an app with its filters) and what the key's loop
/// last saw: the loop publishes each change to every watcher's mailbox, and a watcher that
/// joins later starts from `replay` (the machine now, the app's machines now).
final class WatchFeed<Pending: WatchPending>: Sendable {
    /// How a watcher turns the replay into its first changes (a machine watcher from now keeps
    /// no past events; one from an event id keeps those after it).
    typealias Start = @Sendable ([Pending.Change]) -> [Pending.Change]

    private struct Watcher: Sendable {
        var mailbox: WatchMailbox<Pending>
        var start: Start
        /// Has had its first changes (from the replay).
        var started: Bool
    }

    private struct State: Sendable {
        var watchers: [UInt64: Watcher] = [:]
        var replay: [Pending.Change]?
        var ended = false
    }

    private let state = Mutex(State())
    /// Rung by a mutation made through the daemon: the loop reads again at once.
    let wake = WakeSignal()

    var watcherCount: Int { state.withLock { $0.watchers.count } }

    /// Adds a watcher; false when the feed has ended (its loop is over) and a new one is needed.
    func join(_ id: UInt64, mailbox: WatchMailbox<Pending>, start: @escaping Start) -> Bool {
        let first: [Pending.Change]? = state.withLock { state in
            guard !state.ended else { return nil }
            let first = state.replay.map(start)
            state.watchers[id] = Watcher(mailbox: mailbox, start: start, started: first != nil)
            return first ?? []
        }
        guard let first else { return false }
        for change in first { mailbox.add(change) }
        return true
    }

    /// Removes a watcher; returns how many are left.
    func leave(_ id: UInt64) -> Int {
        state.withLock { state in
            state.watchers[id] = nil
            return state.watchers.count
        }
    }

    /// Hands `changes` to every watcher that has started, and `replay` (through its `start`) to
    /// every one that has not; keeps `replay` for watchers that join later.
    func publish(_ changes: [Pending.Change], replay: [Pending.Change]) {
        let deliveries: [(WatchMailbox<Pending>, [Pending.Change])] = state.withLock { state in
            state.replay = replay
            var deliveries: [(WatchMailbox<Pending>, [Pending.Change])] = []
            for (id, var watcher) in state.watchers {
                if watcher.started {
                    deliveries.append((watcher.mailbox, changes))
                } else {
                    watcher.started = true
                    state.watchers[id] = watcher
                    deliveries.append((watcher.mailbox, watcher.start(replay)))
                }
            }
            return deliveries
        }
        for (mailbox, changes) in deliveries {
            for change in changes { mailbox.add(change) }
        }
    }

    /// The loop is over: every watcher reads what is pending, then its stream ends.
    func end() {
        let mailboxes = state.withLock { state in
            state.ended = true
            return state.watchers.values.map(\.mailbox)
        }
        for mailbox in mailboxes { mailbox.close() }
    }
}

/// A loop's alarm: a mutation through the daemon rings it, and the loop, waiting on it beside
/// its poll, reads again at once. A ring while nobody waits is kept for the next wait.
final class WakeSignal: Sendable {
    private struct State: Sendable {
        var rung = false
        var waiter: CheckedContinuation<Void, Never>?
    }

    private let state = Mutex(State())

    func ring() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            guard let waiter = state.waiter else {
                state.rung = true
                return nil
            }
            state.waiter = nil
            return waiter
        }
        waiter?.resume()
    }

    /// Returns when rung (at once if rung since the last wait), or when the task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let now = state.withLock { state -> Bool in
                    if state.rung || Task.isCancelled {
                        state.rung = false
                        return true
                    }
                    state.waiter = continuation
                    return false
                }
                if now { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
                defer { state.waiter = nil }
                return state.waiter
            }
            waiter?.resume()
        }
    }

    /// Runs `poll` until it returns or the alarm rings, whichever is first; true when it rang.
    func race(_ poll: @escaping @Sendable () async -> Void) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                await poll()
                return false
            }
            group.addTask {
                await self.wait()
                return !Task.isCancelled
            }
            let rang = await group.next() ?? false
            group.cancelAll()
            return rang
        }
    }
}
