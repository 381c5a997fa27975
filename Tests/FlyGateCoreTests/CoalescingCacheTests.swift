import FlyGateClient
import FlyGateServer
import FlyGateWire
import FlyMachinesProto
import SwiftProtobuf
import Testing

@testable import FlyGateCore

/// The read cache and keys as pure values, and staleness and invalidation through the daemon.
@Suite struct CoalescingCacheTests {
    static func answer(_ machine: String, at instant: ContinuousClock.Instant = .now) -> ReadCache.Answer {
        var response = Flygate_Machines_V1_ShowResponse()
        response.body.id = machine
        return ReadCache.Answer(response: response, takenAt: instant)
    }

    @Test func manyKeysNeverGrowTheCachePastItsEntryBound() throws {
        var cache = ReadCache(maxEntries: 100, maxBytes: 1 << 30)
        for index in 0..<5_000 {
            cache.store(Self.answer("m\(index)"), for: try ReadKey(showRequest("m\(index)")), answerBytes: 100)
            #expect(cache.count <= 100)
        }
        #expect(cache.count == 100)
        // The newest 100 are kept, the oldest dropped.
        #expect(cache.answer(for: try ReadKey(showRequest("m4999")), maxAge: .seconds(60), now: .now) != nil)
        #expect(cache.answer(for: try ReadKey(showRequest("m4899")), maxAge: .seconds(60), now: .now) == nil)
    }

    @Test func manyKeysNeverGrowTheCachePastItsByteBound() throws {
        let maxBytes = 64 * 1024
        var cache = ReadCache(maxEntries: 1_000_000, maxBytes: maxBytes)
        for index in 0..<5_000 {
            cache.store(Self.answer("m\(index)"), for: try ReadKey(showRequest("m\(index)")), answerBytes: 1_000)
            #expect(cache.bytes <= maxBytes)
        }
        #expect(cache.count > 0 && cache.count < 64)
        // An answer larger than the whole cache is not kept (and evicts nothing).
        let before = cache.count
        cache.store(Self.answer("huge"), for: try ReadKey(showRequest("huge")), answerBytes: maxBytes)
        #expect(cache.count == before)
    }

    @Test func leastRecentlyUsedGoesFirst() throws {
        var cache = ReadCache(maxEntries: 2, maxBytes: 1 << 20)
        let (a, b, c) = (try ReadKey(showRequest("a")), try ReadKey(showRequest("b")), try ReadKey(showRequest("c")))
        cache.store(Self.answer("a"), for: a, answerBytes: 10)
        cache.store(Self.answer("b"), for: b, answerBytes: 10)
        _ = cache.answer(for: a, maxAge: .seconds(1), now: .now)  // a is now the most recent
        cache.store(Self.answer("c"), for: c, answerBytes: 10)
        #expect(cache.answer(for: a, maxAge: .seconds(1), now: .now) != nil)
        #expect(cache.answer(for: b, maxAge: .seconds(1), now: .now) == nil)
        cache.removeAll(in: .machine(app: "demo", id: "a"))
        #expect(cache.count == 1 && cache.answer(for: a, maxAge: .seconds(1), now: .now) == nil)
    }

    @Test("a newer answer for a key kept replaces it: one entry, its size, the most recent, still in its scope")
    func aNewerAnswerReplacesTheKeptOne() throws {
        var cache = ReadCache(maxEntries: 2, maxBytes: 1 << 20)
        let (a, b, c) = (try ReadKey(showRequest("a")), try ReadKey(showRequest("b")), try ReadKey(showRequest("c")))
        let taken = ContinuousClock.now
        cache.store(Self.answer("a", at: taken - .seconds(5)), for: a, answerBytes: 10)
        cache.store(Self.answer("b"), for: b, answerBytes: 10)
        let before = cache.bytes
        cache.store(Self.answer("a", at: taken), for: a, answerBytes: 30)  // a is now the most recent
        #expect(cache.count == 2 && cache.bytes == before + 20)
        #expect(cache.answer(for: a, maxAge: .seconds(1), now: taken)?.takenAt == taken)
        cache.store(Self.answer("c"), for: c, answerBytes: 10)
        #expect(cache.answer(for: b, maxAge: .seconds(60), now: .now) == nil, "b was the least recently used")
        cache.removeAll(in: .machine(app: "demo", id: "a"))
        #expect(cache.count == 1 && cache.answer(for: a, maxAge: .seconds(60), now: .now) == nil)
        // One too large for the cache now drops the one kept.
        cache.store(Self.answer("c"), for: c, answerBytes: 2 << 20)
        #expect(cache.count == 0 && cache.bytes == 0)
    }

