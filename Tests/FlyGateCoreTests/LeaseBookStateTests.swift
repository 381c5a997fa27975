import FlyGateCore
import Testing

/// The lease book's state machine: guard decisions, holders leaving, renewals, expiry, restart.
@Suite struct LeaseBookStateTests {
    let key = LeaseKey(app: "demo", machine: "m1")
    let start = ContinuousClock.now

    /// `seconds` after the start on both clocks (the wall clock at Unix second `seconds`).
    func at(_ seconds: Int64) -> LeaseTime {
        LeaseTime(unixSeconds: seconds, instant: start + .seconds(seconds))
    }

    /// `seconds` after the start on the monotonic clock, with the wall clock stepped by `step`.
    func at(_ seconds: Int64, wallStep step: Int64) -> LeaseTime {
        LeaseTime(unixSeconds: seconds + step, instant: start + .seconds(seconds))
    }

    func record(connection: UInt64? = 1, nonce: String = "nonce-one", expiresAt: Int64 = 1_000, renew: Bool = false) -> LeaseRecord {
        LeaseRecord(
            app: "demo", machine: "m1", nonce: nonce, ttlSeconds: 30, expiresAt: expiresAt, description: "deploy",
            holder: LeaseHolder(connectionID: connection, uid: 1000, pid: 4242), renew: renew)
    }

    func book(holding record: LeaseRecord, open: [UInt64] = [1, 2]) -> LeaseBookState {
        var state = LeaseBookState()
        for id in open { state.connectionOpened(id) }
        let taken = state.take(record, now: at(0))
        #expect(taken == .booked(renew: record.renew))
        return state
    }

    @Test("an unbooked machine passes, whatever the nonce")
    func unbooked() {
        let state = LeaseBookState()
        #expect(state.decide(key, connectionID: 1, nonce: "", now: at(0)) == .pass)
        #expect(state.decide(key, connectionID: 1, nonce: "x", now: at(0)) == .pass)
    }

    @Test("the holder's mutation without a nonce gets it attached; with one it passes as sent")
    func holderGetsNonce() {
        let state = book(holding: record())
        #expect(state.decide(key, connectionID: 1, nonce: "", now: at(10)) == .attach(nonce: "nonce-one"))
        #expect(state.decide(key, connectionID: 1, nonce: "other", now: at(10)) == .pass)
    }

    @Test("another connection is refused without the nonce or with a wrong one, and passes with the right one")
    func othersGuarded() {
        let state = book(holding: record())
        guard case .refuse(let holder) = state.decide(key, connectionID: 2, nonce: "", now: at(10)) else {
            Issue.record("a caller without the nonce was not refused")
            return
        }
        #expect(holder.holder.pid == 4242 && holder.holder.uid == 1000)
        if case .refuse = state.decide(key, connectionID: 2, nonce: "wrong", now: at(10)) {} else { Issue.record("a wrong nonce passed") }
        #expect(state.decide(key, connectionID: 2, nonce: "nonce-one", now: at(10)) == .pass)
        #expect(state.decide(LeaseKey(app: "demo", machine: "m2"), connectionID: 2, nonce: "", now: at(10)) == .pass)
    }

    @Test("a lapsed lease guards nothing and is swept from the book")
    func expiry() {
        var state = book(holding: record(expiresAt: 100))
        #expect(state.decide(key, connectionID: 2, nonce: "", now: at(100)) == .pass)
        let sweptEarly = state.sweep(now: at(99))
        #expect(sweptEarly == false)
        let sweptAtExpiry = state.sweep(now: at(100))
        #expect(sweptAtExpiry == true)
        #expect(state.leases.isEmpty)
    }

    @Test("a wall-clock step an hour forward or back neither drops nor extends a held lease", arguments: [3_600, -3_600] as [Int64])
    func wallClockStep(step: Int64) {
        var state = book(holding: record(expiresAt: 100))
        // Held: at 50 s, whatever the wall clock says now.
        if case .refuse = state.decide(key, connectionID: 2, nonce: "", now: at(50, wallStep: step)) {} else {
            Issue.record("a wall-clock step of \(step) s dropped a held lease")
        }
        let sweptEarly = state.sweep(now: at(50, wallStep: step))
        #expect(!sweptEarly && state.sortedLeases(unexpiredAt: at(99, wallStep: step)).count == 1)
        // Lapsed: at 100 s, whatever the wall clock says now.
        #expect(state.decide(key, connectionID: 2, nonce: "", now: at(100, wallStep: step)) == .pass)
        let sweptAtExpiry = state.sweep(now: at(100, wallStep: step))
        #expect(sweptAtExpiry && state.leases.isEmpty)
    }

    @Test("a refresh's new expiry counts from the wall clock of its moment, a step before it included")
    func refreshAfterStep() {
        var state = book(holding: record(expiresAt: 100, renew: true))
        // At 50 s the wall clock reads an hour ahead; Fly's expiry (by that wall clock) is 30 s on.
        let moved = state.refreshed(key, nonce: "nonce-one", expiresAt: 50 + 3_600 + 30, now: at(50, wallStep: 3_600))
        #expect(moved && state.leases[key]?.expiresAt == 3_680)
        #expect(state.renewal(key, nonce: "nonce-one", now: at(79)) == .refresh(ttlSeconds: 30, description: "deploy"))
        #expect(state.renewal(key, nonce: "nonce-one", now: at(80)) == .stop)
    }

