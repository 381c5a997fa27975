import FlyGateWire
import NIOCore
import NIOHTTP2
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

extension RPCServer {
    /// How many connections the kernel queues for the daemon before it accepts them.
    ///
    /// A burst of connects (many clients starting at once, or a flood) meets a full queue with
    /// EAGAIN, which a Unix socket's client sees as a failed connect. 4,096 is what Go's and
    /// the kernel's own defaults come to today; the kernel lowers it to `net.core.somaxconn`.
    static let listenBacklog: Int32 = 4096

    /// A listening socket and what the server made for it.
    struct BoundListener: Sendable {
        var channel: NIOAsyncChannel<AcceptedConnection, Never>
        /// The socket file the server bound and must unlink; nil for an inherited socket.
        var socketFile: (file: UnixSocketFile, identity: UnixSocketFile.Identity)?
        /// The path, or `fd:N` for an inherited socket.
        var address: String
        /// Whether it serves gRPC only (else ttrpc and gRPC, told by the first bytes).
        var grpcOnly: Bool

        /// The socket file's identity, also for an inherited socket bound at a path.
        var identity: UnixSocketFile.Identity? {
            if let socketFile { return socketFile.identity }
            return self.channel.channel.localAddress?.pathname.flatMap(UnixSocketFile.identity(of:))
        }

        /// Closes a listener that will not be served, and unlinks its file.
        func discard() async {
            try? await self.channel.executeThenClose { _ in }
            if let socketFile { socketFile.file.remove(ifStill: socketFile.identity) }
        }
    }

    /// Binds the configured socket and, when configured, the gRPC-only socket; if the second
    /// cannot be bound, the first is closed and unlinked again.
    func bindListeners() async throws -> [BoundListener] {
        let first = try await self.bind(self.configuration.listener, grpcOnly: false, besides: nil)
        guard let grpcOnly = self.configuration.grpcOnlyListener else { return [first] }
        do {
            return [first, try await self.bind(grpcOnly, grpcOnly: true, besides: first)]
        } catch {
            await first.discard()
            throw error
        }
    }

