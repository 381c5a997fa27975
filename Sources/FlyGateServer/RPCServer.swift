import FlyGateWire
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The ttrpc and gRPC server on the daemon's Unix socket (and, when configured, a second
/// socket serving gRPC only), run as a swift-service-lifecycle `Service`.
///
/// `run()` binds (or adopts systemd's socket), serves each connection in its own child task
/// until graceful shutdown, then stops accepting, lets calls in flight finish for up to
/// ``Configuration/shutdownGracePeriod``, closes what is left and unlinks the socket files.
/// Connections from both sockets share one registry (limits, timeouts, draining, ids), one
/// buffer budget and one dispatcher.
package final class RPCServer: Service, Sendable {
    /// A connection as the child channel initializer hands it over.
    struct AcceptedConnection: Sendable {
        var channel: any Channel
        var peer: PeerCredentials
        /// Completes when the first bytes have told the protocol; fails if the connection closes first.
        var negotiated: EventLoopFuture<NegotiatedConnection>
    }

    /// A connection once its protocol is known, set up to be served.
    enum NegotiatedConnection: Sendable {
        case ttrpc(TTRPCChannel)
        case grpc(GRPCStreamMultiplexer)
    }

    private enum Lifecycle {
        case idle
        case listening([any Channel])
        case stopping
    }

    let configuration: Configuration
    private let dispatcher: RPCDispatcher
    private let registry: ConnectionRegistry
    /// The daemon-wide budget on buffered bytes, shared by every connection's pipeline.
    package let bufferBudget: BufferBudget
    private let observer: (any ConnectionObserver)?
    /// Run before each flush of every connection (``AnswerBarrier``).
    package let answerBarrier: (any AnswerBarrier)?
    /// The gRPC side's own services, answered from the server's state and the router's descriptors.
    private let health: GRPCHealth
    private let reflection: GRPCReflection
    let eventLoopGroup: MultiThreadedEventLoopGroup
    let logger: Logger
    private let lifecycle = Mutex(Lifecycle.idle)
    private let listening = ListeningSignal()
    /// Uids whose connection to the gRPC-only socket was closed for not speaking HTTP/2 (the
    /// first such refusal per uid is logged at notice, later ones at debug).
    private let refusedUIDs = Mutex(Set<UInt32>())

    /// A server answering with `router`'s handlers; `observer` hears of connections opening and
    /// closing; `answerBarrier` runs before any answer leaves. It keeps its connections in
    /// `registry` (one of its own when nil).
    package init(
        configuration: Configuration,
        router: RPCRouter,
        registry: ConnectionRegistry? = nil,
        observer: (any ConnectionObserver)? = nil,
        answerBarrier: (any AnswerBarrier)? = nil,
        eventLoopGroup: MultiThreadedEventLoopGroup = .singleton,
        logger: Logger
    ) {
        self.configuration = configuration
        self.dispatcher = RPCDispatcher(
            router: router,
            maxMetadataEntries: configuration.maxMetadataEntries,
            maxFrameBytes: configuration.maxFrameBytes,
            logger: logger
        )
        let registry = registry ?? ConnectionRegistry(limitsOf: configuration)
        self.registry = registry
        let services = Set(router.registeredMethods.map(\.service))
        self.health = GRPCHealth(services: services, registry: registry)
        do {
            self.reflection = try GRPCReflection(
                services: services.union([GRPCHealth.service]),
                descriptorSets: router.descriptorSets + [ProtocolDescriptors.serialized])
        } catch {
            // The sets are generated and checked by tests: one that does not decode is a build defect.
            preconditionFailure("the router's descriptor sets do not decode: \(error)")
        }
        self.bufferBudget = BufferBudget(capacity: configuration.maxBufferedBytes)
        self.observer = observer
        self.answerBarrier = answerBarrier
        self.eventLoopGroup = eventLoopGroup
        self.logger = logger
    }

    /// Waits until the server listens (on every configured socket); returns the first
    /// socket's path (or `fd:N` for an inherited socket). Throws the error that stopped
    /// `run()` from listening.
    package func listeningAddress() async throws -> String {
        try await self.listening.wait()
    }

    /// Connections open now, accepted since start, and calls in flight now.
    package var counts: (connectionsOpen: Int, connectionsAccepted: UInt64, callsInFlight: Int) {
        let counts = self.registry.counts
        return (counts.open, counts.acceptedTotal, counts.callsInFlight)
    }

    /// Server streams open now (ttrpc and gRPC), across all connections.
    package var openStreams: Int {
        self.registry.openStreams
    }

    /// Bytes held now in partially received frames and queued output, across all connections.
    package var bufferedBytes: Int {
        self.bufferBudget.bufferedBytes
    }

    /// Listens and serves until graceful shutdown (or cancellation), then drains and cleans up.
    package func run() async throws {
        let listeners: [BoundListener]
        do {
            try self.configuration.validate()
            listeners = try await self.bindListeners()
        } catch {
            self.listening.complete(.failure(error))
            throw error
        }
        defer {
            for case let (file, identity)? in listeners.map(\.socketFile) { file.remove(ifStill: identity) }
        }

        let stopped = self.lifecycle.withLock { state in
            guard case .idle = state else { return true }
            state = .listening(listeners.map(\.channel.channel))
            return false
        }
        if stopped {
            for listener in listeners { try? await listener.channel.channel.close() }
        }
        for listener in listeners {
            let protocols = listener.grpcOnly ? "grpc" : "ttrpc,grpc"
            self.logger.info(
                "listening", metadata: ["flygate.socket": "\(listener.address)", "flygate.socket.protocols": "\(protocols)"])
        }
        self.listening.complete(.success(listeners[0].address))

        try await withGracefulShutdownHandler {
            try await withThrowingTaskGroup(of: Void.self) { sweeper in
                sweeper.addTask { await self.closeExpiredConnections() }
                try await withThrowingDiscardingTaskGroup { accepting in
                    for listener in listeners {
                        accepting.addTask { try await self.serve(listener.channel) }
                    }
                }
                sweeper.cancelAll()
            }
        } onGracefulShutdown: {
            self.beginShutdown()
        }
        for listener in listeners {
            self.logger.info("stopped", metadata: ["flygate.socket": "\(listener.address)"])
        }
    }

    /// Accepts connections until the listener closes, then waits for every connection to end.
    private func serve(_ listener: NIOAsyncChannel<AcceptedConnection, Never>) async throws {
        try await withThrowingDiscardingTaskGroup { connections in
            try await listener.executeThenClose { inbound in
                for try await accepted in inbound {
                    switch self.registry.admit(accepted.channel, uid: accepted.peer.uid) {
                    case .admitted(let id):
                        // The connection's code runs on its channel's event loop: see EventLoopTaskExecutor.
                        let executor = EventLoopTaskExecutor(accepted.channel.eventLoop)
                        connections.addTask(executorPreference: executor) {
                            await self.serveConnection(accepted, id: id, executor: executor)
                        }
                    case .overLimit(let firstOfBurst):
                        if firstOfBurst {
                            self.logger.warning(
                                "connection limit reached; closing new connections",
                                metadata: ["flygate.connections.max": "\(self.configuration.maxConnections)"]
                            )
                        }
                        await Self.refuse(accepted)
                    case .overUIDLimit(let firstOfBurst):
                        if firstOfBurst {
                            self.logger.warning(
                                "per-uid connection limit reached; closing this uid's new connections",
                                metadata: [
                                    "flygate.peer.uid": "\(accepted.peer.uid)",
                                    "flygate.connections.max_per_uid": "\(self.configuration.maxConnectionsPerUID)",
                                ]
                            )
                        }
                        await Self.refuse(accepted)
                    case .draining:
                        await Self.refuse(accepted)
                    }
                }
            }
        }
    }

    /// Until cancelled, closes connections past the first-frame or idle timeout, checking a
    /// few times per shortest timeout. An idle connection the observer keeps open stays.
    private func closeExpiredConnections() async {
        let timeouts = [self.configuration.firstFrameTimeout, self.configuration.idleTimeout].compactMap { $0 }
        guard let shortest = timeouts.min() else { return }
        let interval = min(max(shortest / 4, .milliseconds(20)), .seconds(1))
        while (try? await Task.sleep(for: interval)) != nil {
            for (id, expiry) in self.registry.expired() {
                if expiry == .idle, self.observer?.keepsIdleConnectionOpen(id: id) == true { continue }
                guard let channel = self.registry.closeIfStillExpired(id) else { continue }
                self.logger.debug(
                    expiry == .idle ? "closing idle connection" : "closing connection that sent no frame",
                    metadata: ["flygate.connection.id": "\(id)"]
                )
                channel.close(promise: nil)
            }
        }
    }

    /// Closes a connection that will not be served (closing through the async channel, which
    /// must not be dropped unclosed).
    private static func refuse(_ accepted: AcceptedConnection) async {
        try? await accepted.channel.close()
        if case .ttrpc(let connection)? = try? await accepted.negotiated.get() {
            try? await connection.channel.executeThenClose { _, _ in }
        }
    }

    private func serveConnection(_ accepted: AcceptedConnection, id: UInt64, executor: EventLoopTaskExecutor) async {
        var logger = self.logger
        logger[metadataKey: "flygate.connection.id"] = "\(id)"
        logger[metadataKey: "flygate.peer.uid"] = "\(accepted.peer.uid)"
        logger[metadataKey: "flygate.peer.pid"] = "\(accepted.peer.pid)"
        logger.debug("connection opened")
        self.observer?.connectionOpened(id: id, peer: accepted.peer)
        let negotiated: NegotiatedConnection?
        do {
            negotiated = try await accepted.negotiated.get()
        } catch is ProtocolNotServed {
            self.logRefusal(peer: accepted.peer, logger: logger)
            negotiated = nil
        } catch {
            negotiated = nil
        }
        // The registry holds the slot from admission until `remove` below.
        if let slot = self.registry.slot(of: id) {
            await self.serve(negotiated, accepted: accepted, id: id, slot: slot, executor: executor, logger: logger)
        } else {
            try? await accepted.channel.close()
        }
        self.registry.remove(id)
        self.observer?.connectionClosed(id: id, peer: accepted.peer)
        logger.debug("connection closed")
    }

    /// Serves a connection whose protocol is known (nil: closed before it was).
    private func serve(
        _ negotiated: NegotiatedConnection?, accepted: AcceptedConnection, id: UInt64, slot: ConnectionSlot,
        executor: EventLoopTaskExecutor, logger: Logger
    ) async {
        switch negotiated {
        case .ttrpc(let channel):
            let binding = TTRPCCallGate.Binding(
                connectionID: id, peer: accepted.peer, dispatcher: self.dispatcher, registry: self.registry, slot: slot,
                executor: executor)
            let connection = RPCConnection(binding: binding, logger: logger)
            await connection.run(channel)
        case .grpc(let multiplexer):
            logger.debug("connection speaks gRPC")
            let connection = GRPCConnection(
                id: id,
                peer: accepted.peer,
                dispatcher: self.dispatcher,
                registry: self.registry,
                slot: slot,
                health: self.health,
                reflection: self.reflection,
                executor: executor,
                logger: logger
            )
            await connection.run(multiplexer, channel: accepted.channel)
        case nil:
            // Closed (by the peer, a timeout or shutdown) before its first bytes told the
            // protocol, or refused for the protocol they told (the sniffer closed it).
            try? await accepted.channel.close()
        }
    }

    /// Logs a connection closed on the gRPC-only socket for not opening with the HTTP/2
    /// preface: at notice the first time for its uid (an operator should learn of a ttrpc
    /// client pointed at the wrong socket), at debug after, so no peer can flood the log.
    private func logRefusal(peer: PeerCredentials, logger: Logger) {
        let first = self.refusedUIDs.withLock { $0.insert(peer.uid).inserted }
        logger.log(
            level: first ? .notice : .debug,
            "closed a connection to the gRPC-only socket that did not open with the HTTP/2 preface (a ttrpc client?)"
        )
    }

    /// Stops accepting (on every socket), closes idle connections, and bounds how long busy ones may go on.
    private func beginShutdown() {
        let listeners: [any Channel] = self.lifecycle.withLock { state in
            defer { state = .stopping }
            guard case .listening(let channels) = state else { return [] }
            return channels
        }
        self.logger.info("draining")
        for listener in listeners {
            listener.close(promise: nil)
        }
        let (idle, busy) = self.registry.beginDraining()
        for channel in idle {
            channel.close(promise: nil)
        }
        let grace = TimeAmount.nanoseconds(self.configuration.shutdownGracePeriod.clampedNanoseconds)
        for channel in busy {
            channel.eventLoop.scheduleTask(in: grace) {
                channel.close(promise: nil)
            }
        }
    }
}
