import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// flygate's own HTTP/1.1 client, for plain `http://` endpoints (the simulator, a loopback proxy,
/// Fly's private `_api.internal`). Keep-alive connections are pooled per event loop, and a call
/// is served by the pool of the loop it is made from: the daemon runs each caller's work on its
/// socket connection's loop, so the request, the answer and the caller's task stay on one thread
/// without a hand-off. Two pools, as with AsyncHTTPClient: short calls, and Wait and Exec.
///
/// It does the little the Machines API needs and no more: one request at a time per connection,
/// a whole answer read into memory up to `maxResponseBytes`, no redirects, no compression, no
/// TLS (`https://` goes through `AsyncHTTPClientTransport`).
final class HTTP1Transport: UpstreamTransport {
    let shortCalls: HTTP1Pool
    let longCalls: HTTP1Pool

    init(endpoint: UpstreamEndpoint, configuration: FlyMachinesClient.Configuration, group: any EventLoopGroup) {
        var host = endpoint.host
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        var settings = HTTP1Pool.Settings(
            host: host, port: endpoint.port ?? 80,
            hostHeader: endpoint.authority,
            connectTimeout: .nanoseconds(FlyMachinesClient.nanoseconds(configuration.connectTimeout)),
            idleTimeout: .nanoseconds(FlyMachinesClient.nanoseconds(configuration.idleTimeout)),
            maxResponseBytes: configuration.maxResponseBytes, maxConnections: configuration.maxConnectionsPerHost)
        shortCalls = HTTP1Pool(settings: settings, group: group)
        settings.maxConnections = configuration.maxLongCallConnectionsPerHost
        longCalls = HTTP1Pool(settings: settings, group: group)
    }

    func send(_ request: UpstreamRequest, longRunning: Bool, deadline: NIODeadline) async throws(AttemptFailure)
        -> UpstreamAnswer
    {
        try await (longRunning ? longCalls : shortCalls).send(request, deadline: deadline)
    }

    func shutdown() async throws {
        await shortCalls.shutdown()
        await longCalls.shutdown()
    }
}

/// Keep-alive HTTP/1.1 connections to one host, in one shard per event loop of the group. A
/// shard's state is touched only on its loop, so nothing here takes a lock.
final class HTTP1Pool: Sendable {
    struct Settings: Sendable {
        /// The host to connect to (an IPv6 address without brackets).
        var host: String
        var port: Int
        /// The `host` header: the host as written, with the port when one was given.
        var hostHeader: String
        var connectTimeout: TimeAmount
        /// How long an idle connection is kept.
        var idleTimeout: TimeAmount
        var maxResponseBytes: Int
        /// Connections at most over all loops; each loop's shard gets an equal share, at least one.
        var maxConnections: Int
    }

    private let group: any EventLoopGroup
    private let shards: [HTTP1PoolShard]
    /// Set before the shards close, so that no call is started on a loop that may be gone.
    private let isShutDown = Atomic<Bool>(false)

    init(settings: Settings, group: any EventLoopGroup) {
        self.group = group
        let loops = Array(group.makeIterator())
        let share = max(1, (settings.maxConnections + loops.count - 1) / max(1, loops.count))
        shards = loops.map { HTTP1PoolShard(loop: $0, settings: settings, limit: share) }
    }

    /// Sends `request` on a pooled connection of the caller's event loop (any loop when the
    /// caller runs on none) and waits for its whole answer.
    func send(_ request: UpstreamRequest, deadline: NIODeadline) async throws(AttemptFailure) -> UpstreamAnswer {
        if isShutDown.load(ordering: .acquiring) { throw .notSent(UpstreamTransportError.shutDown) }
        let loop = group.any()
        let shard = shards.first { $0.loop === loop } ?? shards[0]
        let exchange = HTTP1Exchange(request: request, shard: shard)
        let result = await withTaskCancellationHandler {
            if shard.loop.inEventLoop {
                exchange.start(deadline: deadline)
            } else {
                shard.loop.execute { exchange.start(deadline: deadline) }
            }
            return await exchange.answer()
        } onCancel: {
            shard.loop.execute { exchange.end(.failure(.cancelled)) }
        }
        return try result.get()
    }

