import FlyMachinesAPI
import FlyMachinesProto
import Metrics

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

    /// The metric handles of each rpc, made on its first attempt and kept (``KeptHandles``).
    private final class Handles: Sendable {
        final class RPC: Sendable {
            let qualifiedName: String
            let retries: Counter
            let duration: Timer
            /// `flygate_upstream_requests_total` by outcome: the HTTP status, or how it failed.
            let requests: KeptHandles<String, Counter>

            init(_ rpc: MachinesRPC) {
                let method = rpc.rawValue
                self.qualifiedName = rpc.serviceName + "/" + method
                self.retries = Counter(label: "flygate_upstream_retries_total", dimensions: [("method", method)])
                self.duration = Timer(label: "flygate_upstream_request_duration_seconds", dimensions: [("method", method)])
                self.requests = KeptHandles { outcome in
                    Counter(label: "flygate_upstream_requests_total", dimensions: [("method", method), ("outcome", outcome)])
                }
            }

            func requests(_ outcome: UpstreamAttempt.Outcome) -> Counter {
                switch outcome {
                case .status(let status): requests[String(status)]
                case .transportFailure: requests["transport_error"]
                case .cancelled: requests["cancelled"]
                }
            }
        }

        private let rpcs = KeptHandles(RPC.init)

        func rpc(_ rpc: MachinesRPC) -> RPC { rpcs[rpc] }
    }
}
