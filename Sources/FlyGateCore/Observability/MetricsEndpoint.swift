import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import ServiceLifecycle

/// A tiny HTTP/1.1 listener that answers `GET /metrics` with the Prometheus text format.
///
/// The text comes from `render` (the executable wires it to its Prometheus registry), so this
/// module does not depend on the exporter.
package final class MetricsEndpoint: Service, Sendable {
    let host: String
    let port: Int
    let render: @Sendable () -> [UInt8]
    let logger: Logger
    private let bound = AsyncStream<Int>.makeStream()

    package init(host: String, port: Int, render: @escaping @Sendable () -> [UInt8], logger: Logger) {
        self.host = host
        self.port = port
        self.render = render
        self.logger = logger
    }

    /// The port it listens on, once it does.
    package func boundPort() async -> Int? {
        for await port in bound.stream { return port }
        return nil
    }

    package func run() async throws {
        defer { bound.continuation.finish() }
        let render = self.render
        let server = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(render: render))
                }
            }
        bound.continuation.yield(server.channel.localAddress?.port ?? port)
        logger.info("metrics endpoint listening", metadata: ["flygate.metrics.address": "\(host):\(server.channel.localAddress?.port ?? port)"])
        try await withGracefulShutdownHandler {
            try await server.executeThenClose { inbound in
                for try await _ in inbound {}
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
    }
}

/// Answers each request on one connection; only `GET /metrics` has a body.
final class MetricsHTTPHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let render: @Sendable () -> [UInt8]
    private var head: HTTPRequestHead?

    init(render: @escaping @Sendable () -> [UInt8]) {
        self.render = render
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
        case .body:
            break
        case .end:
            guard let head else { return }
            self.head = nil
            let found = head.method == .GET && (head.uri == "/metrics" || head.uri.hasPrefix("/metrics?"))
            let body = found ? render() : Array("not found: try GET /metrics\n".utf8)
            var headers = HTTPHeaders()
            headers.add(name: "Content-Type", value: found ? "text/plain; version=0.0.4; charset=utf-8" : "text/plain")
            headers.add(name: "Content-Length", value: "\(body.count)")
            let status: HTTPResponseStatus = found ? .ok : .notFound
            context.write(wrapOutboundOut(.head(HTTPResponseHead(version: head.version, status: status, headers: headers))), promise: nil)
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
            let keepAlive = head.isKeepAlive
            context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in
                if !keepAlive { context.close(promise: nil) }
            }
        }
    }
}
