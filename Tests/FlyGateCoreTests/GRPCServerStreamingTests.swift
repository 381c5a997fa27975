import FlyGateServer
import FlyGateTestSupport
import FlyGateWire
import Foundation
import NIOCore
import Testing

/// Server-streaming methods registered on the router, called over gRPC by a hand-driven HTTP/2
/// client (so that flow control is the test's to give or withhold): headers, one message per
/// send, trailers; Trailers-Only for an end before any message; reset, close and deadline.
@Suite("server streaming over gRPC", .timeLimit(.minutes(1)))
struct GRPCServerStreamingTests {
    /// What the server sent on one stream until it ended it.
    struct Answer {
        var headerBlocks: [HTTP2InboundFrame] = []
        var messages: [Ttrpc_KeyValue] = []
        var dataFrames = 0

        var trailers: HTTP2InboundFrame? { self.headerBlocks.last.flatMap { $0.endStream ? $0 : nil } }
        var status: String? { self.trailers?.field("grpc-status") }
    }

    /// Opens stream `stream` calling `method` of ``TestService`` with `keyValue(key, value)`.
    static func call(
        _ raw: inout RawHTTP2Connection, stream: UInt32, method: String, key: String = "", value: String = "",
        extra: [(String, String)] = []
    ) async throws {
        let request: [UInt8] = try keyValue(key, value).serializedBytes()
        let block = HTTP2Wire.headerBlock(HTTP2Wire.grpcRequest(path: "/\(TestService.name)/\(method)", extra: extra))
        try await raw.send(HTTP2Wire.headers(stream: stream, block: block)
            + HTTP2Wire.data(stream: stream, HTTP2Wire.grpcMessage(request), endStream: true))
    }

    /// Reads the server's frames until it ends `stream` (or `messages` arrived), parsing its messages.
    static func read(_ raw: inout RawHTTP2Connection, stream: UInt32, messages limit: Int = .max) async throws -> Answer {
        var answer = Answer()
        var body: [UInt8] = []
        while answer.messages.count < limit, let frame = try await raw.nextFrame() {
            guard frame.streamID == stream else { continue }
            if frame.is(.headers) { answer.headerBlocks.append(frame) }
            if frame.is(.data) {
                answer.dataFrames += 1
                body += frame.payload
                while body.count >= 5 {
                    let length = body[1..<5].reduce(0) { $0 << 8 | Int($1) }
                    guard body.count >= 5 + length else { break }
                    answer.messages.append(try Ttrpc_KeyValue(serializedBytes: Array(body[5..<5 + length])))
                    body.removeFirst(5 + length)
                }
            }
            if frame.endStream || frame.is(.rstStream) { break }
        }
        return answer
    }

    @Test("headers once, one message per send in order, then trailers with grpc-status 0")
    func messagesInOrder() async throws {
        try await withTestServer(router: TestService.router()) { path in
            try await RawHTTP2Connection.with(path, timeout: .seconds(20)) { raw in
                _ = try await raw.handshake()
                try await Self.call(&raw, stream: 1, method: "Count", value: "5")
                let answer = try await Self.read(&raw, stream: 1)
                #expect(answer.messages.map(\.key) == ["0", "1", "2", "3", "4"])
                #expect(answer.headerBlocks.count == 2)
                #expect(answer.headerBlocks.first?.field(":status") == "200")
                #expect(answer.headerBlocks.first?.field("content-type") == "application/grpc")
                #expect(answer.status == "0")
            }
        }
    }

    @Test("an error after messages ends the stream with trailers carrying it; an error before any is Trailers-Only")
    func errors() async throws {
        try await withTestServer(router: TestService.router()) { path in
            try await RawHTTP2Connection.with(path, timeout: .seconds(20)) { raw in
                _ = try await raw.handshake()
                try await Self.call(&raw, stream: 1, method: "CountThenFail", value: "2")
                let failed = try await Self.read(&raw, stream: 1)
                #expect(failed.messages.count == 2)
                #expect(failed.status == "9")
                #expect(failed.trailers?.field("grpc-message") == "lease held")
                #expect(failed.trailers?.field(":status") == nil, "trailers after headers carry no :status")

                try await Self.call(&raw, stream: 3, method: "CountThenFail", value: "0")
                let only = try await Self.read(&raw, stream: 3)
                #expect(only.headerBlocks.count == 1 && only.dataFrames == 0)
                #expect(only.trailers?.field(":status") == "200")
                #expect(only.status == "9")
            }
        }
    }

