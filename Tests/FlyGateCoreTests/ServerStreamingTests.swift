import FlyGateClient
import FlyGateServer
import FlyGateTestSupport
import FlyGateWire
import Foundation
import Logging
import NIOCore
import ServiceLifecycle
import SwiftProtobuf
import Synchronization
import Testing

/// Server-streaming methods over ttrpc 1.2, on real sockets: the frames of a stream and its
/// end, what a 1.1 client or a stream-breaking client gets, and what a stream holds (a call
/// slot, output the peer has not read) and gives back.
@Suite("server streaming over ttrpc", .timeLimit(.minutes(1)))
struct ServerStreamingTests {
    private let service = TestService.name

    @Test("a stream sends its messages as Data frames in order, ends with a Data frame flagged 0x05, and nothing follows")
    func messagesInOrder() async throws {
        try await withTestServer(router: TestService.router()) { path in
            try await RawConnection.with(path, timeout: .seconds(20)) { raw in
                try await raw.sendStreamRequest(streamID: 1, method: "Count", value: "5")
                for index in 0..<5 {
                    let frame = try #require(try await raw.nextFrame())
                    #expect(frame.streamID == 1 && frame.type == .data && frame.flags == 0)
                    #expect(try Ttrpc_KeyValue(buffer: frame.data).key == String(index))
                }
                let end = try #require(try await raw.nextFrame())
                #expect(end.streamID == 1 && end.type == .data)
                #expect(end.flags == TTRPCFlags.remoteClosed | TTRPCFlags.noData && end.data.readableBytes == 0)
                // The next frame is the answer to a later call: nothing followed the end.
                try await raw.sendRequest(streamID: 3, service: self.service, method: "Echo", payload: try keyValue("after").serializedBytes())
                let after = try await raw.nextResponse()
                #expect(after.streamID == 3 && after.response.status.code == 0)
            }
        }
    }

    @Test("an empty stream is only its end; a message whose encoding is empty is a zero-length Data frame without 0x04")
    func emptyStreamAndEmptyMessage() async throws {
        try await withTestServer(router: TestService.router()) { path in
            try await RawConnection.with(path, timeout: .seconds(20)) { raw in
                try await raw.sendStreamRequest(streamID: 1, method: "Count", value: "0")
                let end = try #require(try await raw.nextFrame())
                #expect(end.type == .data && end.flags == TTRPCFlags.remoteClosed | TTRPCFlags.noData)
            }
            // Through the client: "0" is keyValue("0"), never empty; the framing is what counts here.
            let client = try await RPCClient.connect(path: path)
            let keys = try await client.serverStream(
                service: self.service, method: "Count", request: keyValue("", "3"), as: Ttrpc_KeyValue.self
            ).reduce(into: [String]()) { $0.append($1.key) }
            #expect(keys == ["0", "1", "2"])
            await client.close()
        }
    }

    @Test("an error mid-stream ends it with a Response carrying the status, after the messages sent")
    func errorMidStream() async throws {
        try await withTestServer(router: TestService.router()) { path in
            try await RawConnection.with(path, timeout: .seconds(20)) { raw in
                try await raw.sendStreamRequest(streamID: 1, method: "CountThenFail", value: "2")
                for _ in 0..<2 {
                    #expect(try #require(try await raw.nextFrame()).type == .data)
                }
                let end = try await raw.nextResponse()
                #expect(end.streamID == 1)
                #expect(end.response.status.code == RPCStatusCode.failedPrecondition.rawValue)
                #expect(end.response.status.message == "lease held")
            }
            let client = try await RPCClient.connect(path: path)
            var received: [String] = []
            do {
                for try await message in client.serverStream(
                    service: self.service, method: "CountThenFail", request: keyValue("", "3"), as: Ttrpc_KeyValue.self)
                {
                    received.append(message.key)
                }
                Issue.record("the stream ended OK")
            } catch let error as RPCError {
                #expect(error.code == .failedPrecondition)
            }
            #expect(received == ["0", "1", "2"])
            await client.close()
        }
    }

