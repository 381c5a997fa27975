import FlyGateWire
import FlyMachinesProto
import Logging
import Metrics
import Synchronization

/// The outermost stage: counts every Machines call by method and status, times it, and
/// reports it to swift-metrics (exported for Prometheus by the executable).
///
/// The metric handles are made once per method (and per method and status) and kept: making a
/// handle asks the metrics factory, which takes a lock and hashes the label and dimensions.
package struct ObservingStage: MachinesStage {
    private let statistics: CallStatistics
    private let logger: Logger
    private let metrics: Handles

    package init(statistics: CallStatistics, logger: Logger) {
        self.statistics = statistics
        self.logger = logger
        self.metrics = Handles()
    }

    package func handle<Request: MachinesRPCRequest>(
        _ request: Request,
        context: CallContext,
        next: MachinesNext<Request>
    ) async throws -> Request.Response {
        let start = ContinuousClock.now
        let rpc = Request.rpc
        let method = metrics.method(rpc)
        let code: RPCStatusCode
        defer {
            let elapsed = ContinuousClock.now - start
            statistics.recordCall(method.qualifiedName, code: code, annotations: context.annotations.values)
            metrics.calls(rpc, code).increment()
            method.duration.record(duration: elapsed)
            method.inFlight.decrement()
            logger.debug(
                "call answered",
                metadata: [
                    "flygate.rpc.method": "\(rpc.rawValue)",
                    "flygate.rpc.code": "\(code.name)",
                    "flygate.peer.uid": "\(context.peer.uid)",
                    "flygate.peer.pid": "\(context.peer.pid)",
                    "flygate.rpc.duration_ms": "\(elapsed.milliseconds)",
                ]
            )
        }
        method.inFlight.increment()
        do {
            let response = try await next(request, context)
            code = .ok
            return response
        } catch {
            code = RPCDispatcher.status(of: error).code
            throw error
        }
    }

    /// The metric handles, made on first use.
    final class Handles: Sendable {
        struct Method: Sendable {
            var qualifiedName: String
            var inFlight: Meter
            var duration: Timer
        }

        private let methods: [MachinesRPC: Method]
        private let counters = Mutex([MachinesRPC: [RPCStatusCode: Counter]]())

        init() {
            var methods: [MachinesRPC: Method] = [:]
            for rpc in MachinesRPC.allCases {
                let dimensions = [("method", rpc.rawValue)]
                methods[rpc] = Method(
                    qualifiedName: MachinesRPC.serviceName + "/" + rpc.rawValue,
                    inFlight: Meter(label: "flygate_calls_in_flight", dimensions: dimensions),
                    duration: Timer(label: "flygate_call_duration_seconds", dimensions: dimensions))
            }
            self.methods = methods
        }

        func method(_ rpc: MachinesRPC) -> Method { methods[rpc]! }

        func calls(_ rpc: MachinesRPC, _ code: RPCStatusCode) -> Counter {
            counters.withLock { counters in
                if let counter = counters[rpc]?[code] { return counter }
                let counter = Counter(label: "flygate_calls_total", dimensions: [("method", rpc.rawValue), ("code", code.name)])
                counters[rpc, default: [:]][code] = counter
                return counter
            }
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
