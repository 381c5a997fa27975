@testable import FlyGateServer
import FlyGateWire
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2
import Testing

/// The gRPC side's parts on their own: telling the protocols apart, request headers, the
/// message framing and its limits.
@Suite("gRPC protocol")
struct GRPCProtocolTests {
    @Test("the HTTP/2 preface, and only the whole preface, selects HTTP/2; a ttrpc frame or anything else stays ttrpc")
    func sniffing() {
        func classify(_ bytes: [UInt8]) -> WireProtocol? {
            ProtocolSniffer<Int>.classify(ByteBuffer(bytes: bytes).readableBytesView)
        }
        let preface = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)
        #expect(classify(preface) == .http2)
        #expect(classify(preface + [0, 0, 0]) == .http2)
        #expect(classify(Array(preface.prefix(10))) == nil, "a partial preface waits for more")
        #expect(classify([]) == nil)
        #expect(classify([0, 0, 0, 5, 0, 0, 0, 1, 1, 0]) == .ttrpc)
        #expect(classify(Array("PRI * HTTP/1.1\r\n".utf8)) == .ttrpc, "a near miss is ttrpc (an oversized frame there)")
        #expect(classify(Array("GET / HTTP/1.1\r\n".utf8)) == .ttrpc)
    }

    @Test("request headers: path, content type, deadline and metadata; refusals as HTTP or gRPC statuses")
    func requestHead() throws {
        let good: HPACKHeaders = [
            ":method": "POST", ":path": "/flygate.machines.v1.Machines/Show", ":scheme": "http", ":authority": "localhost",
            "content-type": "application/grpc+proto", "te": "trailers", "grpc-timeout": "250m",
            "flygate-no-coalesce": "1", "User-Agent": "x", "x-trace": "abc",
        ]
        let head = try GRPCRequestHead(good)
        #expect(head.service == "flygate.machines.v1.Machines")
        #expect(head.method == "Show")
        #expect(head.timeoutNanoseconds == 250_000_000)
        #expect(head.metadata.map(\.key) == ["flygate-no-coalesce", "x-trace"])

        func refusal(_ change: (inout HPACKHeaders) -> Void) -> GRPCRequestHead.Refusal? {
            var headers = good
            change(&headers)
            do throws(GRPCRequestHead.Refusal) {
                _ = try GRPCRequestHead(headers)
                return nil
            } catch {
                return error
            }
        }
        guard case .http(405)? = refusal({ $0.replaceOrAdd(name: ":method", value: "GET") }) else { Issue.record("GET"); return }
        guard case .http(415)? = refusal({ $0.replaceOrAdd(name: "content-type", value: "text/plain") }) else {
            Issue.record("text/plain"); return
        }
        guard case .grpc(let json)? = refusal({ $0.replaceOrAdd(name: "content-type", value: "application/grpc+json") }) else {
            Issue.record("json"); return
        }
        #expect(json.code == .unimplemented)
        guard case .grpc(let gzip)? = refusal({ $0.add(name: "grpc-encoding", value: "gzip") }) else { Issue.record("gzip"); return }
        #expect(gzip.code == .unimplemented)
        guard case .grpc(let path)? = refusal({ $0.replaceOrAdd(name: ":path", value: "/only-one") }) else { Issue.record("path"); return }
        #expect(path.code == .unimplemented)
        guard case .grpc(let timeout)? = refusal({ $0.replaceOrAdd(name: "grpc-timeout", value: "12x") }) else {
            Issue.record("timeout"); return
        }
        #expect(timeout.code == .invalidArgument)
        #expect(try GRPCRequestHead({ var h = good; h.replaceOrAdd(name: "grpc-timeout", value: "0S"); return h }()).timeoutNanoseconds < 0,
                "a zero timeout has already passed")
    }

    @Test("grpc-timeout units, bounds and overflow")
    func timeouts() {
        #expect(GRPCRequestHead.nanoseconds(ofTimeout: "1H") == 3_600_000_000_000)
        #expect(GRPCRequestHead.nanoseconds(ofTimeout: "2M") == 120_000_000_000)
        #expect(GRPCRequestHead.nanoseconds(ofTimeout: "3S") == 3_000_000_000)
        #expect(GRPCRequestHead.nanoseconds(ofTimeout: "4u") == 4_000)
        #expect(GRPCRequestHead.nanoseconds(ofTimeout: "5n") == 5)
        #expect(GRPCRequestHead.nanoseconds(ofTimeout: "99999999H") == Int64.max)
        for bad in ["", "S", "123456789S", "-1S", "1s", "1.5S", "１S"] {
            #expect(GRPCRequestHead.nanoseconds(ofTimeout: bad) == nil, "\(bad)")
        }
    }

    @Test("grpc-message is percent-encoded outside printable ASCII, and % itself")
    func percentEncoding() {
        #expect(HPACKHeaders.percentEncoded("machine not found: x") == "machine not found: x")
        #expect(HPACKHeaders.percentEncoded("100%\n\u{1B}[31m é") == "100%25%0A%1B[31m %C3%A9")
    }

    /// Feeds `frames` to a stream codec and returns the parts it passes on.
    private func parts(_ frames: [HTTP2Frame.FramePayload], maxMessageBytes: Int = 16) throws -> [GRPCRequestPart] {
        let channel = EmbeddedChannel(handler: GRPCStreamCodec(maxMessageBytes: maxMessageBytes))
        defer { _ = try? channel.finish() }
        for frame in frames { try channel.writeInbound(frame) }
        var parts: [GRPCRequestPart] = []
        while let part = try channel.readInbound(as: GRPCRequestPart.self) { parts.append(part) }
        return parts
    }

    private func data(_ bytes: [UInt8], end: Bool = false) -> HTTP2Frame.FramePayload {
        .data(.init(data: .byteBuffer(ByteBuffer(bytes: bytes)), endStream: end))
    }

    private func describe(_ parts: [GRPCRequestPart]) -> [String] {
        parts.map { part in
            switch part {
            case .headers: "headers"
            case .message(let message): "message \(Array(message.readableBytesView))"
            case .end: "end"
            case .refused(let error): "refused \(error.code)"
            }
        }
    }

    @Test("messages are taken out of their length prefix across frames; two in one frame; the end")
    func framing() throws {
        let headers = HTTP2Frame.FramePayload.headers(.init(headers: [":method": "POST"]))
        let parts = try self.parts([headers, data([0, 0, 0, 0, 3, 1]), data([2, 3, 0, 0, 0, 0, 1, 9]), data([], end: true)])
        #expect(describe(parts) == ["headers", "message [1, 2, 3]", "message [9]", "end"])
    }

    @Test("a message over the maximum is refused from its prefix alone; compressed and cut-short messages are refused")
    func refusals() throws {
        let oversized = try self.parts([data([0, 0xFF, 0xFF, 0xFF, 0xFF])])
        #expect(describe(oversized) == ["refused RESOURCE_EXHAUSTED"])
        let compressed = try self.parts([data([1, 0, 0, 0, 1, 7], end: true)])
        #expect(describe(compressed) == ["refused UNIMPLEMENTED"])
        let truncated = try self.parts([data([0, 0, 0, 0, 4, 1], end: true)])
        #expect(describe(truncated) == ["refused INTERNAL"])
        let afterRefusal = try self.parts([data([0, 0, 0, 1, 0]), data([0, 0, 0, 0, 1, 5], end: true)])
        #expect(describe(afterRefusal) == ["refused RESOURCE_EXHAUSTED"], "nothing is passed on after a refusal")
    }

    /// Holds every write's promise, as NIOHTTP2 holds an answer waiting for the client's
    /// window, and notes when a close reaches it (which on a real stream sends RST_STREAM).
    final class HeldWrites: ChannelOutboundHandler {
        typealias OutboundIn = HTTP2Frame.FramePayload
        var promises: [EventLoopPromise<Void>] = []
        var closed = false

        func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
            self.promises.append(promise ?? context.eventLoop.makePromise())
        }

        func close(context: ChannelHandlerContext, mode: CloseMode, promise: EventLoopPromise<Void>?) {
            self.closed = true
            context.close(mode: mode, promise: promise)
        }
    }

    @Test("closing a stream waits until its answer's trailers are written, so an answer waiting for the client's window is not reset")
    func closeWaitsForTheAnswer() throws {
        let held = HeldWrites()
        let channel = EmbeddedChannel(handlers: [held, GRPCStreamCodec(maxMessageBytes: 16)])
        channel.write(GRPCResponsePart.headers([":status": "200"]), promise: nil)
        channel.write(GRPCResponsePart.message(ByteBuffer(bytes: [1, 2, 3])), promise: nil)
        channel.writeAndFlush(GRPCResponsePart.trailers(["grpc-status": "0"]), promise: nil)
        channel.close(promise: nil)
        #expect(!held.closed, "closed (which resets the stream) while the answer was still on its way")
        for promise in held.promises { promise.succeed() }
        #expect(held.closed)

        // A stream that wrote no answer closes at once.
        let quiet = HeldWrites()
        let silent = EmbeddedChannel(handlers: [quiet, GRPCStreamCodec(maxMessageBytes: 16)])
        silent.close(promise: nil)
        #expect(quiet.closed)
    }

    @Test("partial messages count in the daemon-wide byte budget until they are whole, refused or the stream goes")
    func budget() throws {
        let budget = BufferBudget(capacity: 64 * 1024)
        let account = BufferAccount(budget: budget)
        let channel = EmbeddedChannel(handler: GRPCStreamCodec(maxMessageBytes: 1024, account: account))
        try channel.writeInbound(data([0, 0, 0, 0, 10, 1, 2, 3]))
        #expect(budget.bufferedBytes == 8)
        try channel.writeInbound(data([4, 5, 6, 7, 8, 9, 10, 0, 0]))
        #expect(budget.bufferedBytes == 2, "the whole message left; two bytes of the next prefix stay")
        _ = try channel.finish()
        #expect(budget.bufferedBytes == 0, "a closed stream gives its share back")

        let refusing = EmbeddedChannel(handler: GRPCStreamCodec(maxMessageBytes: 4, account: account))
        try refusing.writeInbound(data([0, 0, 0, 0, 9, 1]))
        #expect(budget.bufferedBytes == 0, "a refused message holds nothing")
        _ = try refusing.finish()
    }
}
