import FlyGateCore
import FlyGateServer
import Testing

/// The lease book times lapses on the monotonic clock: a step of the wall clock neither drops
/// a held lease nor keeps a lapsed one, while what it shows and persists stays Fly's wall-clock
/// expiry.
@Suite(.timeLimit(.minutes(1))) struct LeaseBookClockTests {
    let key = LeaseKey(app: "demo", machine: "m1")

    /// A book holding a 30-second lease for connection 7 (connection 8 is another caller).
    func holding(_ clock: LeaseTestClock) -> LeaseBook {
        let book = clock.book()
        book.connectionOpened(id: 7, peer: PeerCredentials(uid: 1000, gid: 1000, pid: 99))
        book.connectionOpened(id: 8, peer: PeerCredentials(uid: 1001, gid: 1001, pid: 100))
        book.take(
            LeaseRecord(
                app: "demo", machine: "m1", nonce: "secret-1", ttlSeconds: 30, expiresAt: clock.wall + 30,
                description: "", holder: LeaseHolder(connectionID: 7, uid: 1000, pid: 99), renew: true))
        return book
    }

    func refused(_ book: LeaseBook) -> Bool {
        if case .refuse = book.decide(key, connectionID: 8, nonce: "") { return true }
        return false
    }

    @Test("a wall clock an hour ahead or behind neither drops nor extends a held lease", arguments: [3_600, -3_600] as [Int64])
    func wallClockStep(step: Int64) {
        let clock = LeaseTestClock()
        let book = holding(clock)
        let shown = book.leases.first?.expiresAt
        clock.advance(by: 10)
        clock.stepWall(by: step)
        // Still held: the guard refuses another caller, the holder's renewals go on, ListLeases lists it.
        #expect(refused(book), "a wall-clock step of \(step) s dropped the lease")
        #expect(book.renewal(key, nonce: "secret-1") == .refresh(ttlSeconds: 30, description: ""))
        #expect(book.leases.map(\.nonce) == ["secret-1"])
        // Shown as Fly said, however the wall clock moved.
        #expect(book.leases.first?.expiresAt == shown)
        // And it lapses on time: 30 s after it was taken, not an hour early or late.
        clock.advance(by: 19)
        #expect(refused(book))
        clock.advance(by: 1)
        #expect(!refused(book), "a wall-clock step of \(step) s kept a lapsed lease")
        #expect(book.renewal(key, nonce: "secret-1") == .stop)
        #expect(book.leases.isEmpty)
    }

    @Test("a refresh after a wall-clock step holds the lease for the refreshed TTL from then")
    func refreshAfterStep() {
        let clock = LeaseTestClock()
        let book = holding(clock)
        clock.advance(by: 10)
        clock.stepWall(by: -3_600)
        // Fly's answer, on the (now stepped) wall clock: 30 s from now.
        book.refreshed(key, nonce: "secret-1", expiresAt: clock.wall + 30)
        clock.advance(by: 29)
        #expect(refused(book))
        clock.advance(by: 1)
        #expect(!refused(book))
    }
}
