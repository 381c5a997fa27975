import NIOCore
import NIOHTTP1

/// One keep-alive HTTP/1.1 connection of an `HTTP1PoolShard`: writes an exchange's request,
/// reads its answer whole, and gives itself back to the shard. One exchange at a time.
final class HTTP1Connection: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPClientResponsePart
    typealias OutboundOut = HTTPClientRequestPart

    private let shard: HTTP1PoolShard
    private var context: ChannelHandlerContext?
    private var exchange: HTTP1Exchange?
    private var head: HTTPResponseHead?
    private var body: ByteBuffer
    /// False once either side said `connection: close`, or the answer was cut short.
    private var keepAlive = true
    private var idleTimer: Scheduled<Void>?
    private var lastError: (any Error)?

    init(shard: HTTP1PoolShard) {
        self.shard = shard
        body = ByteBuffer()
    }

    /// Open, free and willing to carry another request.
    var isReusable: Bool { keepAlive && exchange == nil && context?.channel.isActive == true }

    func handlerAdded(context: ChannelHandlerContext) {
        self.context = context
    }

    func startIdleTimer(_ timeout: TimeAmount) {
        idleTimer = context?.eventLoop.assumeIsolated().scheduleTask(in: timeout) { [self] in
            if exchange == nil { close() }
        }
    }

    /// Writes `exchange`'s request.
    func send(_ exchange: HTTP1Exchange) {
        idleTimer?.cancel()
        idleTimer = nil
        guard let context else {
            exchange.end(.failure(.notSent(UpstreamTransportError.closedBeforeAnswer)))
            return
        }
        self.exchange = exchange
        let request = exchange.request
        var headers = request.headers
        headers.add(name: "host", value: shard.settings.hostHeader)
        if let body = request.body {
            headers.add(name: "content-length", value: String(body.count))
        } else if request.method != .GET {
            headers.add(name: "content-length", value: "0")
        }
        let requestHead = HTTPRequestHead(version: .http1_1, method: request.method, uri: request.target, headers: headers)
        context.write(wrapOutboundOut(.head(requestHead)), promise: nil)
        if let body = request.body {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
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
        switch unwrapInboundIn(data) {
        case .head(let head):
            guard exchange != nil, self.head == nil else { return protocolViolation() }
            // 1xx answers are not final; the Machines API sends none, and they carry no body.
            if head.status.code < 200 { return }
            self.head = head
            keepAlive = keepAlive && head.isKeepAlive
        case .body(var part):
            guard let exchange, head != nil else { return protocolViolation() }
            guard body.readableBytes + part.readableBytes <= shard.settings.maxResponseBytes else {
                exchange.end(.failure(.tooLarge))
                return
            }
            body.writeBuffer(&part)
        case .end:
            guard let exchange, let head else { return protocolViolation() }
            let answer = UpstreamAnswer(status: Int(head.status.code), headers: head.headers, body: Array(buffer: body))
            self.exchange = nil
            self.head = nil
            body.clear()
            exchange.end(.success(answer))
            shard.release(self)
        }
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
        if let exchange {
            self.exchange = nil
            let cause: any Error & Sendable =
                if let lastError, lastError is HTTPParserError {
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
        lastError = HTTPParserError.invalidInternalState
        keepAlive = false
        context?.close(promise: nil)
    }
}
