import FlyGateWire
import FlyMachinesProto
import Logging
import Metrics

/// The outermost stage: counts every Machines call by method and status, times it, and
/// reports it to swift-metrics (exported for Prometheus by the executable).
package struct ObservingStage: MachinesStage {
    private let statistics: CallStatistics
    private let logger: Logger

    package init(statistics: CallStatistics, logger: Logger) {
        self.statistics = statistics
        self.logger = logger
    }

    package func handle<Request: MachinesRPCRequest>(
        _ request: Request,
        context: CallContext,
        next: MachinesNext<Request>
    ) async throws -> Request.Response {
        let start = ContinuousClock.now
        let method = Request.rpc.rawValue
        let inFlight = Gauge(label: "flygate_calls_in_flight", dimensions: [("method", method)])
        let code: RPCStatusCode
        defer {
            let elapsed = ContinuousClock.now - start
            statistics.recordCall(MachinesRPC.serviceName + "/" + method, code: code, annotations: context.annotations.values)
            Counter(label: "flygate_calls_total", dimensions: [("method", method), ("code", code.name)]).increment()
            Timer(label: "flygate_call_duration_seconds", dimensions: [("method", method)]).record(duration: elapsed)
            inFlight.record(0)
            logger.debug(
                "call answered",
                metadata: [
                    "flygate.rpc.method": "\(method)",
                    "flygate.rpc.code": "\(code.name)",
                    "flygate.peer.uid": "\(context.peer.uid)",
                    "flygate.peer.pid": "\(context.peer.pid)",
                    "flygate.rpc.duration_ms": "\(elapsed.milliseconds)",
                ]
            )
        }
        inFlight.record(1)
        do {
            let response = try await next(request, context)
            code = .ok
            return response
        } catch {
            code = RPCDispatcher.status(of: error).code
            throw error
        }
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    package var milliseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}