    @Test func answersOlderThanTheAllowedStalenessAreNotServed() throws {
        var cache = ReadCache(maxEntries: 10, maxBytes: 1 << 20)
        let key = try ReadKey(showRequest("a"))
        let taken = ContinuousClock.now
        cache.store(Self.answer("a", at: taken), for: key, answerBytes: 10)
        #expect(cache.answer(for: key, maxAge: .milliseconds(100), now: taken + .milliseconds(99)) != nil)
        #expect(cache.answer(for: key, maxAge: .milliseconds(100), now: taken + .milliseconds(101)) == nil)
    }

    @Test func keysIgnoreFieldOrderOnTheWire() throws {
        // machine_id (2) before app_name (1): not what the encoder writes, but the same request.
        let reordered: [UInt8] = [0x12, 0x01, 0x6D, 0x0A, 0x04] + Array("demo".utf8)
        let decoded = try Flygate_Machines_V1_ShowRequest(serializedBytes: reordered)
        let encoded: [UInt8] = try showRequest("m").serializedBytes()
        #expect(encoded != reordered)
        #expect(try ReadKey(decoded) == ReadKey(showRequest("m")))
        #expect(try ReadKey(showRequest("m")) != ReadKey(showRequest("n")))
    }

    @Test func keysIgnoreMapOrder() throws {
        // Concatenated messages merge, so these two payloads carry the same map in two orders.
        func create(_ metadata: [String: String]) throws -> [UInt8] {
            var request = Flygate_Machines_V1_CreateRequest()
            request.appName = "demo"
            request.body.config.metadata = metadata
            return try request.serializedBytes()
        }
        let entries = (0..<16).map { ("key\($0)", "value\($0)") }
        let forward = try entries.map { try create([$0.0: $0.1]) }.reduce([], +)
        let backward = try entries.reversed().map { try create([$0.0: $0.1]) }.reduce([], +)
        #expect(forward != backward)
        let first = try Flygate_Machines_V1_CreateRequest(serializedBytes: forward)
        let second = try Flygate_Machines_V1_CreateRequest(serializedBytes: backward)
        #expect(try ReadKey(first) == ReadKey(second))
    }

    @Test func aReadThatOverlapsAMutationIsNotCached() throws {
        var state = CoalescerState<Int>(maxCacheEntries: 10, maxCacheBytes: 1 << 20)
        let key = try ReadKey(showRequest("a"))
        let flight = try #require(Self.startFlight(&state, key))
        state.invalidate(ReadScope.invalidated(by: Self.start("a")))
        // A new caller does not join the flight that started before the mutation.
        let newer = try #require(Self.startFlight(&state, key))
        #expect(newer != flight)
        let outcome = FlightOutcome(result: .success(Self.answer("a").response), upstream: nil, deadline: .now)
        _ = state.complete(flightID: flight, outcome: outcome, answerBytes: 10)
        #expect(state.cache.count == 0)
        // Finishing the old flight left the newer one in place; its answer is cached.
        _ = state.complete(flightID: newer, outcome: outcome, answerBytes: 10)
        #expect(state.cache.count == 1)
        state.invalidate(ReadScope.invalidated(by: Self.start("a")))
        #expect(state.cache.count == 0)
    }

