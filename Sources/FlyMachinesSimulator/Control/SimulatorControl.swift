import Synchronization

/// The simulator's run-time switches and books: faults, rate limits, request counters and the
/// recorded exchanges, behind one lock.
package final class SimulatorControl: Sendable {
    /// What the fault switches decided for one request.
    package struct Decision: Sendable {
        /// Delay before answering.
        package var delay: Duration = .zero
        /// Never answer.
        package var hang = false
        /// Answer this instead of serving the request.
        package var injected: SimulatorError?
        /// Serve, then cut the answer off.
        package var drop = false
    }

    private struct State: Sendable {
        var faults: SimulatorFaults
        var limiter = RateLimiter()
        var counts: [SimulatorOperation: Int] = [:]
        var exchanges: [SimulatorExchange] = []
    }

    private let state: Mutex<State>

    /// Controls starting with `faults`.
    package init(faults: SimulatorFaults) {
        state = Mutex(State(faults: faults))
    }

    /// The current faults.
    package var faults: SimulatorFaults {
        get { state.withLock { $0.faults } }
        set { state.withLock { $0.faults = newValue } }
    }

    /// Counts the request and rolls the fault dice for it.
    package func arrive(_ operation: SimulatorOperation) -> Decision {
        state.withLock { state in
            state.counts[operation, default: 0] += 1
            var decision = Decision()
            let faults = state.faults
            decision.delay = faults.latency
            if faults.latencyJitter > .zero {
                let jitterMillis = faults.latencyJitter.components.seconds * 1000
                    + faults.latencyJitter.components.attoseconds / 1_000_000_000_000_000
                decision.delay += .milliseconds(Int64.random(in: 0...max(0, jitterMillis)))
            }
            if faults.hangingOperations.contains(operation) {
                decision.hang = true
                return decision
            }
            guard faults.applies(to: operation) else { return decision }
            if faults.rateLimitBurst > 0 {
                state.faults.rateLimitBurst -= 1
                var error = SimulatorError.fly(429, "rate limit exceeded, please retry later")
                if let seconds = faults.retryAfterSeconds { error.headers = [("retry-after", String(seconds))] }
                decision.injected = error
                return decision
            }
            if faults.errorRate > 0, Double.random(in: 0..<1) < faults.errorRate {
                decision.injected = .fly(faults.errorStatus, "unavailable: injected fault (HTTP \(faults.errorStatus))")
                return decision
            }
            if faults.dropResponses > 0 {
                state.faults.dropResponses -= 1
                decision.drop = true
            } else if faults.dropRate > 0, Double.random(in: 0..<1) < faults.dropRate {
                decision.drop = true
            }
            return decision
        }
    }

    /// Waits while `operation` is held (``SimulatorFaults/heldOperations``), at most five
    /// minutes, and no longer once the task is cancelled.
    package func waitWhileHeld(_ operation: SimulatorOperation) async {
        let deadline = ContinuousClock.now + .seconds(300)
        while state.withLock({ $0.faults.heldOperations.contains(operation) }), !Task.isCancelled, .now < deadline {
            try? await Task.sleep(for: .milliseconds(5))
        }
    }

    /// Applies Fly's rate limits; nil when admitted, else the 429 to send.
    package func admit(_ operation: SimulatorOperation, scope: String) -> SimulatorError? {
        let (admitted, retryAfter) = state.withLock {
            $0.limiter.admit(operation, scope: scope, nowMillis: WallClock.now().milliseconds)
        }
        if admitted { return nil }
        var error = SimulatorError.fly(429, "rate limit exceeded, please retry later")
        error.headers = [("retry-after", String(retryAfter))]
        return error
    }

    /// How many requests reached `operation` since the last reset.
    package func count(for operation: SimulatorOperation) -> Int {
        state.withLock { $0.counts[operation] ?? 0 }
    }

    /// Every non-zero counter.
    package var counts: [SimulatorOperation: Int] { state.withLock { $0.counts } }

    /// Zeroes the counters.
    package func resetCounts() {
        state.withLock { $0.counts.removeAll() }
    }

    /// Keeps an exchange.
    package func record(_ exchange: SimulatorExchange) {
        state.withLock { $0.exchanges.append(exchange) }
    }

    /// The exchanges recorded so far.
    package var exchanges: [SimulatorExchange] { state.withLock { $0.exchanges } }

    /// Forgets the recorded exchanges.
    package func clearExchanges() {
        state.withLock { $0.exchanges.removeAll() }
    }
}
