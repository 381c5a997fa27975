import CFlyGateMemory
import FlyGateServer
import FlyMachinesProto
import Foundation
import Synchronization

/// `flygate.gateway.v1.Gateway`: Health, Stats and ListLeases.
package struct GatewayService: Sendable {
    /// The ttrpc service name.
    package static let serviceName = "flygate.gateway.v1.Gateway"

    /// What Health reports about the daemon.
    package struct Status: Sendable {
        package var version: String
        package var upstream: String
        package var simulator: Bool
        package var startedAt: ContinuousClock.Instant

        package init(version: String, upstream: String, simulator: Bool, startedAt: ContinuousClock.Instant) {
            self.version = version
            self.upstream = upstream
            self.simulator = simulator
            self.startedAt = startedAt
        }
    }

    let status: @Sendable () -> Status
    let draining: @Sendable () -> Bool
    let statistics: CallStatistics
    let serverCounts: @Sendable () -> (connectionsOpen: Int, connectionsAccepted: UInt64, callsInFlight: Int)
    let leases: @Sendable () -> [Flygate_Gateway_V1_LeaseEntry]
    let watchCounts: @Sendable () -> (watches: Int, loops: Int)

    package init(
        status: @escaping @Sendable () -> Status,
        draining: @escaping @Sendable () -> Bool,
        statistics: CallStatistics,
        serverCounts: @escaping @Sendable () -> (connectionsOpen: Int, connectionsAccepted: UInt64, callsInFlight: Int),
        leases: @escaping @Sendable () -> [Flygate_Gateway_V1_LeaseEntry],
        watchCounts: @escaping @Sendable () -> (watches: Int, loops: Int)
    ) {
        self.status = status
        self.draining = draining
        self.statistics = statistics
        self.serverCounts = serverCounts
        self.leases = leases
        self.watchCounts = watchCounts
    }

    /// The interceptors' rules for the three methods. Each reads the daemon's own memory, never
    /// Fly, and answers on the connection's read loop, where nothing may write a file: so none
    /// is audited (they are counted in Stats and the metrics like every call).
    package static let rules: [MethodRule] = [
        MethodRule(
            service: serviceName, method: "Health",
            access: .anyone(reason: "anyone who may connect may ask whether the daemon is up: it tells no secret"),
            audit: .none(reason: "a liveness probe of the daemon itself; a probe every second would fill the log")),
        MethodRule(
            service: serviceName, method: "Stats", access: .policy(.read),
            audit: .none(reason: "reads the daemon's own counters, answered on the read loop")),
        MethodRule(
            service: serviceName, method: "ListLeases", access: .policy(.read),
            audit: .none(reason: "reads the daemon's own lease book, answered on the read loop")),
    ]

    /// Registers the three methods on `router`. Each answers from local state at once, so they
    /// run on the connection's read loop (``RPCRouter/registerImmediate(service:method:_:)``);
    /// the router's interceptors apply the ``rules``.
    package func register(on router: inout RPCRouter) {
        router.registerImmediate(service: Self.serviceName, method: "Health") {
            (_: Flygate_Gateway_V1_HealthRequest, _: CallContext) -> Flygate_Gateway_V1_HealthResponse in
            health()
        }
        router.registerImmediate(service: Self.serviceName, method: "Stats") {
            (_: Flygate_Gateway_V1_StatsRequest, _: CallContext) -> Flygate_Gateway_V1_StatsResponse in
            stats()
        }
        router.registerImmediate(service: Self.serviceName, method: "ListLeases") {
            (_: Flygate_Gateway_V1_ListLeasesRequest, _: CallContext) -> Flygate_Gateway_V1_ListLeasesResponse in
            var response = Flygate_Gateway_V1_ListLeasesResponse()
            response.leases = leases()
            return response
        }
    }

    func health() -> Flygate_Gateway_V1_HealthResponse {
        let current = status()
        var response = Flygate_Gateway_V1_HealthResponse()
        response.status = draining() ? "draining" : "serving"
        response.version = current.version
        response.upstream = current.upstream
        response.simulator = current.simulator
        response.uptimeSeconds = (ContinuousClock.now - current.startedAt).components.seconds
        response.pid = Int64(ProcessInfo.processInfo.processIdentifier)
        return response
    }

    func stats() -> Flygate_Gateway_V1_StatsResponse {
        var response = Flygate_Gateway_V1_StatsResponse()
        for (method, counters) in statistics.snapshot.sorted(by: { $0.key < $1.key }) {
            var entry = Flygate_Gateway_V1_MethodStats()
            entry.method = method
            entry.callsByCode = Dictionary(uniqueKeysWithValues: counters.callsByCode.map { ($0.key.name, $0.value) })
            entry.upstreamCalls = counters.upstreamCalls
            entry.upstreamRetries = counters.upstreamRetries
            entry.joinedCalls = counters.joinedCalls
            entry.cacheHits = counters.cacheHits
            response.methods.append(entry)
        }
        let counts = serverCounts()
        response.connectionsOpen = Int64(counts.connectionsOpen)
        response.connectionsTotal = Int64(counts.connectionsAccepted)
        response.callsInFlight = Int64(counts.callsInFlight)
        let watches = watchCounts()
        response.watchesOpen = Int64(watches.watches)
        response.watchLoops = Int64(watches.loops)
        response.heapBytesInUse = Int64(cflygate_heap_bytes_in_use())
        return response
    }
}