    /// Refuses new calls, fails the waiting ones and closes every connection (the calls in
    /// flight on them fail); returns when all are closed. Again, it does nothing.
    func shutdown() async {
        guard !isShutDown.exchange(true, ordering: .acquiringAndReleasing) else { return }
        for shard in shards {
            try? await shard.loop.flatSubmit { shard.shutdown() }.get()
        }
    }
}

/// One event loop's connections and the calls waiting for one. Touched only on `loop`.
final class HTTP1PoolShard: @unchecked Sendable {
    let loop: any EventLoop
    let settings: HTTP1Pool.Settings
    private let limit: Int
    /// Open connections, busy or idle.
    private var open: [ObjectIdentifier: HTTP1Connection] = [:]
    /// Idle connections, the most recently used last (it is taken first: its socket is warm).
    private var idle: [HTTP1Connection] = []
    /// Connects under way.
    private var connecting = 0
    /// Calls waiting for a connection, oldest first.
    private var waiting = CircularBuffer<HTTP1Exchange>()
    private var isShutDown = false

    init(loop: any EventLoop, settings: HTTP1Pool.Settings, limit: Int) {
        self.loop = loop
        self.settings = settings
        self.limit = limit
    }

    /// Gives `exchange` an idle connection, opens one for it, or queues it.
    func acquire(for exchange: HTTP1Exchange) {
        loop.preconditionInEventLoop()
        if isShutDown {
            exchange.end(.failure(.notSent(UpstreamTransportError.shutDown)))
            return
        }
        while let connection = idle.popLast() {
            // One the server closed while idle is on its way out: its close removes it.
            if connection.isReusable {
                exchange.run(on: connection)
                return
            }
        }
        if open.count + connecting < limit {
            connect(for: exchange)
        } else {
            exchange.state = .waiting
            waiting.append(exchange)
        }
    }

    /// A connection whose answer is read whole: to the next waiting call, else idle.
    func release(_ connection: HTTP1Connection) {
        guard !isShutDown, connection.isReusable else {
            connection.close()
            return
        }
        while let next = waiting.popFirst() {
            if next.state == .waiting {
                next.run(on: connection)
                return
            }
        }
        idle.append(connection)
        connection.startIdleTimer(settings.idleTimeout)
    }

    /// `connection` closed: forget it, and open one for a waiting call if that is now allowed.
    func closed(_ connection: HTTP1Connection) {
        open[ObjectIdentifier(connection)] = nil
        idle.removeAll { $0 === connection }
        connectForWaiting()
    }

    /// `exchange` gave up while waiting (deadline or cancellation).
    func forget(_ exchange: HTTP1Exchange) {
        if let index = waiting.firstIndex(where: { $0 === exchange }) { waiting.remove(at: index) }
    }

    func shutdown() -> EventLoopFuture<Void> {
        isShutDown = true
        while let exchange = waiting.popFirst() { exchange.end(.failure(.notSent(UpstreamTransportError.shutDown))) }
        let closing = open.values.map { $0.close() }
        idle.removeAll()
        return EventLoopFuture.andAllComplete(closing, on: loop)
    }

    private func connectForWaiting() {
        while !isShutDown, open.count + connecting < limit, let next = waiting.popFirst() {
            if next.state == .waiting { connect(for: next) }
        }
    }

    /// Opens a connection for `exchange`; if the exchange has given up by the time it is open,
    /// the connection goes to the pool.
    private func connect(for exchange: HTTP1Exchange) {
        exchange.state = .connecting
        connecting += 1
        let settings = settings
        ClientBootstrap(group: loop)
            .connectTimeout(settings.connectTimeout)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(HTTP1Connection(shard: self))
                }
            }
            .connect(host: settings.host, port: settings.port)
            .whenComplete { result in
                self.connecting -= 1
                switch result {
                case .success(let channel):
                    guard let connection = try? channel.pipeline.syncOperations.handler(type: HTTP1Connection.self),
                        channel.isActive
                    else {
                        channel.close(promise: nil)
                        exchange.end(.failure(.notSent(UpstreamTransportError.closedBeforeAnswer)))
                        self.connectForWaiting()
                        return
                    }
                    self.open[ObjectIdentifier(connection)] = connection
                    if self.isShutDown {
                        connection.close()
                        exchange.end(.failure(.notSent(UpstreamTransportError.shutDown)))
                    } else if exchange.state == .connecting {
                        exchange.run(on: connection)
                    } else {
                        self.release(connection)
                    }
                case .failure(let error):
                    exchange.end(.failure(.classifying(error, whileConnecting: true)))
                    self.connectForWaiting()
                }
            }
    }
}

