import FlyGateWire
import FlyMachinesProto
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The daemon: the socket server, the Machines pipeline (observe -> policy -> ... -> upstream)
/// and the gateway service, run as one lifecycle `Service`.
///
/// Each stage (policy, coalescing, the lease book, the upstream) is its own type; adding one
/// is one line in the stage list.
package final class FlyGateDaemon: Service, Sendable {
    /// The daemon's version, as Health reports it.
    package static let version = "0.1.0"

    let server: RPCServer
    let policy: PolicyStage
    /// The leases taken through the daemon for its callers.
    package let leaseBook: LeaseBook
    private let leaseKeeper: LeaseKeeper
    /// Coalescing and the read cache; its shared calls run in ``run()``.
    package let coalescing: CoalescingStage
    package let statistics: CallStatistics
    /// The audit log, when auditing is on; closed (with a `stop` record) when the server stops.
    package let audit: AuditLog?
    private let draining = DrainingFlag()
    private let logger: Logger

    /// A daemon serving `configuration`'s socket (or the inherited descriptor) with `upstream`.
    package init(
        configuration: DaemonConfiguration,
        upstream: any MachinesUpstream,
        status: GatewayService.Status,
        statistics: CallStatistics = CallStatistics(),
        inheritedSocket: Int32? = nil,
        audit: AuditLog? = nil,
        logger: Logger
    ) {
        self.logger = logger
        self.audit = audit
        self.statistics = statistics
        self.policy = PolicyStage(policy: configuration.accessPolicy(daemonUID: UInt32(getuid())))
        let leaseBook = LeaseBook(file: LeaseBookFile(directory: configuration.stateDirectory), logger: logger)
        self.leaseBook = leaseBook
        self.leaseKeeper = LeaseKeeper(book: leaseBook, upstream: upstream, logger: logger)
        let coalescing = CoalescingStage(configuration: configuration.coalescing, logger: logger)
        self.coalescing = coalescing

        let pipeline = MachinesPipeline(stages: [
            ObservingStage(statistics: statistics, logger: logger),
            // Audit before policy: a refused call is an attempt the log must show.
            AuditStage(log: audit),
            policy,
            coalescing,
            LeaseStage(book: leaseBook),
            UpstreamStage(upstream: upstream),
        ])
        var router = RPCRouter()
        MachinesService(pipeline: pipeline).register(on: &router)

        let serverConfiguration = RPCServer.Configuration(
            listener: inheritedSocket.map { .inheritedSocket(descriptor: $0) } ?? .socketPath(configuration.socketPath),
            socketGroup: configuration.socketGroup,
            maxFrameBytes: configuration.maxFrameBytes,
            maxInFlightPerConnection: configuration.maxInFlightPerConnection,
            maxConnections: configuration.maxConnections,
            maxMetadataEntries: configuration.maxMetadataEntries,
            maxOutboundBufferBytes: RPCServer.Configuration.defaults.maxOutboundBufferBytes,
            shutdownGracePeriod: configuration.shutdownGrace
        )
        // The server is made after the router is complete; the gateway reads its counts lazily.
        let serverBox = Mutex<RPCServer?>(nil)
        let draining = self.draining
        GatewayService(
            status: { status },
            draining: { draining.isDraining },
            statistics: statistics,
            serverCounts: { serverBox.withLock { $0?.counts } ?? (0, 0, 0) },
            leases: { leaseBook.leases.map(\.gatewayEntry) },
            policy: policy
        ).register(on: &router)
        let server = RPCServer(configuration: serverConfiguration, router: router, observer: leaseBook, logger: logger)
        serverBox.withLock { $0 = server }
        self.server = server
    }

    /// Waits until the socket listens; returns its path.
    package func listeningAddress() async throws -> String {
        try await server.listeningAddress()
    }

    /// Serves until graceful shutdown; calls in flight finish within the configured grace.
    ///
    /// Beside the server run the lease keeper (renewals and releases) and the shared upstream
    /// calls of coalesced reads. Once the server has stopped, every lease still held is
    /// released before `run()` returns (so before the upstream client shuts down).
    package func run() async throws {
        leaseBook.restore()
        let coalescer = coalescing.coalescer
        do {
            try await withGracefulShutdownHandler {
                try await withThrowingDiscardingTaskGroup { group in
                    group.addTask { await self.leaseKeeper.run() }
                    group.addTask { await coalescer.run() }
                    defer {
                        coalescer.finish()
                        self.leaseBook.shutDown()
                    }
                    try await server.run()
                }
            } onGracefulShutdown: {
                self.draining.isDraining = true
            }
        } catch {
            await audit?.close()
            throw error
        }
        await audit?.close()
    }

    /// Applies what can change without dropping connections: the access policy.
    package func reload(_ configuration: DaemonConfiguration) {
        policy.policy = configuration.accessPolicy(daemonUID: UInt32(getuid()))
        logger.info("configuration reloaded", metadata: ["flygate.policy.rules": "\(configuration.rules.count)"])
    }
}

/// Set once graceful shutdown begins; Health reports "draining" from then on.
final class DrainingFlag: Sendable {
    private let value = Atomic<Bool>(false)

    var isDraining: Bool {
        get { value.load(ordering: .relaxed) }
        set { value.store(newValue, ordering: .relaxed) }
    }
}
