import FlyGateServer
import FlyGateWire
import FlyMachinesProto
import Logging
import Synchronization

/// Machine and app watches: one upstream loop per watched key, shared by every watcher of it,
/// started by the first watcher and stopped when the last one leaves.
///
/// A machine's loop long-polls Fly's `wait` for any settled state other than the current one
/// (Fly has no push), re-reads the machine and its events when it returns, and hands every
/// watcher the machine and the events it has not seen. An app's loop lists the app's machines
/// and hands on what was added, changed or removed. A mutation made through the daemon rings
/// the loops of its machine and app (``nudge(app:machine:)``): they read again at once, then
/// a few times more while the machine moves through its transient states.
package final class WatchHub: Sendable {
    package struct Configuration: Sendable, Equatable {
        /// The longest a loop goes without reading when nothing rings it: a machine's `wait`
        /// timeout, an app's time between `List`s. The most a change made behind the daemon's
        /// back waits to be seen.
        package var pollInterval: Duration
        /// After a ring, the loop reads again after each of these, to follow the transitions a
        /// mutation starts (starting → started).
        package var followUps: [Duration]
        /// The most watches one uid may have open at once; more are refused with RESOURCE_EXHAUSTED.
        package var maxWatchesPerUID: Int
        /// The first pause after a failed upstream read; it doubles up to `pollInterval`.
        package var retryDelay: Duration

        package init(pollInterval: Duration, followUps: [Duration], maxWatchesPerUID: Int, retryDelay: Duration) {
            self.pollInterval = pollInterval
            self.followUps = followUps
            self.maxWatchesPerUID = maxWatchesPerUID
            self.retryDelay = retryDelay
        }

        /// 10 s between reads when nothing happens; follow-ups 0.1, 0.3, 1 and 3 s after a
        /// mutation; 256 watches per uid; 250 ms first retry.
        package static var defaults: Configuration {
            Configuration(
                pollInterval: .seconds(10), followUps: [.milliseconds(100), .milliseconds(300), .seconds(1), .seconds(3)],
                maxWatchesPerUID: 256, retryDelay: .milliseconds(250))
        }
    }

    fileprivate enum Key: Hashable, Sendable {
        case machine(app: String, id: String)
        case app(app: String, region: String, state: String)

        var app: String {
            switch self {
            case .machine(let app, _), .app(let app, _, _): app
            }
        }
    }

    fileprivate enum Feed: Sendable {
        case machine(WatchFeed<PendingMachineUpdate>)
        case app(WatchFeed<PendingAppUpdates>)

        var wake: WakeSignal {
            switch self {
            case .machine(let feed): feed.wake
            case .app(let feed): feed.wake
            }
        }

        /// The same feed object (not merely the same key).
        func same(as other: Feed) -> Bool {
            switch (self, other) {
            case (.machine(let a), .machine(let b)): a === b
            case (.app(let a), .app(let b)): a === b
            default: false
            }
        }
    }

    private struct Running: Sendable {
        var feed: Feed
        var loop: Task<Void, Never>
    }

    private struct State: Sendable {
        var running: [Key: Running] = [:]
        var watchesByUID: [UInt32: Int] = [:]
        var nextWatcherID: UInt64 = 1
    }

    let configuration: Configuration
    /// Makes the loops' reads: the daemon's pipeline (limiter, coalescing) as its own calls.
    let upstream: any MachinesCalling
    let logger: Logger
    private let state = Mutex(State())

    package init(configuration: Configuration, upstream: any MachinesCalling, logger: Logger) {
        self.configuration = configuration
        self.upstream = upstream
        self.logger = logger
    }

    /// Open watches and running loops, for statistics and tests.
    package var counts: (watches: Int, loops: Int) {
        state.withLock { state in (state.watchesByUID.values.reduce(0, +), state.running.count) }
    }

    /// Watches one machine for `uid`. Its first message is the machine now, with the events
    /// after `fromEventID` when given.
    package func watchMachine(
        app: String, machine: String, fromEventID: String?, uid: UInt32
    ) throws(RPCError) -> WatchSubscription<PendingMachineUpdate> {
        let start: WatchFeed<PendingMachineUpdate>.Start = { replay in
            replay.map { change in
                var change = change
                change.events = Self.events(change.events, after: fromEventID)
                return change
            }
        }
        return try subscribe(.machine(app: app, id: machine), uid: uid, start: start) { feed in
            .machine(feed)
        } feedOf: { running in
            if case .machine(let feed) = running { return feed }
            return nil
        } loop: { hub, feed in
            await hub.runMachineLoop(app: app, id: machine, feed: feed)
        }
    }

    /// Watches an app's machines (those in `region` and `state`, when given) for `uid`. First
    /// an `added` for every machine it has now.
    package func watchApp(
        app: String, region: String, state: String, uid: UInt32
    ) throws(RPCError) -> WatchSubscription<PendingAppUpdates> {
        try subscribe(.app(app: app, region: region, state: state), uid: uid, start: { $0 }) { feed in
            .app(feed)
        } feedOf: { running in
            if case .app(let feed) = running { return feed }
            return nil
        } loop: { hub, feed in
            await hub.runAppLoop(app: app, region: region, state: state, feed: feed)
        }
    }

    /// A mutation made through the daemon changed `app` (and `machine`, when it names one):
    /// the loops watching them read again at once.
    package func nudge(app: String, machine: String?) {
        let wakes = state.withLock { state in
            state.running.filter { key, _ in
                guard key.app == app else { return false }
                if case .machine(_, let id) = key, let machine { return id == machine }
                return true
            }.map(\.value.feed.wake)
        }
        for wake in wakes { wake.ring() }
    }

    /// Stops every loop; watchers' streams end.
    package func shutDown() {
        let loops = state.withLock { state in state.running.values.map(\.loop) }
        for loop in loops { loop.cancel() }
    }

    private func subscribe<Pending: WatchPending>(
        _ key: Key,
        uid: UInt32,
        start: @escaping WatchFeed<Pending>.Start,
        wrap: @escaping @Sendable (WatchFeed<Pending>) -> Feed,
        feedOf: (Feed) -> WatchFeed<Pending>?,
        loop: @escaping @Sendable (WatchHub, WatchFeed<Pending>) async -> Void
    ) throws(RPCError) -> WatchSubscription<Pending> {
        let mailbox = WatchMailbox<Pending>()
        let limit = configuration.maxWatchesPerUID
        let id: UInt64 = try state.withLock { (state: inout State) throws(RPCError) -> UInt64 in
            let open = state.watchesByUID[uid, default: 0]
            guard open < limit else {
                throw RPCError(code: .resourceExhausted, message: "uid \(uid) has \(open) watches open, the most allowed (\(limit))")
            }
            state.watchesByUID[uid] = open + 1
            defer { state.nextWatcherID += 1 }
            return state.nextWatcherID
        }
        // Join the key's feed, starting its loop if none runs (or the last one has ended).
        while true {
            let (feed, fresh) = state.withLock { state -> (WatchFeed<Pending>, Bool) in
                if let running = state.running[key], let feed = feedOf(running.feed) { return (feed, false) }
                let feed = WatchFeed<Pending>()
                let loopTask = Task { [self] in
                    await loop(self, feed)
                    self.loopEnded(key, feed: wrap(feed))
                }
                state.running[key] = Running(feed: wrap(feed), loop: loopTask)
                return (feed, true)
            }
            if feed.join(id, mailbox: mailbox, start: start) {
                return WatchSubscription(mailbox: mailbox) { [self] in
                    self.leave(key, id: id, uid: uid, feed: wrap(feed))
                }
            }
            // That feed's loop had just ended: take it out of the table and start another.
            if !fresh { self.loopEnded(key, feed: wrap(feed)) }
        }
    }

    private func leave(_ key: Key, id: UInt64, uid: UInt32, feed: Feed) {
        let remaining: Int =
            switch feed {
            case .machine(let feed): feed.leave(id)
            case .app(let feed): feed.leave(id)
            }
        let stopped: Task<Void, Never>? = state.withLock { state in
            let open = state.watchesByUID[uid, default: 1] - 1
            state.watchesByUID[uid] = open > 0 ? open : nil
            guard remaining == 0, let running = state.running[key], running.feed.same(as: feed) else { return nil }
            state.running[key] = nil
            return running.loop
        }
        stopped?.cancel()
    }

    private func loopEnded(_ key: Key, feed: Feed) {
        // Out of the table first: a watcher whose stream ends may look at the counts at once.
        state.withLock { state in
            if let running = state.running[key], running.feed.same(as: feed) { state.running[key] = nil }
        }
        switch feed {
        case .machine(let inner): inner.end()
        case .app(let inner): inner.end()
        }
    }

    /// `events` after the one with id `eventID`; all of them when it is not among them; none
    /// when `eventID` is nil (a watch from now).
    static func events(_ events: [Flygate_Machines_V1_MachineEvent], after eventID: String?) -> [Flygate_Machines_V1_MachineEvent] {
        guard let eventID else { return [] }
        guard let index = events.firstIndex(where: { $0.id == eventID }) else { return events }
        return Array(events[(index + 1)...])
    }
}

/// One watcher's end of a watch: read its messages with ``next()``; ``cancel()`` (or letting
/// go of it) leaves the watch, and stops the key's loop when it was the last watcher.
package final class WatchSubscription<Pending: WatchPending>: Sendable {
    private let mailbox: WatchMailbox<Pending>
    private let onLeave: Mutex<(@Sendable () -> Void)?>

    init(mailbox: WatchMailbox<Pending>, onLeave: @escaping @Sendable () -> Void) {
        self.mailbox = mailbox
        self.onLeave = Mutex(onLeave)
    }

    /// The next message; nil when the watch has ended (the machine is gone, the daemon stops)
    /// or the calling task is cancelled.
    package func next() async -> Pending.Message? {
        await mailbox.next()
    }

    /// Leaves the watch; later calls do nothing.
    package func cancel() {
        mailbox.close()
        onLeave.withLock { leave in
            defer { leave = nil }
            return leave
        }?()
    }

    deinit {
        cancel()
    }
}
