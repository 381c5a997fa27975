import FlyGateClient
import FlyGateServer
import FlyGateTestSupport
import FlyGateWire
import NIOCore
import NIOPosix
import SwiftProtobuf
import Synchronization
import Testing

/// The ttrpc connection's call gate (TTRPCCallGate): a method that answers at once runs inline
/// as its frame is read when its interceptors allow it, and a peer that does not read stops
/// being answered past the channel's high-water mark.
@Suite("the ttrpc call gate", .timeLimit(.minutes(1)))
struct CallGateTests {
    /// Counts how the calls passed it: synchronously (inline) or through the async chain.
    final class CountingInterceptor: RPCInlineInterceptor {
        let counts = Mutex((inline: 0, async: 0))

        func intercept<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
            _ request: Request, context: CallContext, next: RPCInterceptorNext<Request, Response>
        ) async throws -> Response {
            self.counts.withLock { $0.async += 1 }
            return try await next(request, context)
        }

        func interceptInline<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
            _ request: Request, context: CallContext, next: (Request, CallContext) throws -> Response
        ) throws -> Response {
            self.counts.withLock { $0.inline += 1 }
            return try next(request, context)
        }
    }

    /// An interceptor with no inline form.
    struct AsyncOnlyInterceptor: RPCInterceptor {
        func intercept<Request: SwiftProtobuf.Message, Response: SwiftProtobuf.Message>(
            _ request: Request, context: CallContext, next: RPCInterceptorNext<Request, Response>
        ) async throws -> Response {
            try await next(request, context)
        }
    }

    func how(_ interceptors: [any RPCInterceptor]) async throws -> (immediate: String, echo: String) {
        try await withTestServer(router: TestService.router(interceptors: RPCInterceptorChain(interceptors))) { path in
            try await withResource({ try await RPCClient.connect(path: path) }, release: { await $0.close() }) { client in
                let immediate = try await client.call(
                    service: TestService.name, method: "HowNow", request: keyValue("?"), as: Ttrpc_KeyValue.self,
                    timeout: .seconds(10))
                let echo = try await client.call(
                    service: TestService.name, method: "Echo", request: keyValue("echo"), as: Ttrpc_KeyValue.self,
                    timeout: .seconds(10))
                return (immediate.key, echo.key)
            }
        }
    }

    @Test("an immediate method behind inline interceptors runs inline, through their inline form; other methods through the async one")
    func inline() async throws {
        let counting = CountingInterceptor()
        let answers = try await self.how([counting])
        #expect(answers.immediate == "inline")
        #expect(answers.echo == "echo")
        let counts = counting.counts.withLock { $0 }
        #expect(counts.inline == 1)
        #expect(counts.async == 1)
        // No interceptors at all: inline too.
        #expect(try await self.how([]).immediate == "inline")
    }

    @Test("an immediate method behind an interceptor with no inline form is still answered, in the connection's task")
    func notInline() async throws {
        let counting = CountingInterceptor()
        let answers = try await self.how([counting, AsyncOnlyInterceptor()])
        #expect(answers.immediate == "in a task")
        #expect(counting.counts.withLock { $0 }.inline == 0)
    }

    @Test("a client that asks for large inline answers and never reads gets no more than the high-water mark's worth; others are served")
    func inlineSlowReader() async throws {
        let events = EventLog()
        try await withTestServer(router: TestService.router(events: events), configure: {
            $0.maxOutboundBufferBytes = 64 * 1024
        }) { path in
            // 2000 small requests for answers of 256 KiB (500 MiB), in one write, never read.
            try await withNonReadingConnection(path) { greedy in
                // One small call first, so the flood meets a connection already being served.
                let seen = events.cursor()
                try await greedy.writeAndFlush(try requestFrames("BigNow", streams: 0..<1, key: "g", value: "0"))
                #expect(try await seen.expect("bignow"))
                try await greedy.writeAndFlush(try requestFrames("BigNow", streams: 1..<2001, key: "g", value: "262144"))
                #expect(try await seen.expect("bignow"))

                let polite = try await RPCClient.connect(path: path)
                for index in 0..<50 {
                    let answer = try await polite.call(
                        service: TestService.name, method: "EchoNow", request: keyValue("\(index)"), as: Ttrpc_KeyValue.self,
                        timeout: .seconds(10))
                    #expect(answer.key == "\(index)")
                }
                // Answering every request already read would have made hundreds of answers.
                #expect(events.count("bignow") - 1 < 20)
                await polite.close()
            }
        }
    }
}
