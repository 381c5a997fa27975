import FlyGateWire
import Synchronization

/// Counters per method since start, for `Gateway/Stats`.
package final class CallStatistics: Sendable {
    /// The counters of one method.
    package struct MethodCounters: Sendable, Equatable {
        package var callsByCode: [RPCStatusCode: Int64] = [:]
        package var upstreamCalls: Int64 = 0
        package var upstreamRetries: Int64 = 0
        package var joinedCalls: Int64 = 0
        package var cacheHits: Int64 = 0

        /// Calls answered, whatever the status.
        package var calls: Int64 { callsByCode.values.reduce(0, +) }
    }

    private let counters = Mutex([String: MethodCounters]())

    package init() {}

    /// Counts one answered call of `method` (`service/method`).
    package func recordCall(_ method: String, code: RPCStatusCode, annotations: CallAnnotations.Values) {
        counters.withLock { all in
            all[method, default: MethodCounters()].callsByCode[code, default: 0] += 1
            if annotations.coalesced { all[method, default: MethodCounters()].joinedCalls += 1 }
            if annotations.cacheHit { all[method, default: MethodCounters()].cacheHits += 1 }
        }
    }

    /// Counts one request sent upstream for `method`; `retry` when it was not the first attempt.
    package func recordUpstreamAttempt(_ method: String, retry: Bool) {
        counters.withLock { all in
            all[method, default: MethodCounters()].upstreamCalls += 1
            if retry { all[method, default: MethodCounters()].upstreamRetries += 1 }
        }
    }

    /// A copy of every method's counters.
    package var snapshot: [String: MethodCounters] { counters.withLock { $0 } }
}