    @Test("a change to an app's volumes, secrets, certificates or IPs drops every cached answer of that app, machines' included")
    func appWideMutationsDropTheWholeApp() throws {
        var state = CoalescerState<Int>(maxCacheEntries: 10, maxCacheBytes: 1 << 20)
        let outcome = FlightOutcome(result: .success(Self.answer("a").response), upstream: nil, deadline: .now)
        var volumes = Flygate_Volumes_V1_ListVolumesRequest()
        volumes.appName = "demo"
        var otherApp = showRequest("b")
        otherApp.appName = "other"
        let keys = [try ReadKey(showRequest("a")), try ReadKey(volumes), try ReadKey(otherApp)]
        #expect(keys.map(\.scope) == [.machine(app: "demo", id: "a"), .app("demo"), .machine(app: "other", id: "b")])
        for key in keys {
            let flight = try #require(Self.startFlight(&state, key))
            _ = state.complete(flightID: flight, outcome: outcome, answerBytes: 10)
        }
        #expect(state.cache.count == 3)

        // A machine's mutation leaves the app's other answers; a volume's drops them all.
        state.invalidate(ReadScope.invalidated(by: Self.start("z")))
        #expect(state.cache.count == 2)
        var extend = Flygate_Volumes_V1_ExtendVolumeRequest()
        (extend.appName, extend.volumeID) = ("demo", "vol_1")
        #expect(ReadScope.invalidated(by: extend) == [.wholeApp("demo"), .organizations])
        state.invalidate(ReadScope.invalidated(by: extend))
        #expect(state.cache.count == 1, "only the other app's answer is left")

        // A read in flight while the app changed is not cached when it lands.
        let flight = try #require(Self.startFlight(&state, keys[0]))
        state.invalidate(ReadScope.invalidated(by: extend))
        _ = state.complete(flightID: flight, outcome: outcome, answerBytes: 10)
        #expect(state.cache.count == 1)
        // Reads that name no app are the org-wide and platform ones.
        #expect(ReadScope.of(Flygate_Platform_V1_ListRegionsRequest()) == .organizations)
        #expect(ReadScope.of(Flygate_Apps_V1_ListAppsRequest()) == .organizations)
    }

    @Test func theLastWaiterLeavingCancelsTheSharedCall() throws {
        var state = CoalescerState<Int>(maxCacheEntries: 10, maxCacheBytes: 1 << 20)
        let key = try ReadKey(showRequest("a"))
        guard case .start(let flight, _) = state.join(key, waiterID: 1, continuation: 1, isCancelled: false, now: .now) else {
            Issue.record("the first caller starts the flight")
            return
        }
        guard case .wait = state.join(key, waiterID: 2, continuation: 2, isCancelled: false, now: .now) else {
            Issue.record("the second caller joins")
            return
        }
        guard case .resume(3, .left) = state.join(key, waiterID: 3, continuation: 3, isCancelled: true, now: .now) else {
            Issue.record("a cancelled caller is resumed at once")
            return
        }
        let first = state.leave(waiterID: 1)
        #expect(first.waiter == 1 && first.cancel == nil)
        #expect(state.leave(waiterID: 1).waiter == nil)  // leaving twice is harmless
        let last = state.leave(waiterID: 2)
        #expect(last.waiter == 2 && last.cancel != nil)
        #expect(state.flightCount == 0)
        // The cancelled call ending later resumes nobody and caches nothing.
        let outcome = FlightOutcome(result: .success(Self.answer("a").response), upstream: nil, deadline: .now)
        #expect(state.complete(flightID: flight, outcome: outcome, answerBytes: 10).isEmpty)
        #expect(state.cache.count == 0)
    }

    @Test func joinersAreToldTheyJoined() throws {
        var state = CoalescerState<Int>(maxCacheEntries: 10, maxCacheBytes: 1 << 20)
        let key = try ReadKey(showRequest("a"))
        guard case .start(let flight, _) = state.join(key, waiterID: 1, continuation: 1, isCancelled: false, now: .now) else {
            Issue.record("the first caller starts the flight")
            return
        }
        _ = state.join(key, waiterID: 2, continuation: 2, isCancelled: false, now: .now)
        let outcome = FlightOutcome(result: .failure(RPCError(code: .unavailable, message: "503")), upstream: nil, deadline: .now)
        let wakeups = state.complete(flightID: flight, outcome: outcome, answerBytes: nil)
        let joined = Dictionary(uniqueKeysWithValues: wakeups.map { waiter, wakeup -> (Int, Bool) in
            if case .finished(_, let joined) = wakeup { return (waiter, joined) }
            return (waiter, false)
        })
        #expect(joined == [1: false, 2: true])
        #expect(state.cache.count == 0)  // failures are never cached
    }

