import FlyGateWire
import NIOCore

/// Next to the socket: counts a connection's queued output against the ``BufferBudget`` and
/// holds back its reads while the budget says to wait.
final class BufferBudgetHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let account: BufferAccount
    private var readHeldBack = false

    init(account: BufferAccount) {
        self.account = account
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        let bytes = Self.unwrapOutboundIn(data).readableBytes
        self.account.changeOutbound(by: bytes)
        let promise = promise ?? context.eventLoop.makePromise()
        let account = NIOLoopBound(self.account, eventLoop: context.eventLoop)
        promise.futureResult.whenComplete { _ in account.value.changeOutbound(by: -bytes) }
        context.write(data, promise: promise)
    }

    func read(context: ChannelHandlerContext) {
        let loopBound = NIOLoopBound((self, context), eventLoop: context.eventLoop)
        let eventLoop = context.eventLoop
        let allowed = self.account.mayRead {
            eventLoop.execute {
                let (handler, context) = loopBound.value
                guard handler.readHeldBack else { return }
                handler.readHeldBack = false
                handler.read(context: context)
            }
        }
        if allowed {
            context.read()
        } else {
            self.readHeldBack = true
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        self.account.close()
        context.fireChannelInactive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        self.account.close()
    }
}

/// The frame decoder, telling the connection's ``BufferAccount`` how much of a partial frame it holds.
struct BudgetedFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = TTRPCInboundFrame

    var decoder: TTRPCFrameDecoder
    let account: BufferAccount

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let state = try self.decoder.decode(context: context, buffer: &buffer)
        // After every step, not only at needMoreData: a step that takes the last byte is not
        // followed by another call.
        self.account.holdInbound(buffer.readableBytes)
        return state
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        let state = try self.decoder.decodeLast(context: context, buffer: &buffer, seenEOF: seenEOF)
        self.account.holdInbound(buffer.readableBytes)
        return state
    }

    mutating func decoderRemoved(context: ChannelHandlerContext) {
        self.account.holdInbound(0)
    }
}
