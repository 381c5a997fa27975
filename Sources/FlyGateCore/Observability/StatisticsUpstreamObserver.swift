import FlyMachinesAPI
import FlyMachinesProto
import Metrics
import Synchronization

/// Counts every upstream HTTP attempt in the gateway's statistics and in metrics.
package struct StatisticsUpstreamObserver: UpstreamObserver {
    let statistics: CallStatistics
    private let handles = Handles()

    package init(statistics: CallStatistics) {
        self.statistics = statistics
    }

    package func attemptFinished(_ attempt: UpstreamAttempt) {
        let rpc = handles.rpc(attempt.rpc)
        let retry = attempt.number > 1
        statistics.recordUpstreamAttempt(rpc.qualifiedName, retry: retry)
        rpc.requests(attempt.outcome).increment()
        if retry { rpc.retries.increment() }
        rpc.duration.record(duration: attempt.duration)
    }

    /// The metric handles of each rpc, made on its first attempt: a handle made per attempt
    /// cost a look-up in the metrics registry each (about 4,000 instructions an attempt).
    private final class Handles: Sendable {
        final class RPC: Sendable {
            let qualifiedName: String
            let retries: Counter
            let duration: Timer
            private let method: String
            private let outcomes = Mutex([String: Counter]())

            init(_ rpc: MachinesRPC) {
                self.method = rpc.rawValue
                self.qualifiedName = rpc.serviceName + "/" + rpc.rawValue
                self.retries = Counter(label: "flygate_upstream_retries_total", dimensions: [("method", rpc.rawValue)])
                self.duration = Timer(label: "flygate_upstream_request_duration_seconds", dimensions: [("method", rpc.rawValue)])
            }

            /// `flygate_upstream_requests_total` for the attempt's outcome: its HTTP status, or
            /// how it failed.
            func requests(_ outcome: UpstreamAttempt.Outcome) -> Counter {
                let name: String =
                    switch outcome {
                    case .status(let status): String(status)
                    case .transportFailure: "transport_error"
                    case .cancelled: "cancelled"
                    }
                return outcomes.withLock { outcomes in
                    if let counter = outcomes[name] { return counter }
                    let counter = Counter(
                        label: "flygate_upstream_requests_total", dimensions: [("method", method), ("outcome", name)])
                    outcomes[name] = counter
                    return counter
                }
            }
        }

        private let rpcs = Mutex([MachinesRPC: RPC]())

        func rpc(_ rpc: MachinesRPC) -> RPC {
            rpcs.withLock { rpcs in
                if let handles = rpcs[rpc] { return handles }
                let handles = RPC(rpc)
                rpcs[rpc] = handles
                return handles
            }
        }
    }
}
