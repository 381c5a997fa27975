import FlyGateWire
import NIOCore
import NIOHPACK
import NIOHTTP2

/// What one gRPC request stream brings, in order: its headers, each length-prefixed message,
/// and its end. A message the server will not take becomes `.refused` and ends the parts.
package enum GRPCRequestPart: Sendable {
    case headers(HPACKHeaders)
    case message(ByteBuffer)
    case end
    /// The status to answer with: a message over the maximum, compressed, or cut short.
    case refused(RPCError)
}

/// What the server sends on a gRPC stream: response headers, messages, trailers (which end it).
package enum GRPCResponsePart: Sendable {
    case headers(HPACKHeaders)
    case message(ByteBuffer)
    case trailers(HPACKHeaders)
}

/// In each HTTP/2 stream's pipeline: turns HTTP/2 frames into ``GRPCRequestPart``s (taking
/// messages out of their 5-byte length prefix, refusing any over `maxMessageBytes` from its
/// prefix alone) and ``GRPCResponsePart``s into frames.
package final class GRPCStreamCodec: ChannelDuplexHandler {
    package typealias InboundIn = HTTP2Frame.FramePayload
    package typealias InboundOut = GRPCRequestPart
    package typealias OutboundIn = GRPCResponsePart
    package typealias OutboundOut = HTTP2Frame.FramePayload

    private let maxMessageBytes: Int
    /// The connection's share of the daemon-wide byte budget: partial messages count in it.
    private let account: BufferAccount?
    private var heldBytes = 0
    private var sawHeaders = false
    private var pending = ByteBuffer()
    /// After a refusal or the end, nothing more is passed on.
    private var finished = false
    /// The client has ended its side of the stream (END_STREAM seen), refused or not.
    private var clientEnded = false
    /// Completes when the answer's trailers have been written to the connection.
    private var answerSent: EventLoopFuture<Void>?

    /// A codec refusing messages over `maxMessageBytes`, counting partial ones in `account`.
    package init(maxMessageBytes: Int, account: BufferAccount? = nil) {
        self.maxMessageBytes = maxMessageBytes
        self.account = account
    }

    /// Tells the budget how many bytes of partial messages this stream holds now.
    private func accountPending() {
        let held = self.pending.readableBytes
        guard held != self.heldBytes else { return }
        self.account?.changeInbound(by: held - self.heldBytes)
        self.heldBytes = held
    }

    package func handlerRemoved(context: ChannelHandlerContext) {
        self.pending = ByteBuffer()
        self.accountPending()
    }

    package func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let payload = Self.unwrapInboundIn(data)
        switch payload {
        case .headers(let headers) where headers.endStream: self.clientEnded = true
        case .data(let data) where data.endStream: self.clientEnded = true
        default: break
        }
        guard !self.finished else { return }
        switch payload {
        case .headers(let headers):
            if !self.sawHeaders {
                self.sawHeaders = true
                context.fireChannelRead(Self.wrapInboundOut(.headers(headers.headers)))
            }
            // Later headers are the client's trailers: only their end matters.
            if headers.endStream { self.end(context: context) }
        case .data(let data):
            guard case .byteBuffer(var bytes) = data.data else {
                self.refuse(RPCError(code: .internalError, message: "unexpected file region"), context: context)
                return
            }
            self.pending.writeBuffer(&bytes)
            self.deliverMessages(context: context)
            self.accountPending()
            if data.endStream, !self.finished { self.end(context: context) }
        default:
            break
        }
    }

    /// Passes on every complete message in `pending`.
    private func deliverMessages(context: ChannelHandlerContext) {
        while !self.finished, self.pending.readableBytes >= 5 {
            let flag = self.pending.getInteger(at: self.pending.readerIndex, as: UInt8.self)!
            let length = Int(self.pending.getInteger(at: self.pending.readerIndex + 1, as: UInt32.self)!)
            guard flag == 0 else {
                self.refuse(
                    RPCError(code: .unimplemented, message: "compressed messages are not supported (grpc-encoding identity only)"),
                    context: context)
                return
            }
            guard length <= self.maxMessageBytes else {
                self.refuse(
                    RPCError(
                        code: .resourceExhausted,
                        message: "message of \(length) bytes is over the maximum of \(self.maxMessageBytes)"),
                    context: context)
                return
            }
            guard self.pending.readableBytes >= 5 + length else { return }
            self.pending.moveReaderIndex(forwardBy: 5)
            let message = self.pending.readSlice(length: length)!
            context.fireChannelRead(Self.wrapInboundOut(.message(message)))
        }
        self.pending.discardReadBytes()
    }

    private func end(context: ChannelHandlerContext) {
        guard self.pending.readableBytes == 0 else {
            self.refuse(RPCError(code: .internalError, message: "the stream ended inside a message"), context: context)
            return
        }
        self.finished = true
        context.fireChannelRead(Self.wrapInboundOut(.end))
    }

    private func refuse(_ error: RPCError, context: ChannelHandlerContext) {
        self.finished = true
        self.pending = ByteBuffer()
        self.accountPending()
        context.fireChannelRead(Self.wrapInboundOut(.refused(error)))
    }

    package func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let payload: HTTP2Frame.FramePayload
        switch Self.unwrapOutboundIn(data) {
        case .headers(let headers):
            payload = .headers(.init(headers: headers))
        case .message(var message):
            var framed = context.channel.allocator.buffer(capacity: 5 + message.readableBytes)
            framed.writeInteger(UInt8(0))
            framed.writeInteger(UInt32(message.readableBytes))
            framed.writeBuffer(&message)
            payload = .data(.init(data: .byteBuffer(framed)))
        case .trailers(let trailers):
            let written = promise ?? context.eventLoop.makePromise()
            self.answerSent = written.futureResult
            context.write(Self.wrapOutboundOut(.headers(.init(headers: trailers, endStream: true))), promise: written)
            return
        }
        context.write(Self.wrapOutboundOut(payload), promise: promise)
    }

    /// Holds a close until the trailers are written. The server closes a stream as soon as it
    /// has handed over its answer; but an answer bigger than the client's flow-control window
    /// waits in NIOHTTP2 for a WINDOW_UPDATE, and closing a stream whose end has not been sent
    /// resets it (RST_STREAM CANCEL), which would throw the rest of the answer away. Once the
    /// trailers are out the stream has ended and the close finds it closed; if the client
    /// never opens its window, the stream stays until the connection closes (a connection has
    /// at most SETTINGS_MAX_CONCURRENT_STREAMS of them).
    ///
    /// When the answer ends before the client has ended its side (a refusal mid-request), the
    /// stream is reset with NO_ERROR, as HTTP/2 (RFC 9113 §8.1) and gRPC ask: a close would
    /// reset it with CANCEL, and a gRPC client may then report CANCELLED instead of the status
    /// in the trailers it was sent.
    package func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
        guard mode == .all, let answerSent = self.answerSent else {
            context.close(mode: mode, promise: promise)
            return
        }
        let bound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        answerSent.whenComplete { result in
            let (codec, context) = bound.value
            if case .success = result, !codec.clientEnded {
                context.writeAndFlush(Self.wrapOutboundOut(.rstStream(.noError)), promise: nil)
            }
            context.close(mode: mode, promise: promise)
        }
    }
}