    /// Binds one listener and sets up each accepted connection's pipeline.
    ///
    /// Each child reads its peer's credentials once, then gets the buffer budget's handler
    /// (next to the socket) and the protocol sniffer, which adds the frame coders of the
    /// protocol the first bytes name (on a gRPC-only listener, a connection that is not HTTP/2
    /// is closed there, before a byte is answered).
    ///
    /// `besides` is a listener already bound: a path that names its file is refused.
    private func bind(
        _ listener: Configuration.Listener, grpcOnly: Bool, besides other: BoundListener?
    ) async throws -> BoundListener {
        let initializer = self.childInitializer(grpcOnly: grpcOnly)
        let outbound = self.configuration.maxOutboundBufferBytes
        let bootstrap = ServerBootstrap(group: self.eventLoopGroup)
            .serverChannelOption(.backlog, value: Self.listenBacklog)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: outbound / 2, high: outbound))

        switch listener {
        case .inheritedSocket(let descriptor):
            let channel = try await bootstrap.bind(descriptor, childChannelInitializer: initializer)
            return BoundListener(channel: channel, socketFile: nil, address: listener.description, grpcOnly: grpcOnly)

        case .socketPath(let path):
            if let taken = other?.identity, UnixSocketFile.identity(of: path) == taken {
                throw ServerError(
                    code: .invalidConfiguration,
                    message: "the gRPC-only socket \(path) is the same file as the socket \(other?.address ?? "")")
            }
            let groupID = try self.configuration.socketGroup.map(UnixSocketFile.groupID(named:))
            let file = UnixSocketFile(path: path, groupID: groupID)
            try await file.prepareForBind(eventLoopGroup: self.eventLoopGroup)
            let channel = try await bootstrap.bind(
                unixDomainSocketPath: path,
                cleanupExistingSocketFile: false,
                childChannelInitializer: initializer
            )
            do {
                return BoundListener(
                    channel: channel, socketFile: (file, try file.secureBoundSocket()), address: path, grpcOnly: grpcOnly)
            } catch {
                try? await channel.executeThenClose { _ in }
                unlink(path)
                throw error
            }
        }
    }

    /// The child channel initializer: peer credentials, the answer barrier's and the buffer
    /// budget's handlers, the sniffer.
    private func childInitializer(grpcOnly: Bool) -> @Sendable (any Channel) -> EventLoopFuture<AcceptedConnection> {
        let maxFrameBytes = self.configuration.maxFrameBytes
        let maxInFlight = self.configuration.maxInFlightPerConnection
        let budget = self.bufferBudget
        let barrier = self.answerBarrier
        return { channel in
            PeerCredentials.read(from: channel).flatMapThrowing { peer in
                let pipeline = channel.pipeline.syncOperations
                if let barrier { try pipeline.addHandler(AnswerBarrierHandler(barrier)) }
                let account = BufferAccount(budget: budget)
                try pipeline.addHandler(BufferBudgetHandler(account: account))
                let sniffer = ProtocolSniffer<NegotiatedConnection>(eventLoop: channel.eventLoop) { wire, channel in
                    switch wire {
                    case .ttrpc:
                        guard !grpcOnly else { throw ProtocolNotServed() }
                        return .ttrpc(try Self.configureTTRPC(channel, account: account, maxFrameBytes: maxFrameBytes))
                    case .http2:
                        return .grpc(try Self.configureGRPC(
                            channel, account: account, maxInFlight: maxInFlight, maxMessageBytes: maxFrameBytes))
                    }
                }
                try pipeline.addHandler(sniffer)
                return AcceptedConnection(channel: channel, peer: peer, negotiated: sniffer.negotiated)
            }
        }
    }

    /// The ttrpc side: frame coders, the gate that admits calls and answers those that run
    /// inline (``TTRPCCallGate``), and an `NIOAsyncChannel` carrying the other calls, whose
    /// inbound side pauses reading when the serving task falls behind.
    private static func configureTTRPC(
        _ channel: any Channel, account: BufferAccount, maxFrameBytes: Int
    ) throws -> TTRPCChannel {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(ByteToMessageHandler(
            BudgetedFrameDecoder(decoder: TTRPCFrameDecoder(maxDataBytes: maxFrameBytes), account: account)))
        try pipeline.addHandler(MessageToByteHandler(TTRPCFrameEncoder(maxDataBytes: maxFrameBytes)))
        let gate = TTRPCCallGate()
        try pipeline.addHandler(gate)
        let calls = try NIOAsyncChannel<RPCDispatcher.PreparedCall, TTRPCFrame>.closingIfUnserved(
            channel, configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8)))
        return TTRPCChannel(channel: calls, gate: NIOLoopBound(gate, eventLoop: channel.eventLoop))
    }

    /// The most header bytes (HPACK-decoded) a gRPC request may carry.
    static let maxHeaderListBytes = 16 * 1024

    /// The gRPC side: HTTP/2 with at most `maxInFlight` concurrent streams and 16 KiB of
    /// headers, each stream a gRPC codec (its partial messages counted in the connection's
    /// `account`, so an over-budget connection stops being read as a ttrpc one does) and an
    /// `NIOAsyncChannel`; a connection error closes the connection after NIOHTTP2's GOAWAY.
    private static func configureGRPC(
        _ channel: any Channel, account: BufferAccount, maxInFlight: Int, maxMessageBytes: Int
    ) throws -> GRPCStreamMultiplexer {
        // Stream channels run on the connection's event loop, where the account lives.
        let account = NIOLoopBound(account, eventLoop: channel.eventLoop)
        var configuration = NIOHTTP2Handler.Configuration()
        configuration.connection.initialSettings = [
            HTTP2Setting(parameter: .maxConcurrentStreams, value: maxInFlight),
            HTTP2Setting(parameter: .maxHeaderListSize, value: Self.maxHeaderListBytes),
        ]
        let multiplexer = try channel.pipeline.syncOperations.configureAsyncHTTP2Pipeline(
            mode: .server, configuration: configuration
        ) { stream in
            stream.eventLoop.makeCompletedFuture {
                try stream.pipeline.syncOperations.addHandler(
                    GRPCStreamCodec(maxMessageBytes: maxMessageBytes, account: account.value))
                return try NIOAsyncChannel<GRPCRequestPart, GRPCResponsePart>.closingIfUnserved(
                    stream, configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8)))
            }
        }
        try channel.pipeline.syncOperations.addHandler(CloseOnErrorHandler())
        return multiplexer
    }
}

/// Last in an HTTP/2 connection's pipeline: a connection error (NIOHTTP2 has sent GOAWAY)
/// closes the connection.
final class CloseOnErrorHandler: ChannelInboundHandler {
    typealias InboundIn = Any

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}

/// A connection's first bytes name a protocol its listener does not serve (ttrpc, or anything
/// but HTTP/2, on the gRPC-only socket): it is closed without an answer.
struct ProtocolNotServed: Error, Sendable {}
