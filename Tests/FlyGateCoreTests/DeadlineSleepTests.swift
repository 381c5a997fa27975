import FlyGateServer
import Testing

/// ``FlyGateServer/sleep(until:on:)``: the deadline race of every call. (That a cancelled
/// sleep keeps nothing is checked against the daemon's heap in WatchEndToEndTests.)
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
}