    @Test("a refusal by the interceptors is Trailers-Only, before any message")
    func refusedByInterceptors() async throws {
        let chain = RPCInterceptorChain([RefusingInterceptor(method: "Count")])
        try await withTestServer(router: TestService.router(interceptors: chain)) { path in
            try await RawHTTP2Connection.with(path, timeout: .seconds(20)) { raw in
                _ = try await raw.handshake()
                try await Self.call(&raw, stream: 1, method: "Count", value: "5")
                let refused = try await Self.read(&raw, stream: 1)
                #expect(refused.dataFrames == 0 && refused.headerBlocks.count == 1)
                #expect(refused.status == "7")
            }
        }
    }

    @Test("sends wait while the stream's flow-control window is closed, and go on when it opens")
    func flowControl() async throws {
        let events = EventLog()
        let server = TestDaemon(router: TestService.router(events: events))
        try await server.run { path in
            try await RawHTTP2Connection.with(path, timeout: .seconds(30)) { raw in
                // Each stream may receive 8 KiB before the client says it read them.
                _ = try await raw.handshake([(HTTP2Wire.Setting.initialWindowSize, 8192)])
                try await Self.call(&raw, stream: 1, method: "Flood", key: "f", value: "1000")
                var received = 0
                while received < 8192, let frame = try await raw.nextFrame() {
                    if frame.streamID == 1, frame.is(.data) { received += frame.payload.count }
                }
                #expect(received == 8192)
                // About eight messages fit the window; a few more wait in the stream's buffers.
                let ranOn = try await eventually(within: .milliseconds(500)) { events.count("f sent") > 40 }
                #expect(!ranOn, "\(events.count("f sent")) messages sent into a closed window")
                #expect(server.server.bufferedBytes < 256 * 1024)

                // Opening the window lets the stream go on.
                let sentBefore = events.count("f sent")
                try await raw.send(HTTP2Wire.windowUpdate(stream: 1, increment: 1 << 20)
                    + HTTP2Wire.windowUpdate(stream: 0, increment: 1 << 20))
                var more = 0
                while more < 100_000, let frame = try await raw.nextFrame() {
                    if frame.streamID == 1, frame.is(.data) { more += frame.payload.count }
                }
                #expect(events.count("f sent") > sentBefore + 50)

                // A reset cancels the handler and frees the stream.
                try await raw.send(HTTP2Wire.rstStream(stream: 1))
                #expect(try await events.cursor().expect("f cancelled"))
                #expect(try await eventually { server.server.openStreams == 0 && server.server.counts.callsInFlight == 0 })
            }
        }
    }

    @Test("a client reset or the connection's close cancels the handler and frees the slot; the deadline ends the stream")
    func resetCloseDeadline() async throws {
        let events = EventLog()
        let server = TestDaemon(router: TestService.router(events: events))
        try await server.run { path in
            try await RawHTTP2Connection.with(path, timeout: .seconds(20)) { raw in
                _ = try await raw.handshake()
                try await Self.call(&raw, stream: 1, method: "Watch", key: "reset")
                #expect(try await Self.read(&raw, stream: 1, messages: 1).messages.first?.value == "hello")
                try await raw.send(HTTP2Wire.rstStream(stream: 1))
                #expect(try await events.cursor().expect("reset cancelled"))

                try await Self.call(&raw, stream: 3, method: "Watch", key: "late", extra: [("grpc-timeout", "200m")])
                let late = try await Self.read(&raw, stream: 3)
                #expect(late.messages.count == 1)
                #expect(late.status == "4")
                #expect(try await events.cursor().expect("late cancelled"))

                try await Self.call(&raw, stream: 5, method: "Watch", key: "closed")
                #expect(try await Self.read(&raw, stream: 5, messages: 1).messages.count == 1)
                #expect(server.server.openStreams == 1)
            }
            #expect(try await events.cursor().expect("closed cancelled"))
            #expect(try await eventually { server.server.openStreams == 0 && server.server.counts.callsInFlight == 0 })
        }
    }

    @Test("draining ends an open gRPC stream with UNAVAILABLE trailers at once")
    func drain() async throws {
        let server = TestDaemon(router: TestService.router()) { $0.shutdownGracePeriod = .seconds(60) }
        try await server.run { path in
            try await RawHTTP2Connection.with(path, timeout: .seconds(20)) { raw in
                _ = try await raw.handshake()
                try await Self.call(&raw, stream: 1, method: "Watch", key: "drain")
                #expect(try await Self.read(&raw, stream: 1, messages: 1).messages.count == 1)
                await server.group.triggerGracefulShutdown()
                let end = try await Self.read(&raw, stream: 1)
                #expect(end.status == "14")
            }
        }
    }
}
