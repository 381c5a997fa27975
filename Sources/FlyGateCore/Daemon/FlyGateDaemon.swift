import FlyGateServer
import FlyGateWire
import FlyMachinesProto
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// The daemon: the socket server, its interceptors (observe -> audit -> policy) around every
/// method, the Machines pipeline (coalescing -> lease book -> upstream) and the gateway
/// service, run as one lifecycle `Service`.
///
/// Each interceptor and stage is its own type; adding one is one line in its list. The
/// daemon's own calls (lease renewals and releases) run through the same interceptors and
/// pipeline (``DaemonCaller``).
package final class FlyGateDaemon: Service, Sendable {
    /// The daemon's version, as Health reports it.
    package static let version = "0.1.0"

    let server: RPCServer
    let policy: PolicyInterceptor
    /// The summarized record of refused calls; written by a task of ``run()``.
    private let denials: DenialRecorder
    /// Mutations whose callers stopped waiting, run to their end by a task of ``run()``.
    private let completion: MutationCompletion
    /// The leases taken through the daemon for its callers.
    package let leaseBook: LeaseBook
    private let leaseKeeper: LeaseKeeper
    /// Machine and app watches: one upstream loop per watched key.
    package let watches: WatchHub
    /// Coalescing and the read cache; its shared calls run in ``run()``.
    package let coalescing: CoalescingStage
    package let statistics: CallStatistics
    /// The audit log, when auditing is on; closed (with a `stop` record) when the server stops.
    package let audit: AuditLog?
    /// What the interceptors do with each method.
    package let rules: MethodRules
    /// Every method the router serves, by service and method.
    package let methods: [(service: String, method: String)]
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
        let rules = MethodRules(MethodRules.machines + GatewayService.rules + WatchService.rules)
        self.rules = rules
        let denials = DenialRecorder(log: audit)
        self.denials = denials
        let policy = PolicyInterceptor(
            policy: configuration.accessPolicy(daemonUID: UInt32(getuid())), rules: rules, denials: denials)
        self.policy = policy
        let completion = MutationCompletion(rules: rules)
        self.completion = completion
        let interceptors = RPCInterceptorChain([
            ObservingInterceptor(rules: rules, statistics: statistics, logger: logger),
            // Policy before audit: a peer no rule covers cannot cause a durable write; its
            // refusals are summarized by the denial recorder.
            policy,
            // An allowed mutation runs to its end, audited, even when its caller stops waiting.
            completion,
            AuditInterceptor(log: audit, rules: rules),
        ])

        let leaseBook = LeaseBook(file: LeaseBookFile(directory: configuration.stateDirectory), logger: logger)
        self.leaseBook = leaseBook
        let coalescing = CoalescingStage(configuration: configuration.coalescing, logger: logger)
        self.coalescing = coalescing
        // The watch loops read through the pipeline less the nudge stage (which only acts on
        // mutations, and needs the hub the loops belong to).
        let reads = MachinesPipeline(stages: [
            NonceRedactionStage(book: leaseBook), coalescing, LeaseStage(book: leaseBook), UpstreamStage(upstream: upstream),
        ])
        let identity = PeerCredentials(uid: UInt32(getuid()), gid: UInt32(getgid()), pid: getpid())
        let watches = WatchHub(
            configuration: configuration.watch, upstream: PipelineWatchUpstream(pipeline: reads, identity: identity), logger: logger)
        self.watches = watches
        let pipeline = MachinesPipeline(stages: [
            // First: answers from the cache or joined from another call pass it too.
            NonceRedactionStage(book: leaseBook),
            coalescing,
            // A mutation rings the watch loops of its machine and app once it is answered.
            WatchNudgeStage(hub: watches),
            LeaseStage(book: leaseBook),
            UpstreamStage(upstream: upstream),
        ])
        self.leaseKeeper = LeaseKeeper(
            book: leaseBook, caller: DaemonCaller(interceptors: interceptors, pipeline: pipeline), logger: logger)

        let serverConfiguration = configuration.serverConfiguration(inheritedSocket: inheritedSocket)
        let connections = ConnectionRegistry(limitsOf: serverConfiguration)
        var router = RPCRouter(interceptors: interceptors)
        MachinesService(pipeline: pipeline).register(on: &router)
        WatchService(hub: watches).register(on: &router)
        let draining = self.draining
        GatewayService(
            status: { status },
            draining: { draining.isDraining },
            statistics: statistics,
            serverCounts: {
                let counts = connections.counts
                return (counts.open, counts.acceptedTotal, counts.callsInFlight)
            },
            leases: { leaseBook.leases.map(\.gatewayEntry) },
            watchCounts: { watches.counts }
        ).register(on: &router)
        router.describe(with: ContractDescriptors.serialized)
        self.methods = router.registeredMethods
        self.server = RPCServer(
            configuration: serverConfiguration, router: router, registry: connections, observer: leaseBook,
            answerBarrier: audit, logger: logger)
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
                    group.addTask { await self.denials.run() }
                    group.addTask { await self.completion.run() }
                    defer {
                        coalescer.finish()
                        self.completion.finish()
                        self.denials.finish()
                        self.leaseBook.shutDown()
                        self.watches.shutDown()
                    }
                    try await server.run()
                }
            } onGracefulShutdown: {
                self.draining.isDraining = true
                // Watches never end on their own: end them, so draining does not wait on them.
                self.watches.shutDown()
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
