import FlyGateJSON
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Synchronization

/// One HTTP/1.1 connection as async streams of request and response parts.
typealias HTTPConnection = NIOAsyncChannel<HTTPServerRequestPart, HTTPServerResponsePart>

/// The loopback HTTP/1.1 listener: an `NIOAsyncChannel` accept loop, one child task per
/// keep-alive connection, requests handed to `RequestHandler`.
final class HTTPServer: Sendable {
    /// The listener's life. The bound address is kept from the moment of binding: a channel's
    /// own `localAddress` is a cache NIO fills in on its event loop, which a loaded machine
    /// showed to be nil for a moment after the bind had completed.
    private enum Listener: Sendable {
        case idle
        case bound(NIOAsyncChannel<HTTPConnection, Never>, SocketAddress)
        case running(any Channel, SocketAddress)
        case closed
    }

    private let listener = Mutex<Listener>(.idle)
    private let connections = Mutex<[ObjectIdentifier: any Channel]>([:])
    private let accepted = Atomic<Int>(0)
    private let maxBodyBytes: Int
    private let logger: Logger

    init(maxBodyBytes: Int, logger: Logger) {
        self.maxBodyBytes = maxBodyBytes
        self.logger = logger
    }

    /// Binds `host:port` (port 0 picks a free port) and returns the bound address.
    func bind(host: String, port: Int) async throws -> SocketAddress {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .bind(host: host, port: port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    // The initializer that finishes the connection's writer (and closes it) when
                    // the wrapper goes away: NIO drops a connection accepted while the listener
                    // closes, or one left in a listener nobody served, and with the other
                    // initializer its unfinished writer traps, taking the whole process down
                    // (ServerLifecycleTests reproduce both).
                    return try HTTPConnection(synchronouslyWrapping: channel)
                }
            }
        guard let address = channel.channel.localAddress else {
            try? await channel.channel.close()
            throw SimulatorError.fly(500, "no bound address")
        }
        let accepted = listener.withLock { listener -> Bool in
            guard case .idle = listener else { return false }
            listener = .bound(channel, address)
            return true
        }
        guard accepted else {
            try? await channel.channel.close()
            throw SimulatorError.fly(500, "the simulator was already started or shut down")
        }
        return address
    }

    /// Neither bound yet nor closed.
    var isUnbound: Bool {
        listener.withLock { if case .idle = $0 { true } else { false } }
    }

    /// Closed (``close()``): it will not bind or serve again.
    var isClosed: Bool {
        listener.withLock { if case .closed = $0 { true } else { false } }
    }

    /// The bound address, once bound.
    var localAddress: SocketAddress? {
        listener.withLock { listener in
            switch listener {
            case .bound(_, let address), .running(_, let address): address
            case .idle, .closed: nil
            }
        }
    }

    /// TCP connections accepted since the listener was bound.
    var acceptedConnections: Int { accepted.load(ordering: .relaxed) }

    /// Serves connections until `close()`.
    func run(handler: RequestHandler) async throws {
        let server = listener.withLock { listener -> NIOAsyncChannel<HTTPConnection, Never>? in
            guard case .bound(let channel, let address) = listener else { return nil }
            listener = .running(channel.channel, address)
            return channel
        }
        guard let server else { return }
        // The accept loop must not end while the listener still accepts: a connection accepted
        // after its inbound sequence ended would be dropped unfinished, and NIO traps on that.
        // A cancelled iteration ends at once, so the loop runs in a task of its own, and the
        // caller's cancellation closes the server instead (the loop then ends with the listener).
        let accepting = Task { await self.accept(server, handler: handler) }
        await withTaskCancellationHandler {
            await accepting.value
        } onCancel: {
            self.close()
        }
    }

    /// Serves every connection `server` accepts until it closes, then waits for them to end.
    private func accept(_ server: NIOAsyncChannel<HTTPConnection, Never>, handler: RequestHandler) async {
        try? await withThrowingDiscardingTaskGroup { group in
            try await server.executeThenClose { inbound in
                for try await connection in inbound {
                    accepted.add(1, ordering: .relaxed)
                    group.addTask { await self.serve(connection, handler: handler) }
                }
            }
        }
    }

    /// Stops accepting and closes every open connection.
    func close() {
        let channel = listener.withLock { listener -> (any Channel)? in
            defer { listener = .closed }
            switch listener {
            case .bound(let channel, _): return channel.channel
            case .running(let channel, _): return channel
            case .idle, .closed: return nil
            }
        }
        channel?.close(promise: nil)
        for connection in connections.withLock({ Array($0.values) }) { connection.close(promise: nil) }
    }

    private func serve(_ connection: HTTPConnection, handler: RequestHandler) async {
        let channel = connection.channel
        let key = ObjectIdentifier(channel)
        connections.withLock { $0[key] = channel }
        // Closed while this connection was on its way here: close() did not see it.
        if isClosed { channel.close(promise: nil) }
        defer { _ = connections.withLock { $0.removeValue(forKey: key) } }
        do {
            try await connection.executeThenClose { inbound, outbound in
                var head: HTTPRequestHead?
                var body: [UInt8] = []
                var tooLarge = false
                for try await part in inbound {
                    switch part {
                    case .head(let requestHead):
                        head = requestHead
                        body = []
                        tooLarge = false
                    case .body(let buffer):
                        if body.count + buffer.readableBytes > maxBodyBytes { tooLarge = true } else {
                            body.append(contentsOf: buffer.readableBytesView)
                        }
                    case .end:
                        guard let requestHead = head else { continue }
                        head = nil
                        let reply: RequestHandler.Reply
                        if tooLarge {
                            reply = .respond(.json(["error": "request body too large"], status: 413))
                        } else {
                            let request = SimulatorRequest(
                                method: requestHead.method.rawValue, uri: requestHead.uri, headers: requestHead.headers,
                                body: body)
                            reply = await handler.handle(request)
                        }
                        switch reply {
                        case .respond(let response):
                            try await Self.write(response, for: requestHead, cut: false, to: outbound)
                            if !requestHead.isKeepAlive { return }
                        case .drop(let response):
                            try await Self.write(response, for: requestHead, cut: true, to: outbound)
                            return
                        case .hang:
                            try? await channel.closeFuture.get()
                            return
                        }
                    }
                }
            }
        } catch {
            logger.debug("Connection ended with an error", metadata: ["error": "\(error)"])
        }
    }

    private static func write(
        _ response: SimulatorResponse, for request: HTTPRequestHead, cut: Bool,
        to outbound: NIOAsyncChannelOutboundWriter<HTTPServerResponsePart>
    ) async throws {
        let bytes = response.body?.serializedBytes ?? []
        var headers = HTTPHeaders()
        if response.body != nil { headers.add(name: "content-type", value: "application/json; charset=utf-8") }
        headers.add(name: "content-length", value: String(bytes.count))
        headers.add(name: "server", value: "Fly/flygate-simulator")
        for (name, value) in response.headers { headers.add(name: name, value: value) }
        if !request.isKeepAlive { headers.add(name: "connection", value: "close") }
        let head = HTTPResponseHead(
            version: request.version, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        // One batch, so one flush: the head and the body leave in one write (one TCP segment for
        // an answer that fits), as a real server's small answers do. Written part by part, each
        // part was a segment of its own, and a client reading two small segments acknowledges
        // them at once (a pure ACK) instead of with its next request.
        var parts: [HTTPServerResponsePart] = [.head(head)]
        let sent = cut ? Array(bytes.prefix(bytes.count / 2)) : bytes
        if !sent.isEmpty { parts.append(.body(.byteBuffer(ByteBuffer(bytes: sent)))) }
        if !cut { parts.append(.end(nil)) }
        try await outbound.write(contentsOf: parts)
    }
}
