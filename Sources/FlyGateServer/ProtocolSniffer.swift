import NIOCore

/// The protocol a connection speaks, told by its first bytes: the HTTP/2 client preface
/// (`PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n`) means gRPC; anything else is ttrpc, whose frames start
/// with a big-endian length (first byte 0 for any frame within the limits), so a ttrpc peer
/// sees exactly what it saw before gRPC was served.
enum WireProtocol: Sendable, Equatable {
    case ttrpc
    case http2
}

/// First in a new connection's pipeline (after the buffer budget): holds the first bytes until
/// they tell the protocol, asks `configure` to set up that protocol's handlers after itself,
/// then passes the bytes on and leaves the pipeline. `negotiated` fails if the connection
/// closes first.
final class ProtocolSniffer<Negotiated: Sendable>: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    static var http2Preface: [UInt8] { Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8) }

    private let configure: (WireProtocol, any Channel) throws -> Negotiated
    private let promise: EventLoopPromise<Negotiated>
    private var buffered: ByteBuffer?
    private var decided = false

    var negotiated: EventLoopFuture<Negotiated> { self.promise.futureResult }

    init(eventLoop: any EventLoop, configure: @escaping (WireProtocol, any Channel) throws -> Negotiated) {
        self.configure = configure
        self.promise = eventLoop.makePromise()
    }

    /// What `bytes`, the start of a connection, say: a protocol, or nil while they could
    /// still be the start of the HTTP/2 preface.
    static func classify(_ bytes: ByteBufferView) -> WireProtocol? {
        let preface = Self.http2Preface
        for (index, byte) in zip(preface.indices, bytes) where byte != preface[index] {
            return .ttrpc
        }
        return bytes.count >= preface.count ? .http2 : nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var bytes = Self.unwrapInboundIn(data)
        if var held = self.buffered {
            held.writeBuffer(&bytes)
            bytes = held
        }
        guard let wire = Self.classify(bytes.readableBytesView) else {
            self.buffered = bytes
            return
        }
        self.buffered = nil
        self.decided = true
        do {
            let negotiated = try self.configure(wire, context.channel)
            self.promise.succeed(negotiated)
        } catch {
            self.promise.fail(error)
            context.close(promise: nil)
            return
        }
        context.fireChannelRead(Self.wrapInboundOut(bytes))
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.giveUp()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.giveUp()
    }

    /// The connection went before its first bytes told the protocol.
    private func giveUp() {
        guard !self.decided else { return }
        self.decided = true
        self.promise.fail(ChannelError.eof)
    }
}
