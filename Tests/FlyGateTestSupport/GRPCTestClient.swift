import FlyGateWire
import NIOCore
import NIOHPACK
import NIOHTTP2
import NIOPosix

/// A minimal gRPC client for tests: unary calls over one HTTP/2 connection (NIOHTTP2's client
/// side, which keeps the protocol — settings, flow control, HPACK — as a real stack does), each
/// call a stream of its own.
package struct GRPCTestClient: Sendable {
    /// What a unary call got: its gRPC status, message and (when OK) the response message.
    package struct Answer: Sendable {
        /// The `grpc-status` (-1 when the answer carried none).
        package var status: Int
        /// The `grpc-message`, as sent (percent-encoded).
        package var message: String
        /// The response message, without its length prefix.
        package var response: [UInt8]
    }

    private let multiplexer: NIOHTTP2Handler.AsyncStreamMultiplexer<Void>

    /// Connects to `path`, runs `body` with the client and closes the connection on every exit path.
    package static func with<T: Sendable>(_ path: String, _ body: (GRPCTestClient) async throws -> T) async throws -> T {
        let (channel, multiplexer) = try await SocketPath.connectWaitingForRoom {
            try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(unixDomainSocketPath: path) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        let multiplexer = try channel.pipeline.syncOperations.configureAsyncHTTP2Pipeline(mode: .client) { stream in
                            // The server opens no streams; refuse any it tries.
                            stream.close()
                        }
                        return (channel, multiplexer)
                    }
                }
        }
        return try await withResource({ GRPCTestClient(multiplexer: multiplexer) }, release: { _ in
            try? await channel.close()
        }, body)
    }

    /// Calls `path` (`/service/method`) with `request`, giving up after `timeout` (also sent as `grpc-timeout`).
    package func unary(_ path: String, _ request: [UInt8], timeout: Duration = .seconds(10)) async throws -> Answer {
        let stream = try await self.multiplexer.openStream { channel in
            channel.eventLoop.makeCompletedFuture {
                try NIOAsyncChannel<HTTP2Frame.FramePayload, HTTP2Frame.FramePayload>(wrappingChannelSynchronously: channel)
            }
        }
        let milliseconds = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        let streamChannel = stream.channel
        return try await withTimeout(timeout, "the gRPC call \(path)", onTimeout: { streamChannel.close(promise: nil) }) {
            try await stream.executeThenClose { inbound, outbound in
                var headers: HPACKHeaders = [
                    ":method": "POST", ":scheme": "http", ":path": path, ":authority": "localhost",
                    "content-type": "application/grpc", "te": "trailers", "grpc-timeout": "\(milliseconds)m",
                ]
                headers.add(name: "user-agent", value: "flygate-tests")
                try await outbound.write(.headers(.init(headers: headers)))
                try await outbound.write(.data(.init(data: .byteBuffer(ByteBuffer(bytes: HTTP2Wire.grpcMessage(request))), endStream: true)))
                var answer = Answer(status: -1, message: "", response: [])
                var body: [UInt8] = []
                // The stream ends (and this loop with it) when the server has ended its side.
                for try await part in inbound {
                    switch part {
                    case .headers(let received):
                        if let status = received.headers.first(name: "grpc-status") {
                            answer.status = Int(status) ?? -1
                            answer.message = received.headers.first(name: "grpc-message") ?? ""
                        }
                    case .data(let received):
                        if case .byteBuffer(let bytes) = received.data { body += Array(bytes.readableBytesView) }
                    default:
                        continue
                    }
                }
                if body.count >= 5 { answer.response = Array(body.dropFirst(5)) }
                return answer
            }
        }
    }
}
