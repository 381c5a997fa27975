import NIOCore

/// One keep-alive HTTP/1.1 connection of an `HTTP1PoolShard`: writes an exchange's request
/// (`HTTP1RequestWriter`), reads its answer whole (`HTTP1ResponseReader`), and gives itself back
/// to the shard. One exchange at a time. It is the channel's only handler: bytes in, bytes out.
final class HTTP1Connection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let shard: HTTP1PoolShard
    private var context: ChannelHandlerContext?
    private var exchange: HTTP1Exchange?
    private var reader: HTTP1ResponseReader
    /// Bytes read and not yet taken by `reader` (a head or chunk line cut between reads).
    private var pending: ByteBuffer?
    /// False once either side said `connection: close`, or the answer was cut short.
    private var keepAlive = true
    /// When the connection last became idle; nil while it carries an exchange.
    private var idleSince: NIODeadline?
    /// The one idle check pending, if any. It is not cancelled when the connection is used again:
    /// when it fires it closes the connection only if it has been idle for the whole timeout,
    /// and otherwise checks again when that would be, so a busy connection costs no timer per call.
    private var idleTimer: Scheduled<Void>?
    private var lastError: (any Error)?

    init(shard: HTTP1PoolShard) {
        self.shard = shard
        reader = HTTP1ResponseReader(maxBodyBytes: shard.settings.maxResponseBytes)
    }

    /// Open, free and willing to carry another request.
    var isReusable: Bool { keepAlive && exchange == nil && context?.channel.isActive == true }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    /// The connection is idle from now; it is closed once it has been idle for `timeout`.
    func startIdleTimer(_ timeout: TimeAmount) {
        let now = NIODeadline.now()
        idleSince = now
        if idleTimer == nil { checkIdle(at: now + timeout, timeout) }
    }

    private func checkIdle(at deadline: NIODeadline, _ timeout: TimeAmount) {
        idleTimer = context?.eventLoop.assumeIsolated().scheduleTask(deadline: deadline) { [self] in
            idleTimer = nil
            // In use: the next release starts the check again.
            guard exchange == nil, let idleSince else { return }
            let due = idleSince + timeout
            if due <= .now() { close() } else { checkIdle(at: due, timeout) }
        }
    }

    /// Writes `exchange`'s request.
    func send(_ exchange: HTTP1Exchange) {
        idleSince = nil
        guard let context else {
            exchange.end(.failure(.notSent(UpstreamTransportError.closedBeforeAnswer)))
            return
        }
        self.exchange = exchange
        reader = HTTP1ResponseReader(
            maxBodyBytes: shard.settings.maxResponseBytes, answersHEAD: exchange.request.method == .HEAD)
        var bytes = context.channel.allocator.buffer(capacity: 256 + (exchange.request.body?.count ?? 0))
        HTTP1RequestWriter.write(exchange.request, hostHeader: shard.settings.hostHeader, into: &bytes)
        context.writeAndFlush(wrapOutboundOut(bytes), promise: nil)
    }

    /// `exchange` gave up (deadline, cancellation) before its answer: the connection is in an
    /// unknown place in the exchange, so it closes.
    func abandon(_ exchange: HTTP1Exchange) {
        guard self.exchange === exchange else { return }
        self.exchange = nil
        keepAlive = false
        close()
    }

    @discardableResult
    func close() -> EventLoopFuture<Void> {
        keepAlive = false
        guard let context else { return shard.loop.makeSucceededVoidFuture() }
        let promise = context.eventLoop.makePromise(of: Void.self)
        context.close(promise: promise)
        // Closing a closed channel fails; either way it is closed.
        return promise.futureResult.recover { _ in }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = unwrapInboundIn(data)
        // Bytes with no request out: nothing more on this connection can be trusted.
        guard let exchange else { return protocolViolation() }
        if var held = pending.take() {
            held.writeBuffer(&bytes)
            bytes = held
        }
        let answer: HTTP1ResponseReader.Answer?
        do {
            answer = try reader.read(&bytes)
        } catch .tooLarge {
            exchange.end(.failure(.tooLarge))
            return
        } catch {
            return protocolViolation()
        }
        guard let answer else {
            if bytes.readableBytes > 0 { pending = bytes }
            return
        }
        // An answer has nothing after it: the client sent one request.
        if bytes.readableBytes > 0 { keepAlive = false }
        finish(exchange, with: answer)
    }

    private func finish(_ exchange: HTTP1Exchange, with answer: HTTP1ResponseReader.Answer) {
        keepAlive = keepAlive && answer.keepAlive
        self.exchange = nil
        exchange.end(
            .success(
                UpstreamAnswer(
                    status: answer.status, flyRequestID: answer.flyRequestID, retryAfter: answer.retryAfter,
                    body: answer.body)))
        shard.release(self)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        lastError = error
        keepAlive = false
        context.close(promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.context = nil
        keepAlive = false
        idleTimer?.cancel()
        idleTimer = nil
        // An answer whose end is the close is whole now.
        if let exchange, let answer = reader.finish() {
            finish(exchange, with: answer)
        } else if let exchange {
            self.exchange = nil
            let cause: any Error & Sendable =
                if let lastError, lastError is HTTP1ResponseReader.Failure {
                    UpstreamTransportError.malformedAnswer
                } else if let lastError {
                    SendableErrorText(String(describing: lastError))
                } else {
                    UpstreamTransportError.closedBeforeAnswer
                }
            exchange.end(.failure(.ambiguous(cause)))
        }
        shard.closed(self)
        context.fireChannelInactive()
    }

    /// An answer with no request, or out of order: nothing more on this connection can be trusted.
    private func protocolViolation() {
        lastError = HTTP1ResponseReader.Failure.malformed
        keepAlive = false
        context?.close(promise: nil)
    }
}