/// One request and its answer, from the caller's side. Touched only on its shard's loop.
final class HTTP1Exchange: @unchecked Sendable {
    enum State: Equatable {
        /// Made, not started.
        case created
        /// In the shard's queue for a connection.
        case waiting
        /// A connection is being opened for it.
        case connecting
        /// Sent (or being sent) on a connection.
        case running
        /// Answered or failed; `answer()` has its result.
        case ended
    }

    private enum Outcome {
        case pending
        case waiting(CheckedContinuation<Result<UpstreamAnswer, AttemptFailure>, Never>)
        case ended(Result<UpstreamAnswer, AttemptFailure>)
    }

    let request: UpstreamRequest
    /// The caller waiting in ``answer()``, or the result that came first. The one part touched
    /// off the loop (by the caller), so under a lock; a continuation, not a promise and its
    /// future, which cost ~2,000 instructions an exchange.
    private let outcome = Mutex(Outcome.pending)
    var state = State.created
    private let shard: HTTP1PoolShard
    private var connection: HTTP1Connection?
    /// Its deadline: the exchange itself is the callback's handler (no closure, no promise).
    private var timer: NIOScheduledCallback?

    init(request: UpstreamRequest, shard: HTTP1PoolShard) {
        self.request = request
        self.shard = shard
    }

    /// Waits for the exchange's end (from any thread).
    func answer() async -> Result<UpstreamAnswer, AttemptFailure> {
        await withCheckedContinuation { continuation in
            let ended: Result<UpstreamAnswer, AttemptFailure>? = outcome.withLock { outcome in
                guard case .ended(let result) = outcome else {
                    outcome = .waiting(continuation)
                    return nil
                }
                return result
            }
            if let ended { continuation.resume(returning: ended) }
        }
    }

    func start(deadline: NIODeadline) {
        guard state == .created else { return }
        do {
            timer = try shard.loop.scheduleCallback(at: deadline, handler: self)
        } catch {
            // The loop is shutting down, and the pool with it.
            return end(.failure(.notSent(UpstreamTransportError.shutDown)))
        }
        shard.acquire(for: self)
    }

    func run(on connection: HTTP1Connection) {
        state = .running
        self.connection = connection
        connection.send(self)
    }

    /// Completes the call once. A call that ends while its request is on a connection takes
    /// the connection down with it, unless the connection delivered the answer.
    func end(_ result: Result<UpstreamAnswer, AttemptFailure>) {
        switch state {
        case .ended:
            return
        case .waiting:
            shard.forget(self)
        case .running:
            connection?.abandon(self)
        case .created, .connecting:
            break
        }
        state = .ended
        connection = nil
        timer?.cancel()
        timer = nil
        let waiter: CheckedContinuation<Result<UpstreamAnswer, AttemptFailure>, Never>? = outcome.withLock { outcome in
            defer { outcome = .ended(result) }
            guard case .waiting(let waiter) = outcome else { return nil }
            return waiter
        }
        waiter?.resume(returning: result)
    }

    /// A deadline before a connection came is "not sent"; one after the request went, "maybe sent".
    private var timeoutFailure: AttemptFailure {
        state == .running
            ? .ambiguous(UpstreamTransportError.deadlinePassed) : .notSent(UpstreamTransportError.noConnectionInTime)
    }
}

extension HTTP1Exchange: NIOScheduledCallbackHandler {
    /// The deadline passed.
    func handleScheduledCallback(eventLoop: some EventLoop) {
        end(.failure(timeoutFailure))
    }
}