    @Test("a ttrpc 1.1 call (flags 0) or a client-streaming one (0x02) to a streaming method is UNIMPLEMENTED at once; a unary method flagged 0x01 answers as unary")
    func wrongFlags() async throws {
        let server = TestDaemon(router: TestService.router())
        try await server.run { path in
            try await RawConnection.with(path, timeout: .seconds(20)) { raw in
                try await raw.sendStreamRequest(streamID: 1, method: "Watch", value: "", flags: 0)
                let unary = try await raw.nextResponse()
                #expect(unary.streamID == 1 && unary.response.status.code == RPCStatusCode.unimplemented.rawValue)
                #expect(unary.response.status.message.contains("ttrpc 1.2"), "\(unary.response.status.message)")

                try await raw.sendStreamRequest(streamID: 3, method: "Watch", value: "", flags: TTRPCFlags.remoteOpen)
                let clientStreaming = try await raw.nextResponse()
                #expect(clientStreaming.streamID == 3 && clientStreaming.response.status.code == RPCStatusCode.unimplemented.rawValue)
                #expect(clientStreaming.response.status.message.contains("client-streaming"))

                try await raw.sendStreamRequest(streamID: 5, method: "Echo", value: "flagged")
                let echo = try await raw.nextResponse()
                #expect(echo.streamID == 5 && echo.response.status.code == 0)
                #expect(try Ttrpc_KeyValue(serializedBytes: echo.response.payload).value == "flagged")
            }
            #expect(try await eventually { server.server.counts.callsInFlight == 0 && server.server.openStreams == 0 })
        }
    }

