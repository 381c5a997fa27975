import Foundation

// The few primitives every test loop and wait is built from, so that none can spin or wait
// forever: a timeout that cancels what it bounds, one `eventually` that backs off, and a
// scoped resource that is released on every exit path.

/// A bounded wait that ran out.
package struct TimeoutError: Error, CustomStringConvertible {
    package let description: String
    package init(_ what: String, after limit: Duration) {
        description = "\(what) did not finish within \(limit)"
    }
}

/// Runs `operation`, cancelling it when `limit` passes; throws ``TimeoutError`` then.
///
/// Cancellation only stops code that suspends on something cancellable, so what this bounds
/// must be cancellation-aware (every wait in this target is); `onTimeout` runs first when the
/// limit passes, for what needs a push to give up (closing a socket whose write is stuck).
package func withTimeout<T: Sendable>(
    _ limit: Duration,
    _ what: @autoclosure () -> String = "the operation",
    onTimeout: @Sendable @escaping () -> Void = {},
    _ operation: @Sendable @escaping () async throws -> T
) async throws -> T {
    let description = what()
    return try await withThrowingTaskGroup(of: T?.self) { group in
        group.addTask { try await operation() }
        group.addTask {
            try await Task.sleep(for: limit)
            onTimeout()
            return nil
        }
        defer { group.cancelAll() }
        guard let first = try await group.next() else { throw CancellationError() }
        guard let value = first else { throw TimeoutError(description, after: limit) }
        return value
    }
}

/// Checks `condition` until it holds, `limit` passes or the task is cancelled; true when it held.
///
/// Checks back off from 2 ms to 100 ms, so a condition that stays false for long costs little;
/// a cancelled task gets `CancellationError`.
package func eventually(
    within limit: Duration = .seconds(10),
    _ condition: () async throws -> Bool
) async throws -> Bool {
    let deadline = ContinuousClock.now + limit
    var pause = Duration.milliseconds(2)
    while ContinuousClock.now < deadline {
        if try await condition() { return true }
        try await Task.sleep(for: min(pause, max(deadline - ContinuousClock.now, .zero)))
        pause = min(pause * 2, .milliseconds(100))
    }
    return try await condition()
}

/// Runs `body` at most `count` times while `limit` has not passed and the task is not
/// cancelled; `body` says whether to go on. After a round that returned `false` for
/// `succeeded`, it waits `backoff` before the next, so a body that fails at once cannot spin.
/// Returns how many rounds ran.
@discardableResult
package func repeatBounded(
    count: Int,
    within limit: Duration,
    backoff: Duration = .milliseconds(20),
    _ body: () async -> (goOn: Bool, succeeded: Bool)
) async -> Int {
    let deadline = ContinuousClock.now + limit
    var rounds = 0
    while rounds < count, ContinuousClock.now < deadline, !Task.isCancelled {
        rounds += 1
        let outcome = await body()
        guard outcome.goOn else { break }
        if !outcome.succeeded {
            do { try await Task.sleep(for: backoff) } catch { break }
        }
    }
    return rounds
}

/// Makes a resource, runs `body` with it and releases it on every exit path: a return, a
/// thrown error, and a cancelled task (a test's time limit). `release` must finish even in a
/// cancelled task (it must not depend on cancellable waits).
package func withResource<Resource, T>(
    _ make: () async throws -> Resource,
    release: (Resource) async -> Void,
    _ body: (Resource) async throws -> T
) async throws -> T {
    let resource = try await make()
    let result: T
    do {
        result = try await body(resource)
    } catch {
        await release(resource)
        throw error
    }
    await release(resource)
    return result
}

/// A bounded wait on the test's own deadline: how long is left, and whether it has passed.
package struct Deadline: Sendable {
    package let instant: ContinuousClock.Instant

    package init(_ limit: Duration) { instant = .now + limit }

    package var hasPassed: Bool { ContinuousClock.now >= instant }

    /// True while the deadline is ahead and the task is not cancelled.
    package var allowsMore: Bool { !hasPassed && !Task.isCancelled }
}
