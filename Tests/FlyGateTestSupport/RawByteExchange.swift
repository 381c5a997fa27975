import FlyGateWire
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#endif

/// One exchange of raw bytes on a fresh connection, for tests that must see exactly what a
/// server sends (or that it sends nothing): no decoder in between.
package struct RawByteExchange: Sendable {
    /// Every byte the server sent before the exchange ended.
    package var received: [UInt8]
    /// Whether the server closed the connection (end of stream, or a reset) before
    /// `atLeast` bytes arrived.
    package var closedByServer: Bool

    /// The HTTP/2 client connection preface every gRPC client sends first.
    package static let http2Preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// Connects to `path`, sends `bytes`, then reads until `atLeast` bytes have arrived or the
    /// server closes the connection. The connection is closed when `timeout` passes (then this
    /// throws ``TimeoutError``) and at the end.
    package static func run(
        _ path: String,
        sending bytes: [UInt8],
        atLeast: Int,
        timeout: Duration = .seconds(10)
    ) async throws -> RawByteExchange {
        let started = ContinuousClock.now
        let connected = try await SocketPath.connectWaitingForRoom {
            try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(unixDomainSocketPath: path) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
                    }
                }
        }
        let channel = connected.channel
        let timer = channel.eventLoop.scheduleTask(in: .nanoseconds(timeout.nanoseconds)) {
            channel.close(promise: nil)
        }
        defer { timer.cancel() }
        let exchange = try await withTaskCancellationHandler {
            try await connected.executeThenClose { inbound, outbound in
                // A server that has already closed fails the write; what it sent is still read.
                try? await outbound.write(ByteBuffer(bytes: bytes))
                var received: [UInt8] = []
                do {
                    for try await chunk in inbound {
                        received += chunk.readableBytesView
                        if received.count >= atLeast {
                            return RawByteExchange(received: received, closedByServer: false)
                        }
                    }
                } catch let error as IOError where error.errnoCode == ECONNRESET {
                    // Closed with our bytes unread: a reset rather than an end of stream.
                }
                return RawByteExchange(received: received, closedByServer: true)
            }
        } onCancel: {
            channel.close(promise: nil)
        }
        if exchange.closedByServer, ContinuousClock.now >= started + timeout {
            throw TimeoutError("a raw exchange on \(path)", after: timeout)
        }
        return exchange
    }
}

extension Duration {
    fileprivate var nanoseconds: Int64 {
        components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000
    }
}