    @Test("a client Data frame on an open stream ends only that stream (INVALID_ARGUMENT, handler cancelled); elsewhere it is ignored")
    func dataFrameOnStream() async throws {
        let events = EventLog()
        try await withTestServer(router: TestService.router(events: events)) { path in
            try await RawConnection.with(path, timeout: .seconds(20)) { raw in
                try await raw.sendStreamRequest(streamID: 1, method: "Watch", key: "a")
                try await raw.sendStreamRequest(streamID: 3, method: "Watch", key: "b")
                var hellos: Set<UInt32> = []
                for _ in 0..<2 { hellos.insert(try #require(try await raw.nextFrame()).streamID) }
                #expect(hellos == [1, 3])
                // A Data frame on a stream that never was: ignored.
                try await raw.sendFrame(streamID: 99, type: .data, data: ByteBuffer(bytes: [1, 2, 3]))
                try await raw.sendFrame(streamID: 1, type: .data, data: ByteBuffer(bytes: [1, 2, 3]))
                let end = try await raw.nextResponse()
                #expect(end.streamID == 1 && end.response.status.code == RPCStatusCode.invalidArgument.rawValue)
                #expect(try await events.cursor().expect("a cancelled"))
                #expect(events.count("b cancelled") == 0)
                // The connection and its other stream go on.
                try await raw.sendRequest(streamID: 5, service: self.service, method: "Echo", payload: try keyValue("x").serializedBytes())
                let echo = try await raw.nextResponse()
                #expect(echo.streamID == 5 && echo.response.status.code == 0)
                // An empty Data frame flagged remote-closed is how a client gives a stream up: CANCELLED.
                try await raw.send(try frameBytes(TTRPCFrame(
                    streamID: 3, type: .data, flags: TTRPCFlags.remoteClosed | TTRPCFlags.noData, data: ByteBuffer())))
                let given = try await raw.nextResponse()
                #expect(given.streamID == 3 && given.response.status.code == RPCStatusCode.cancelled.rawValue)
                #expect(try await events.cursor().expect("b cancelled"))
            }
        }
    }

    @Test("closing the connection cancels the stream's handler and frees its call slot")
    func closeCancels() async throws {
        let events = EventLog()
        let server = TestDaemon(router: TestService.router(events: events))
        try await server.run { path in
            try await RawConnection.with(path, timeout: .seconds(20)) { raw in
                try await raw.sendStreamRequest(streamID: 1, method: "Watch", key: "w")
                #expect(try #require(try await raw.nextFrame()).type == .data)
                #expect(server.server.openStreams == 1 && server.server.counts.callsInFlight == 1)
            }
            #expect(try await events.cursor().expect("w cancelled"))
            #expect(try await eventually { server.server.counts.callsInFlight == 0 && server.server.openStreams == 0 })
        }
    }

    @Test("the deadline (timeout_nano) ends a stream with DEADLINE_EXCEEDED and cancels its handler")
    func deadline() async throws {
        let events = EventLog()
        try await withTestServer(router: TestService.router(events: events)) { path in
            try await RawConnection.with(path, timeout: .seconds(20)) { raw in
                try await raw.sendStreamRequest(streamID: 1, method: "Watch", key: "d", timeoutNano: 200_000_000)
                #expect(try #require(try await raw.nextFrame()).type == .data)
                let end = try await raw.nextResponse()
                #expect(end.response.status.code == RPCStatusCode.deadlineExceeded.rawValue)
            }
            #expect(try await events.cursor().expect("d cancelled"))
        }
    }

    @Test("streams count against the connection's in-flight limit and give their slot back when they end")
    func inFlightLimit() async throws {
        try await withTestServer(router: TestService.router(), configure: { $0.maxInFlightPerConnection = 2 }) { path in
            try await RawConnection.with(path, timeout: .seconds(20)) { raw in
                try await raw.sendStreamRequest(streamID: 1, method: "Watch", key: "a")
                try await raw.sendStreamRequest(streamID: 3, method: "Watch", key: "b")
                for _ in 0..<2 { #expect(try #require(try await raw.nextFrame()).type == .data) }
                try await raw.sendStreamRequest(streamID: 5, method: "Watch", key: "c")
                let refused = try await raw.nextResponse()
                #expect(refused.streamID == 5 && refused.response.status.code == RPCStatusCode.resourceExhausted.rawValue)
                // Giving one up frees its slot.
                try await raw.send(try frameBytes(TTRPCFrame(
                    streamID: 1, type: .data, flags: TTRPCFlags.remoteClosed | TTRPCFlags.noData, data: ByteBuffer())))
                #expect(try await raw.nextResponse().streamID == 1)
                try await raw.sendStreamRequest(streamID: 7, method: "Count", value: "1")
                #expect(try #require(try await raw.nextFrame()).type == .data)
            }
        }
    }

    @Test("many streams opened and given up or cut off leave no stream, slot or buffered byte behind")
    func manyStreamsLeaveNothing() async throws {
        let events = EventLog()
        let server = TestDaemon(router: TestService.router(events: events))
        try await server.run { path in
            let client = try await RPCClient.connect(path: path)
            for index in 0..<40 {
                // Read the first message, then stop iterating: the client gives the stream up.
                for try await message in client.serverStream(
                    service: self.service, method: "Watch", request: keyValue("s\(index)"), as: Ttrpc_KeyValue.self)
                {
                    #expect(message.value == "hello")
                    break
                }
            }
            #expect(try await eventually { events.count("s39 cancelled") == 1 })
            #expect(try await eventually { server.server.openStreams == 0 && server.server.counts.callsInFlight == 0 })
            #expect((0..<40).allSatisfy { events.count("s\($0) cancelled") == 1 })
            // Streams cut off by closing the connection are freed too.
            let second = try await RPCClient.connect(path: path)
            var iterators: [RPCServerStream<Ttrpc_KeyValue>.Iterator] = []
            for index in 0..<20 {
                var iterator = second.serverStream(
                    service: self.service, method: "Watch", request: keyValue("c\(index)"), as: Ttrpc_KeyValue.self
                ).makeAsyncIterator()
                _ = try await iterator.next()
                iterators.append(iterator)
            }
            #expect(server.server.openStreams == 20)
            await second.close()
            #expect(try await eventually { server.server.openStreams == 0 && server.server.counts.callsInFlight == 0 })
            do {
                _ = try await iterators[0].next()
                Issue.record("a stream of a closed connection went on")
            } catch let error as RPCError {
                #expect(error.code == .unavailable)
            }
            #expect(try await eventually { server.server.bufferedBytes == 0 })
            await client.close()
        }
    }

    @Test("a peer that stops reading holds back only its own stream: others keep streaming, and buffered bytes stay bounded")
    func slowReaderHoldsOnlyItself() async throws {
        let events = EventLog()
        let outbound = 256 * 1024
        let server = TestDaemon(router: TestService.router(events: events)) { $0.maxOutboundBufferBytes = outbound }
        let messageBytes = 64 * 1024
        // The connection's output up to its high-water mark, one message waiting in the
        // writer, and the frame being written.
        let bound = outbound + 2 * (messageBytes + 64)
        try await server.run { path in
            try await withNonReadingConnection(path) { slow in
                var request = ByteBuffer()
                try TTRPCFrameEncoder().encode(data: try streamRequestFrame(
                    streamID: 1, method: "Flood", key: "slow", value: String(messageBytes)), out: &request)
                try await slow.writeAndFlush(request)
                #expect(try await events.cursor().expect("slow started"))

                // Another connection streams a thousand messages and answers calls meanwhile.
                let client = try await RPCClient.connect(path: path)
                var count = 0
                for try await _ in client.serverStream(
                    service: self.service, method: "Count", request: keyValue("", "1000"), as: Ttrpc_KeyValue.self)
                {
                    count += 1
                    if count % 100 == 0 { #expect(server.server.bufferedBytes <= bound) }
                }
                #expect(count == 1000)
                _ = try await client.call(service: self.service, method: "Echo", request: keyValue("x"), as: Ttrpc_KeyValue.self)
                await client.close()

                // The flood waits: what it sent is what the socket and the bound could take.
                #expect(server.server.bufferedBytes <= bound, "\(server.server.bufferedBytes) bytes buffered")
                let grew = try await eventually(within: .milliseconds(500)) { server.server.bufferedBytes > bound }
                #expect(!grew, "\(server.server.bufferedBytes) bytes buffered")
                #expect(events.count("slow sent") * messageBytes < 32 * 1024 * 1024, "\(events.count("slow sent")) sent")
            }
            #expect(try await events.cursor().expect("slow cancelled"))
            #expect(try await eventually {
                server.server.openStreams == 0 && server.server.counts.callsInFlight == 0 && server.server.bufferedBytes == 0
            })
        }
    }

    @Test("an open stream keeps its connection past the idle timeout")
    func idleTimeoutSparesStreams() async throws {
        try await withTestServer(router: TestService.router(), configure: {
            $0.idleTimeout = .milliseconds(200)
            $0.firstFrameTimeout = nil
        }) { path in
            try await RawConnection.with(path, timeout: .seconds(20)) { raw in
                try await raw.sendStreamRequest(streamID: 1, method: "Watch", key: "idle")
                #expect(try #require(try await raw.nextFrame()).type == .data)
                // Several idle timeouts pass with only the stream open.
                try await Task.sleep(for: .milliseconds(900))
                try await raw.sendRequest(streamID: 3, service: self.service, method: "Echo", payload: try keyValue("x").serializedBytes())
                let echo = try await raw.nextResponse()
                #expect(echo.streamID == 3 && echo.response.status.code == 0)
            }
        }
    }

    @Test("draining ends open streams with UNAVAILABLE at once, not at the end of the grace period")
    func drainEndsStreams() async throws {
        let events = EventLog()
        let server = TestDaemon(router: TestService.router(events: events)) { $0.shutdownGracePeriod = .seconds(60) }
        try await server.run { path in
            try await RawConnection.with(path, timeout: .seconds(20)) { raw in
                try await raw.sendStreamRequest(streamID: 1, method: "Watch", key: "drain")
                #expect(try #require(try await raw.nextFrame()).type == .data)
                let started = ContinuousClock.now
                await server.group.triggerGracefulShutdown()
                let end = try await raw.nextResponse()
                #expect(end.streamID == 1 && end.response.status.code == RPCStatusCode.unavailable.rawValue)
                #expect(try await raw.waitForClose() == 0)
                #expect(ContinuousClock.now - started < .seconds(20))
            }
            #expect(try await events.cursor().expect("drain cancelled"))
        }
    }

    @Test("a stream runs behind the interceptors: a refusal comes before any message, and the chain sees the stream's end")
    func interceptors() async throws {
        let seen = EventLog()
        let chain = RPCInterceptorChain([RecordingInterceptor(events: seen), RefusingInterceptor(method: "Watch")])
        try await withTestServer(router: TestService.router(interceptors: chain)) { path in
            try await RawConnection.with(path, timeout: .seconds(20)) { raw in
                try await raw.sendStreamRequest(streamID: 1, method: "Watch", key: "refused")
                let refused = try await raw.nextResponse()
                #expect(refused.streamID == 1 && refused.response.status.code == RPCStatusCode.permissionDenied.rawValue)
                try await raw.sendStreamRequest(streamID: 3, method: "CountThenFail", value: "2")
                for _ in 0..<2 { #expect(try #require(try await raw.nextFrame()).type == .data) }
                #expect(try await raw.nextResponse().response.status.code == RPCStatusCode.failedPrecondition.rawValue)
                try await raw.sendStreamRequest(streamID: 5, method: "Count", value: "2")
                for _ in 0..<3 { _ = try await raw.nextFrame() }
            }
            let cursor = seen.cursor()
            #expect(try await cursor.expect("Watch PERMISSION_DENIED"))
            #expect(try await cursor.expect("CountThenFail FAILED_PRECONDITION"))
            #expect(try await cursor.expect("Count ok google.protobuf.Empty"))
        }
    }
}

/// Records each call's end as the chain sees it: "<method> ok <response type>" or "<method> <code>".
struct RecordingInterceptor: RPCInterceptor {
    let events: EventLog

    func intercept<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request, context: CallContext, next: RPCInterceptorNext<Request, Response>
    ) async throws -> Response {
        do {
            let response = try await next(request, context)
            self.events.record("\(context.method) ok \(Response.protoMessageName)")
            return response
        } catch {
            self.events.record("\(context.method) \(RPCError(converting: error).code)")
            throw error
        }
    }
}

/// Refuses every call of one method with PERMISSION_DENIED, as the policy would.
struct RefusingInterceptor: RPCInterceptor {
    let method: String

    func intercept<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
        _ request: Request, context: CallContext, next: RPCInterceptorNext<Request, Response>
    ) async throws -> Response {
        guard context.method != self.method else { throw RPCError(code: .permissionDenied, message: "not allowed") }
        return try await next(request, context)
    }
}

/// A server run in a service group the test can shut down itself.
struct TestDaemon {
    let server: RPCServer
    let group: ServiceGroup
    private let directory: TestDirectory

