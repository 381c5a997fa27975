import FlyMachinesAPI
import FlyMachinesProto
import Metrics

/// Counts every upstream HTTP attempt in the gateway's statistics and in metrics.
package struct StatisticsUpstreamObserver: UpstreamObserver {
    let statistics: CallStatistics

    package init(statistics: CallStatistics) {
        self.statistics = statistics
    }

    package func attemptFinished(_ attempt: UpstreamAttempt) {
        let method = attempt.rpc.rawValue
        statistics.recordUpstreamAttempt(attempt.rpc.serviceName + "/" + method, retry: attempt.number > 1)
        let outcome: String =
            switch attempt.outcome {
            case .status(let status): String(status)
            case .transportFailure: "transport_error"
            case .cancelled: "cancelled"
            }
        Counter(label: "flygate_upstream_requests_total", dimensions: [("method", method), ("outcome", outcome)]).increment()
        if attempt.number > 1 {
            Counter(label: "flygate_upstream_retries_total", dimensions: [("method", method)]).increment()
        }
        Timer(label: "flygate_upstream_request_duration_seconds", dimensions: [("method", method)]).record(duration: attempt.duration)
    }
}