    @Test(arguments: [
        (RPCStatusCode.unavailable, true, true), (.unavailable, false, false), (.resourceExhausted, true, true),
        (.deadlineExceeded, true, true), (.notFound, true, false), (.invalidArgument, true, false),
        (.failedPrecondition, true, false),
    ])
    func whoStartsOver(_ code: RPCStatusCode, _ joined: Bool, _ startsOver: Bool) {
        let flightDeadline = ContinuousClock.now + .seconds(60)
        #expect(
            CoalescingStage.startsOver(
                after: RPCError(code: code, message: "x"), joined: joined, flightDeadline: flightDeadline,
                deadline: .now + .seconds(10)) == startsOver)
    }

    @Test func aLeaderStartsOverOnlyWhenTheSharedCallsCapCutItShort() {
        let error = RPCError(code: .deadlineExceeded, message: "x")
        let now = ContinuousClock.now
        let capped = now - .milliseconds(1)  // the shared call ran into its own deadline
        #expect(CoalescingStage.startsOver(after: error, joined: false, flightDeadline: capped, deadline: nil, now: now))
        #expect(CoalescingStage.startsOver(after: error, joined: false, flightDeadline: capped, deadline: now + .seconds(5), now: now))
        // Fly's own 408 (a Wait's timeout) before the cap is the leader's answer.
        let uncapped = now + .seconds(100)
        #expect(!CoalescingStage.startsOver(after: error, joined: false, flightDeadline: uncapped, deadline: nil, now: now))
        // No time left to wait for a new call.
        #expect(!CoalescingStage.startsOver(after: error, joined: true, flightDeadline: capped, deadline: now + .milliseconds(5), now: now))
    }

    @Test func aWaitJoinedLateEndsWithItsOwnTimeout() {
        var wait = Flygate_Machines_V1_WaitRequest()
        wait.timeout = 10
        let context = CallContext(
            service: "s", method: "Wait", peer: PeerCredentials(uid: 0, gid: 0, pid: 0), connectionID: 1, streamID: 1,
            deadline: .now + .seconds(60), metadata: [])
        // The window is counted from when it is computed: between `before` and `after`, whatever
        // a busy machine does to the time in between.
        var before = ContinuousClock.now
        let own = CoalescingStage.ownDeadline(wait, context)
        var after = ContinuousClock.now
        #expect(own.map { $0 >= before + .seconds(10) && $0 <= after + .seconds(10) } == true)
        // Fly's shortest wait is a second.
        wait.timeout = 0
        before = ContinuousClock.now
        let shortest = CoalescingStage.ownDeadline(wait, context)
        after = ContinuousClock.now
        #expect(shortest.map { $0 >= before + .seconds(1) && $0 <= after + .seconds(1) } == true)
        wait.clearTimeout()
        #expect(CoalescingStage.ownDeadline(wait, context) == context.deadline)
        #expect(CoalescingStage.ownDeadline(showRequest("a"), context) == context.deadline)
    }

    static func start(_ machine: String) -> Flygate_Machines_V1_StartRequest {
        var request = Flygate_Machines_V1_StartRequest()
        request.appName = "demo"
        request.machineID = machine
        return request
    }

    /// Starts a flight for `key` with a new waiter; nil when the waiter joined one instead.
    static func startFlight(_ state: inout CoalescerState<Int>, _ key: ReadKey) -> UInt64? {
        let waiter = UInt64(state.waiterCount + 1) << 32 | UInt64(state.flightCount)
        guard case .start(let id, _) = state.join(key, waiterID: waiter, continuation: 0, isCancelled: false, now: .now)
        else { return nil }
        return id
    }
}
