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
    /// Binds the listener and sets up each accepted connection's pipeline.
    ///
    /// Each child reads its peer's credentials once, then gets the buffer budget's handler
    /// (next to the socket), the frame coders and an
    /// `NIOAsyncChannel` whose inbound side pauses reading when the serving task falls behind.
    func bind() async throws -> (
        NIOAsyncChannel<AcceptedConnection, Never>,
        (file: UnixSocketFile, identity: UnixSocketFile.Identity)?
    ) {
        let maxFrameBytes = self.configuration.maxFrameBytes
        let outbound = self.configuration.maxOutboundBufferBytes
        let budget = self.bufferBudget
        let bootstrap = ServerBootstrap(group: self.eventLoopGroup)
            .serverChannelOption(.backlog, value: 128)
            .childChannelOption(.writeBufferWaterMark, value: .init(low: outbound / 2, high: outbound))
        let maxInFlight = self.configuration.maxInFlightPerConnection
        let initializer: @Sendable (any Channel) -> EventLoopFuture<AcceptedConnection> = { channel in
            PeerCredentials.read(from: channel).flatMapThrowing { peer in
                let pipeline = channel.pipeline.syncOperations
                let account = BufferAccount(budget: budget)
                try pipeline.addHandler(BufferBudgetHandler(account: account))
                let sniffer = ProtocolSniffer<NegotiatedConnection>(eventLoop: channel.eventLoop) { wire, channel in
                    switch wire {
                    case .ttrpc:
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

        switch self.configuration.listener {
        case .inheritedSocket(let descriptor):
            let listener = try await bootstrap.bind(descriptor, childChannelInitializer: initializer)
            return (listener, nil)

        case .socketPath(let path):
            let groupID = try self.configuration.socketGroup.map(UnixSocketFile.groupID(named:))
            let file = UnixSocketFile(path: path, groupID: groupID)
            try await file.prepareForBind(eventLoopGroup: self.eventLoopGroup)
            let listener = try await bootstrap.bind(
                unixDomainSocketPath: path,
                cleanupExistingSocketFile: false,
                childChannelInitializer: initializer
            )
            do {
                return (listener, (file, try file.secureBoundSocket()))
            } catch {
                try? await listener.channel.close()
                unlink(path)
                throw error
            }
        }
    }

    /// The ttrpc side: frame coders and an `NIOAsyncChannel` whose inbound side pauses
    /// reading when the serving task falls behind.
    private static func configureTTRPC(
        _ channel: any Channel, account: BufferAccount, maxFrameBytes: Int
    ) throws -> NIOAsyncChannel<TTRPCInboundFrame, TTRPCFrame> {
        let pipeline = channel.pipeline.syncOperations
        try pipeline.addHandler(ByteToMessageHandler(
            BudgetedFrameDecoder(decoder: TTRPCFrameDecoder(maxDataBytes: maxFrameBytes), account: account)))
        try pipeline.addHandler(MessageToByteHandler(TTRPCFrameEncoder(maxDataBytes: maxFrameBytes)))
        return try NIOAsyncChannel<TTRPCInboundFrame, TTRPCFrame>(
            wrappingChannelSynchronously: channel,
            configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8))
        )
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
                return try NIOAsyncChannel<GRPCRequestPart, GRPCResponsePart>(
                    wrappingChannelSynchronously: stream,
                    configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8))
                )
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
