import FlyGateServer
import FlyGateWire
import Logging
import Metrics
import SwiftProtobuf
import Synchronization

/// The outermost interceptor: counts every call by method and status, times it, and reports it
/// to swift-metrics (exported for Prometheus by the executable) and to `Gateway/Stats`.
///
/// The metric handles are made once per method (and per method and status) and kept: making a
/// handle asks the metrics factory, which takes a lock and hashes the label and dimensions.
package struct ObservingInterceptor: RPCInlineInterceptor {
    private let statistics: CallStatistics
    private let logger: Logger
    private let metrics: Handles
    /// The handles of the one method this copy observes, once specialized.
    private var bound: Handles.Method?

    /// Observes the methods of `rules` (others get handles on first use).
    package init(rules: MethodRules, statistics: CallStatistics, logger: Logger) {
        self.statistics = statistics
        self.logger = logger
        self.metrics = Handles(rules.all)
    }

    /// A copy holding the method's handles: no lookup per call.
    package func specialized(service: String, method: String) -> (any RPCInterceptor)? {
        var copy = self
        copy.bound = self.metrics.method(service: service, method: method)
        return copy
    }

    package func intercept<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request,
        context: CallContext,
        next: RPCInterceptorNext<Request, Response>
    ) async throws -> Response {
        let observation = self.begin(context)
        do {
            let response = try await next(request, context)
            self.end(observation, context: context, code: .ok)
            return response
        } catch {
            self.end(observation, context: context, code: RPCError(converting: error).code)
            throw error
        }
    }

    package func interceptInline<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request,
        context: CallContext,
        next: (Request, CallContext) throws -> Response
    ) throws -> Response {
        let observation = self.begin(context)
        do {
            let response = try next(request, context)
            self.end(observation, context: context, code: .ok)
            return response
        } catch {
            self.end(observation, context: context, code: RPCError(converting: error).code)
            throw error
        }
    }

    /// A call being observed: its method's handles and when it started.
    private struct Observation {
        let method: Handles.Method
        let start: ContinuousClock.Instant
    }

    private func begin(_ context: CallContext) -> Observation {
        let method = self.bound ?? self.metrics.method(service: context.service, method: context.method)
        method.inFlight.increment()
        return Observation(method: method, start: .now)
    }

    private func end(_ observation: Observation, context: CallContext, code: RPCStatusCode) {
        let method = observation.method
        let elapsed = ContinuousClock.now - observation.start
        // Read without making: most Gateway calls never have annotations.
        let annotations = context.values[CallAnnotations.self]?.values ?? CallAnnotations.Values()
        self.statistics.recordCall(method.qualifiedName, code: code, annotations: annotations)
        method.calls(code).increment()
        method.duration.record(duration: elapsed)
        method.inFlight.decrement()
        if self.logger.logLevel <= .debug {
            self.logger.debug(
                "call answered",
                metadata: [
                    "flygate.rpc.method": "\(context.method)",
                    "flygate.rpc.code": "\(code.name)",
                    "flygate.peer.uid": "\(context.peer.uid)",
                    "flygate.peer.pid": "\(context.peer.pid)",
                    "flygate.rpc.duration_ms": "\(elapsed.milliseconds)",
                ]
            )
        }
    }

    /// The metric handles, by service and method.
    final class Handles: Sendable {
        /// One method's handles; its counters per status are made on first use.
        final class Method: Sendable {
            let qualifiedName: String
            let inFlight: Meter
            let duration: Timer
            private let counters: KeptHandles<RPCStatusCode, Counter>

            init(service: String, method: String) {
                let dimensions = [("method", method)]
                self.qualifiedName = service + "/" + method
                self.inFlight = Meter(label: "flygate_calls_in_flight", dimensions: dimensions)
                self.duration = Timer(label: "flygate_call_duration_seconds", dimensions: dimensions)
                self.counters = KeptHandles { code in
                    Counter(label: "flygate_calls_total", dimensions: [("method", method), ("code", code.name)])
                }
            }

            func calls(_ code: RPCStatusCode) -> Counter { counters[code] }
        }

        private let known: [String: [String: Method]]
        private let others = Mutex([String: Method]())

        init(_ rules: [MethodRule]) {
            var known: [String: [String: Method]] = [:]
            for rule in rules {
                known[rule.service, default: [:]][rule.method] = Method(service: rule.service, method: rule.method)
            }
            self.known = known
        }

        func method(service: String, method name: String) -> Method {
            if let method = self.known[service]?[name] { return method }
            return self.others.withLock { others in
                let qualified = service + "/" + name
                if let method = others[qualified] { return method }
                let method = Method(service: service, method: name)
                others[qualified] = method
                return method
            }
        }
    }
}
