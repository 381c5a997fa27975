import FlyGateServer
import Synchronization
import Testing

/// ``FlyGateServer/sleep(until:on:)`` and ``FlyGateServer/race(_:expired:operation:whenFirst:)``,
/// the deadline race of every call. (That a cancelled sleep keeps nothing is checked against
/// the daemon's heap in WatchEndToEndTests.)
@Suite(.timeLimit(.minutes(1)))
struct DeadlineSleepTests {
    @Test("it returns at its deadline, not before; a deadline already passed returns at once")
    func sleepsUntilTheDeadline() async throws {
        let start = ContinuousClock.now
        try await sleep(until: start + .milliseconds(50))
        #expect(ContinuousClock.now - start >= .milliseconds(50))
        try await sleep(until: start - .seconds(1))
    }

    @Test("cancelled, it throws CancellationError at once, however far its deadline")
    func cancellationEndsIt() async throws {
        let start = ContinuousClock.now
        let sleeper = Task { try await sleep(until: .now + .seconds(3600)) }
        try await Task.sleep(for: .milliseconds(20))
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(ContinuousClock.now - start < .seconds(30))
    }

    @Test("a task cancelled before it sleeps does not sleep")
    func alreadyCancelled() async throws {
        let sleeper = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            try await sleep(until: .now + .seconds(3600))
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
    }

    /// An operation that waits until it is cancelled, then says so after `lingering`, as a
    /// handler slow to notice would.
    static func untilCancelled(lingering: Duration, ended: Flag) async -> String {
        while !Task.isCancelled { try? await Task.sleep(for: .milliseconds(5)) }
        // Not this task's sleep, which its cancellation would cut short.
        await Task.detached { try? await Task.sleep(for: lingering) }.value
        ended.set()
        return "cancelled"
    }

    final class Flag: Sendable {
        private let value = Mutex(false)
        func set() { value.withLock { $0 = true } }
        var isSet: Bool { value.withLock { $0 } }
    }

    @Test("race: the operation's value when it comes first, and nothing after")
    func operationFirst() async {
        let seen = Seen()
        await race(.now + .seconds(3600), expired: { "expired" }, operation: { "answer" }, whenFirst: { seen.append($0) })
        #expect(seen.values == ["answer"])
    }

    @Test("race: at the deadline the expired value goes out before a slow operation ends; race waits for it")
    func deadlineFirst() async {
        let ended = Flag()
        let seen = Seen()
        await Task {
            await race(
                .now + .milliseconds(30), expired: { "expired" },
                operation: { await Self.untilCancelled(lingering: .milliseconds(100), ended: ended) },
                whenFirst: { seen.append($0 + (ended.isSet ? " after the operation ended" : "")) })
        }.value
        #expect(seen.values == ["expired"])
        #expect(ended.isSet)
    }

    @Test("race: the operation runs in the calling task, which the deadline cancels")
    func operationRunsInTheCallingTask() async {
        let caller = Task {
            let seen = Seen()
            let outer = withUnsafeCurrentTask { $0 }
            var inner: UnsafeCurrentTask?
            await race(
                .now + .milliseconds(20), expired: { "expired" },
                operation: {
                    inner = withUnsafeCurrentTask { $0 }
                    return await Self.untilCancelled(lingering: .zero, ended: Flag())
                }, whenFirst: { seen.append($0) })
            return (outer == inner, Task.isCancelled, seen.values)
        }
        let (sameTask, cancelled, values) = await caller.value
        #expect(sameTask)
        #expect(cancelled, "the deadline cancels the task that raced it")
        #expect(values == ["expired"])
    }

    @Test("race: a deadline already passed answers expired; cancelling the caller cancels the operation")
    func passedAndCancelled() async throws {
        let ended = Flag()
        let seen = Seen()
        // In a task of its own: the deadline cancels the task that races it.
        await Task {
            await race(
                .now - .seconds(1), expired: { "expired" },
                operation: { await Self.untilCancelled(lingering: .zero, ended: ended) }, whenFirst: { seen.append($0) })
        }.value
        #expect(seen.values == ["expired"] && ended.isSet)

        let cancelledEnded = Flag()
        let caller = Task {
            let first = Seen()
            await race(
                .now + .seconds(3600), expired: { "expired" },
                operation: { await Self.untilCancelled(lingering: .zero, ended: cancelledEnded) }, whenFirst: { first.append($0) })
            return first.values
        }
        try await Task.sleep(for: .milliseconds(20))
        caller.cancel()
        #expect(await caller.value == ["cancelled"] && cancelledEnded.isSet)
    }

    /// What `whenFirst` was given, in order.
    final class Seen: Sendable {
        private let seen = Mutex<[String]>([])
        func append(_ value: String) { seen.withLock { $0.append(value) } }
        var values: [String] { seen.withLock { $0 } }
    }
}
