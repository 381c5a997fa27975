import FlyGateWire
import NIOCore
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
        let initializer: @Sendable (any Channel) -> EventLoopFuture<AcceptedConnection> = { channel in
            PeerCredentials.read(from: channel).flatMapThrowing { peer in
                let pipeline = channel.pipeline.syncOperations
                let account = BufferAccount(budget: budget)
                try pipeline.addHandler(BufferBudgetHandler(account: account))
                try pipeline.addHandler(ByteToMessageHandler(
                    BudgetedFrameDecoder(decoder: TTRPCFrameDecoder(maxDataBytes: maxFrameBytes), account: account)))
                try pipeline.addHandler(MessageToByteHandler(TTRPCFrameEncoder(maxDataBytes: maxFrameBytes)))
                let asyncChannel = try NIOAsyncChannel<TTRPCInboundFrame, TTRPCFrame>(
                    wrappingChannelSynchronously: channel,
                    configuration: .init(backPressureStrategy: .init(lowWatermark: 2, highWatermark: 8))
                )
                return AcceptedConnection(channel: asyncChannel, peer: peer)
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
}