    init(router: RPCRouter, configure: (inout RPCServer.Configuration) -> Void = { _ in }) {
        self.directory = try! TestDirectory()
        var configuration = testConfiguration(self.directory.socket)
        configure(&configuration)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        self.server = RPCServer(configuration: configuration, router: router, logger: logger)
        self.group = ServiceGroup(services: [self.server], logger: logger)
    }

    /// Runs the server for `body` (which may shut it down), then shuts it down and waits for it.
    func run(_ body: (String) async throws -> Void) async throws {
        defer { self.directory.remove() }
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await self.group.run() }
            do {
                try await body(try await self.server.listeningAddress())
            } catch {
                await self.group.triggerGracefulShutdown()
                try? await tasks.waitForAll()
                throw error
            }
            await self.group.triggerGracefulShutdown()
            try await tasks.waitForAll()
        }
    }
}

/// A Request frame calling `method` of ``TestService`` with `keyValue(key, value)`.
func streamRequestFrame(
    streamID: UInt32, method: String, key: String = "", value: String = "", flags: UInt8 = TTRPCFlags.remoteClosed,
    timeoutNano: Int64 = 0
) throws -> TTRPCFrame {
    var request = Ttrpc_Request()
    request.service = TestService.name
    request.method = method
    request.payload = try keyValue(key, value).serializedBytes()
    request.timeoutNano = timeoutNano
    return TTRPCFrame(streamID: streamID, type: .request, flags: flags, data: try request.serializedByteBuffer())
}

/// `frame` encoded.
func frameBytes(_ frame: TTRPCFrame) throws -> ByteBuffer {
    var bytes = ByteBuffer()
    try TTRPCFrameEncoder().encode(data: frame, out: &bytes)
    return bytes
}

extension RawConnection {
    /// Sends a Request for `method` of ``TestService`` flagged `flags` (remote-closed: a server stream).
    func sendStreamRequest(
        streamID: UInt32, method: String, key: String = "", value: String = "", flags: UInt8 = TTRPCFlags.remoteClosed,
        timeoutNano: Int64 = 0
    ) async throws {
        try await self.send(try frameBytes(streamRequestFrame(
            streamID: streamID, method: method, key: key, value: value, flags: flags, timeoutNano: timeoutNano)))
    }
}
