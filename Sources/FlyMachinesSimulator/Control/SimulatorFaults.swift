/// Faults the simulator injects, set at start (`Configuration.faults`) or at run time (`faults`).
package struct SimulatorFaults: Sendable, Equatable {
    /// Added to every answer.
    package var latency: Duration
    /// A random extra delay of up to this much.
    package var latencyJitter: Duration
    /// The fraction (0…1) of requests answered with `errorStatus` instead of being served.
    package var errorRate: Double
    /// The status of injected errors, e.g. 503.
    package var errorStatus: Int
    /// The next this many requests are answered 429 (counts down).
    package var rateLimitBurst: Int
    /// `retry-after` seconds on injected 429s; none when nil.
    package var retryAfterSeconds: Int?
    /// The next this many requests are served, but the connection drops halfway through the answer.
    package var dropResponses: Int
    /// The fraction (0…1) of requests whose answer is cut off like `dropResponses`.
    package var dropRate: Double
    /// Operations that never answer (until the client gives up or the simulator shuts down).
    package var hangingOperations: Set<SimulatorOperation>
    /// Limits the error, 429 and drop faults to these operations; nil means every operation.
    package var onlyOperations: Set<SimulatorOperation>?
    /// Caps every wait's timeout (so a test sees the 408 of a "60 s" wait sooner); nil for none.
    package var waitTimeoutCap: Duration? = nil
    /// Operations whose requests are counted and have their faults decided on arrival, then
    /// wait until they are taken out of this set (at most five minutes): a test holds a call
    /// upstream for exactly as long as it needs, however slow the machine.
    package var heldOperations: Set<SimulatorOperation> = []

    /// Every field.
    package init(
        latency: Duration, latencyJitter: Duration, errorRate: Double, errorStatus: Int, rateLimitBurst: Int,
        retryAfterSeconds: Int?, dropResponses: Int, dropRate: Double, hangingOperations: Set<SimulatorOperation>,
        onlyOperations: Set<SimulatorOperation>?
    ) {
        self.latency = latency
        self.latencyJitter = latencyJitter
        self.errorRate = errorRate
        self.errorStatus = errorStatus
        self.rateLimitBurst = rateLimitBurst
        self.retryAfterSeconds = retryAfterSeconds
        self.dropResponses = dropResponses
        self.dropRate = dropRate
        self.hangingOperations = hangingOperations
        self.onlyOperations = onlyOperations
    }

    /// No faults: the default.
    package static var none: SimulatorFaults {
        SimulatorFaults(
            latency: .zero, latencyJitter: .zero, errorRate: 0, errorStatus: 503, rateLimitBurst: 0,
            retryAfterSeconds: nil, dropResponses: 0, dropRate: 0, hangingOperations: [], onlyOperations: nil)
    }

    /// Whether the error, 429 and drop faults apply to `operation`.
    package func applies(to operation: SimulatorOperation) -> Bool {
        onlyOperations?.contains(operation) ?? true
    }
}
