import NIOCore
import NIOPosix
import Synchronization

/// A TCP server on loopback that answers each HTTP request (head only: the tests send no
/// bodies) with the bytes its script gives, for answers the simulator would never send:
/// malformed, closed after every answer, or closed while idle.
final class ScriptedHTTPServer: Sendable {
    /// What to do with the `number`th request (0-based, over all connections).
    struct Reply: Sendable {
        var bytes: [UInt8]
        /// Close the connection after writing.
        var close = false
        /// Close the connection this long after writing (as a server ends an idle keep-alive).
        var closeLater: TimeAmount? = nil
    }

    private let channel: any Channel
    private let counters: Counters

    /// Connections accepted so far.
    var acceptedConnections: Int { counters.accepted.load(ordering: .relaxed) }
    /// Connections closed so far (by either side).
    var closedConnections: Int { counters.closed.load(ordering: .relaxed) }
    /// Requests read so far.
    var requests: Int { counters.requests.load(ordering: .relaxed) }
    /// `http://127.0.0.1:PORT`.
    let baseURL: String

    private init(channel: any Channel, counters: Counters) {
        self.channel = channel
        self.counters = counters
        baseURL = "http://127.0.0.1:\(channel.localAddress?.port ?? 0)"
    }

    /// Runs `body` with a server answering by `script`, and closes it after.
    static func with(
        script: @escaping @Sendable (Int) -> Reply, _ body: (ScriptedHTTPServer) async throws -> Void
    ) async throws {
        let counters = Counters()
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                counters.accepted.add(1, ordering: .relaxed)
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(RequestReader(counters: counters, script: script))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        let server = ScriptedHTTPServer(channel: channel, counters: counters)
        do {
            try await body(server)
        } catch {
            try? await channel.close()
            throw error
        }
        try await channel.close()
    }

    /// A 200 answer with a small JSON machine, kept alive unless `close`.
    static func machine(close: Bool = false) -> Reply {
        let body = #"{"id":"m1","name":"m1","state":"started","region":"iad"}"#
        var head = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: \(body.utf8.count)\r\n"
        if close { head += "connection: close\r\n" }
        return Reply(bytes: Array((head + "\r\n" + body).utf8), close: close)
    }

    private final class Counters: Sendable {
        let accepted = Atomic<Int>(0)
        let requests = Atomic<Int>(0)
        let closed = Atomic<Int>(0)
    }

    private final class RequestReader: ChannelInboundHandler {
        typealias InboundIn = ByteBuffer
        typealias OutboundOut = ByteBuffer
        private let counters: Counters
        private let script: @Sendable (Int) -> Reply
        private var pending: [UInt8] = []

        init(counters: Counters, script: @escaping @Sendable (Int) -> Reply) {
            self.counters = counters
            self.script = script
        }

        func channelInactive(context: ChannelHandlerContext) {
            counters.closed.add(1, ordering: .relaxed)
            context.fireChannelInactive()
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            pending += Array(buffer: unwrapInboundIn(data))
            let end = Array("\r\n\r\n".utf8)
            while let range = pending.firstRange(of: end) {
                pending.removeSubrange(..<range.upperBound)
                let reply = script(counters.requests.add(1, ordering: .relaxed).oldValue)
                context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(bytes: reply.bytes)), promise: nil)
                if reply.close {
                    context.close(promise: nil)
                    return
                }
                if let delay = reply.closeLater {
                    let channel = context.channel
                    context.eventLoop.scheduleTask(in: delay) { channel.close(promise: nil) }
                }
            }
        }
    }
}