    @Test("a closing connection hands back its held leases for release, and only its own")
    func holderLeaves() {
        var state = book(holding: record())
        var other = record(connection: 2, nonce: "nonce-two")
        other.machine = "m2"
        _ = state.take(other, now: at(0))
        let released = state.connectionClosed(1)
        #expect(released.map(\.nonce) == ["nonce-one"])
        #expect(released.first?.phase == .releasing && released.first?.holder.connectionID == nil)
        #expect(state.leases[key]?.phase == .releasing)
        #expect(state.leases[LeaseKey(app: "demo", machine: "m2")]?.phase == .held)
        let closedAgain = state.connectionClosed(1)
        #expect(closedAgain.isEmpty)
        // Until the release is through, others still need the nonce.
        if case .refuse = state.decide(key, connectionID: 2, nonce: "", now: at(10)) {} else { Issue.record("a releasing lease passed") }
        let gone = state.released(key, nonce: "nonce-one")
        #expect(gone)
        #expect(state.leases[key] == nil)
    }

    @Test("a lease taken for a connection that already closed is released at once")
    func takenAfterClose() {
        var state = LeaseBookState()
        state.connectionOpened(1)
        _ = state.connectionClosed(1)
        guard case .release(let record) = state.take(record(), now: at(0)) else {
            Issue.record("the lease of a gone holder was booked")
            return
        }
        #expect(record.phase == .releasing && record.holder.connectionID == nil)
    }

    @Test("renewal goes on while the holder is connected and stops when it leaves, or the lease goes")
    func renewal() {
        var state = book(holding: record(renew: true))
        #expect(state.renewal(key, nonce: "nonce-one", now: at(10)) == .refresh(ttlSeconds: 30, description: "deploy"))
        #expect(state.renewal(key, nonce: "other", now: at(10)) == .stop)
        #expect(state.renewal(key, nonce: "nonce-one", now: at(1_000)) == .stop)
        _ = state.connectionClosed(1)
        #expect(state.renewal(key, nonce: "nonce-one", now: at(10)) == .stop)

        var plain = book(holding: record(renew: false))
        #expect(plain.renewal(key, nonce: "nonce-one", now: at(10)) == .stop)
        let releasedPlain = plain.released(key, nonce: "nonce-one")
        #expect(releasedPlain)
    }

    @Test("refresh results move the expiry and report failures until the next success")
    func refreshes() {
        var state = book(holding: record(renew: true))
        let failureNoted = state.refreshFailed(key, nonce: "nonce-one", message: "UNAVAILABLE")
        #expect(failureNoted)
        #expect(state.leases[key]?.lastError == "UNAVAILABLE")
        let moved = state.refreshed(key, nonce: "nonce-one", expiresAt: 2_000, now: at(0))
        #expect(moved)
        #expect(state.leases[key]?.expiresAt == 2_000 && state.leases[key]?.lastError == nil)
        let staleRefresh = state.refreshed(key, nonce: "stale", expiresAt: 3_000, now: at(0))
        #expect(!staleRefresh)
        let staleRelease = state.released(key, nonce: "stale")
        #expect(!staleRelease)
    }

    @Test("shutdown releases everything not already on its way out; a failed release is retried")
    func shutdown() {
        var state = book(holding: record())
        var failed = record(connection: 2, nonce: "nonce-two")
        failed.machine = "m2"
        _ = state.take(failed, now: at(0))
        let failureNoted = state.releaseFailed(failed.key, nonce: "nonce-two", message: "UNAVAILABLE")
        #expect(failureNoted)
        var leaving = record(connection: 3, nonce: "nonce-three")
        leaving.machine = "m3"
        state.connectionOpened(3)
        _ = state.take(leaving, now: at(0))
        _ = state.connectionClosed(3)
        let released = state.releaseAll()
        #expect(Set(released.map(\.nonce)) == ["nonce-one", "nonce-two"])
        let secondRound = state.releaseAll()
        #expect(secondRound.isEmpty)
    }

    @Test("a restart books what the last run left as releasing, and drops what lapsed")
    func restore() {
        var state = LeaseBookState()
        var lapsed = record(nonce: "nonce-old", expiresAt: 50)
        lapsed.machine = "m0"
        let released = state.restore([record(expiresAt: 500), lapsed], now: at(100))
        #expect(released.map(\.nonce) == ["nonce-one"])
        #expect(state.leases.count == 1 && state.leases[key]?.holder.connectionID == nil)
        #expect(state.renewal(key, nonce: "nonce-one", now: at(100)) == .stop)
        // Its persisted wall-clock expiry (500) became a lapse 400 s after the restore on this
        // run's monotonic clock; later wall-clock readings do not move it.
        #expect(!state.isLapsed(key, at: at(499, wallStep: 3_600)))
        #expect(state.isLapsed(key, at: at(500, wallStep: -3_600)))
    }

    @Test("the nonce prefix is short and never the nonce")
    func noncePrefix() {
        #expect(record(nonce: "5c35f65c9f95").noncePrefix == "5c35")
        #expect(record(nonce: "ab").noncePrefix == "ab")
        #expect(record(nonce: "5c35f65c9f95").gatewayEntry.noncePrefix == "5c35")
    }

    @Test("only the holding connection holds the booked nonce; another nonce, another connection or a lapsed lease does not")
    func holds() {
        let state = book(holding: record())
        #expect(state.holds(key, nonce: "nonce-one", connectionID: 1, now: at(10)))
        #expect(!state.holds(key, nonce: "nonce-one", connectionID: 2, now: at(10)))
        #expect(!state.holds(key, nonce: "nonce-two", connectionID: 1, now: at(10)))
        #expect(!state.holds(LeaseKey(app: "demo", machine: "m2"), nonce: "nonce-one", connectionID: 1, now: at(10)))
        #expect(!state.holds(key, nonce: "nonce-one", connectionID: 1, now: at(1_000)))
    }
}
