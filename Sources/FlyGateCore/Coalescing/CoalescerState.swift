/// The coalescer's shared state: flights in progress, their waiters, the read cache and the
/// mutation epochs. Pure and synchronous; every mutating method returns what the caller must do
/// once the lock is released (resume continuations, start or cancel a shared call).
///
/// `Waiter` is what wakes a caller: a continuation in the daemon, anything in tests.
package struct CoalescerState<Waiter> {
    private struct Flight {
        let key: ReadKey
        /// The mutation epoch when the call started: its answer is cached only if no mutation
        /// of its scope has started or finished since.
        let startEpoch: UInt64
        let startedAt: ContinuousClock.Instant
        var waiters: [UInt64: (continuation: Waiter, joined: Bool)]
        /// Cancels the shared call.
        let cancel: FlightCancellation
    }

    /// What ``join(_:waiterID:continuation:isCancelled:now:)`` asks of the caller.
    package enum JoinAction {
        /// Joined a flight in progress: wait.
        case wait
        /// Started flight `id`: run the shared call, and let `cancellation` cancel it.
        case start(flightID: UInt64, cancellation: FlightCancellation)
        /// Already cancelled: resume the waiter at once.
        case resume(Waiter, FlightWakeup)
    }

    /// What ``leave(waiterID:)`` asks of the caller.
    package struct LeaveAction {
        /// Resume this waiter with `.left`.
        package var waiter: Waiter?
        /// The last waiter left: cancel the shared call.
        package var cancel: FlightCancellation?
    }

    private var flights: [UInt64: Flight] = [:]
    /// The flight a new identical read joins; a flight invalidated by a mutation is no longer here.
    private var joinable: [ReadKey: UInt64] = [:]
    private var flightOfWaiter: [UInt64: UInt64] = [:]
    private var nextFlightID: UInt64 = 1
    private var epoch: UInt64 = 0
    /// The epoch of the latest mutation per scope; pruned when no flight could be affected.
    private var lastMutation: [ReadScope: UInt64] = [:]
    package private(set) var cache: ReadCache

    /// State with an empty cache bounded as given.
    package init(maxCacheEntries: Int, maxCacheBytes: Int) {
        cache = ReadCache(maxEntries: maxCacheEntries, maxBytes: maxCacheBytes)
    }

    /// Flights in progress (joinable or not).
    package var flightCount: Int { flights.count }

    /// Callers waiting for a flight.
    package var waiterCount: Int { flightOfWaiter.count }

    /// A cached answer for `key` no older than `maxAge`.
    package mutating func cachedAnswer(for key: ReadKey, maxAge: Duration, now: ContinuousClock.Instant) -> ReadCache.Answer? {
        cache.answer(for: key, maxAge: maxAge, now: now)
    }

    /// Adds waiter `waiterID` to the flight for `key`, starting one when none is joinable.
    package mutating func join(
        _ key: ReadKey, waiterID: UInt64, continuation: Waiter, isCancelled: Bool, now: ContinuousClock.Instant
    ) -> JoinAction {
        if isCancelled { return .resume(continuation, .left) }
        if let id = joinable[key], flights[id] != nil {
            flights[id]!.waiters[waiterID] = (continuation, true)
            flightOfWaiter[waiterID] = id
            return .wait
        }
        let id = nextFlightID
        nextFlightID += 1
        let cancel = FlightCancellation()
        flights[id] = Flight(
            key: key, startEpoch: epoch, startedAt: now, waiters: [waiterID: (continuation, false)], cancel: cancel)
        joinable[key] = id
        flightOfWaiter[waiterID] = id
        return .start(flightID: id, cancellation: cancel)
    }

    /// Removes a waiter that was cancelled or whose deadline passed; the last one out cancels the
    /// shared call.
    package mutating func leave(waiterID: UInt64) -> LeaveAction {
        guard let id = flightOfWaiter.removeValue(forKey: waiterID),
            let waiter = flights[id]?.waiters.removeValue(forKey: waiterID)
        else { return LeaveAction() }
        var action = LeaveAction(waiter: waiter.continuation)
        if let flight = flights[id], flight.waiters.isEmpty {
            removeFlight(id)
            action.cancel = flight.cancel
        }
        return action
    }

    /// Ends flight `id` with `outcome` and returns its waiters to resume. A successful answer
    /// is cached when `answerBytes` is given and no mutation of its scope overlapped the call.
    /// A flight that already ended (every waiter left) is ignored: the id, not the key, decides,
    /// so an old call never removes a newer call's entry.
    package mutating func complete(
        flightID id: UInt64, outcome: FlightOutcome, answerBytes: Int?
    ) -> [(Waiter, FlightWakeup)] {
        guard let flight = flights[id] else { return [] }
        removeFlight(id)
        if case .success(let response) = outcome.result, let answerBytes,
            (lastMutation[flight.key.scope] ?? 0) <= flight.startEpoch,
            (flight.key.scope.app.flatMap { lastMutation[.wholeApp($0)] } ?? 0) <= flight.startEpoch
        {
            cache.store(ReadCache.Answer(response: response, takenAt: flight.startedAt), for: flight.key, answerBytes: answerBytes)
        }
        return flight.waiters.values.map { ($0.continuation, .finished(outcome, joined: $0.joined)) }
    }

    /// A mutation of `scopes` is starting or has ended: drop their cached answers, keep answers
    /// of reads already in flight out of the cache, and let new reads start fresh calls (callers
    /// already waiting keep their flight).
    package mutating func invalidate(_ scopes: [ReadScope]) {
        epoch += 1
        for scope in scopes {
            lastMutation[scope] = epoch
            cache.removeAll(in: scope)
        }
        for (key, _) in joinable where scopes.contains(where: { $0.covers(key.scope) }) {
            joinable[key] = nil
        }
        pruneMutations()
    }

    private mutating func removeFlight(_ id: UInt64) {
        guard let flight = flights.removeValue(forKey: id) else { return }
        if joinable[flight.key] == id { joinable[flight.key] = nil }
        for waiterID in flight.waiters.keys { flightOfWaiter[waiterID] = nil }
    }

    /// Forgets mutation epochs no flight in progress can be older than.
    private mutating func pruneMutations() {
        guard !flights.isEmpty else {
            lastMutation.removeAll(keepingCapacity: true)
            return
        }
        guard lastMutation.count > 4096 else { return }
        let oldestStart = flights.values.map(\.startEpoch).min() ?? epoch
        lastMutation = lastMutation.filter { $0.value > oldestStart }
    }
}
