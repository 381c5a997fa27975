import FlyGateClient
import FlyGateTestSupport
import FlyMachinesProto
import Foundation
import SwiftProtobuf
import Synchronization
import Testing

/// The HTTP/2 side of the same socket: hostile HTTP/2 and gRPC input, frames written by hand,
/// while a well-behaved ttrpc client and a well-behaved gRPC client keep calling. The daemon
/// resets or closes as docs/grpc.md says, and the good clients' calls keep succeeding.
///
/// The good gRPC client is ``GRPCTestClient`` (NIOHTTP2's client side, in process) rather than
/// a Python `grpcio` child: it is bounded by the test's own timeouts and needs nothing that
/// `swift test` alone does not bring; `grpcio` and Go's client run against the daemon in
/// their own suites.
extension HostileInputReliabilityTests {
    static let healthPath = "/flygate.gateway.v1.Gateway/Health"
    static let showPath = "/flygate.machines.v1.Machines/Show"
    static let listPath = "/flygate.machines.v1.Machines/List"

    /// The good clients: one over ttrpc, one over gRPC, each calling Health and Show.
    struct GoodClients: Sendable {
        let ttrpc = GoodClient()
        let grpc = GoodClient()

        /// Waits until each client has had `calls` more calls succeed (at most 30 s); true if they did.
        func progress(by calls: Int = 10) async throws -> Bool {
            let start = (ttrpc.snapshot.ok, grpc.snapshot.ok)
            return try await eventually(within: .seconds(30)) {
                ttrpc.snapshot.ok >= start.0 + calls && grpc.snapshot.ok >= start.1 + calls
            }
        }
    }

    /// Creates a machine in `app`, runs `attack` while both good clients call, then checks that
    /// every good call succeeded, that the daemon still answers on both protocols and that it
    /// is still running.
    static func whileGoodClientsCall(
        _ daemon: DaemonProcess, app: String, _ attack: (RPCClient, GRPCTestClient, GoodClients) async throws -> Void
    ) async throws {
        try await daemon.withClient { client in
            try await GRPCTestClient.with(daemon.socketPath) { grpc in
                let machine = try await client.create(Machines.create(app)).body.id
                let show: [UInt8] = try Machines.target(Flygate_Machines_V1_ShowRequest.self, app, machine).serializedBytes()
                let good = GoodClients()
                let stop = Flag()
                async let ttrpcRun: Void = good.ttrpc.run(client, app: app, machine: machine, until: stop, limit: .seconds(150))
                async let grpcRun: Void = good.grpc.run(until: stop, limit: .seconds(150)) {
                    for (path, request) in [(healthPath, [UInt8]()), (showPath, show)] {
                        // As long a deadline as the ttrpc client's (GoodClient.run).
                        let answer = try await grpc.unary(path, request, timeout: .seconds(30))
                        guard answer.status == 0 else { throw TestFailure("\(path): status \(answer.status) \(answer.message)") }
                    }
                    return 2
                }
                do {
                    try await attack(client, grpc, good)
                } catch {
                    stop.set()
                    _ = await (ttrpcRun, grpcRun)
                    throw error
                }
                #expect(try await good.progress(), "the good clients stalled after the attacks")
                stop.set()
                _ = await (ttrpcRun, grpcRun)
                for (name, result) in [("ttrpc", good.ttrpc.snapshot), ("gRPC", good.grpc.snapshot)] {
                    #expect(result.failed == 0, "the good \(name) client's calls failed: \(result.errors.prefix(3))")
                    #expect(result.ok > 20, "the good \(name) client made \(result.ok) calls")
                }
                #expect(try await client.health().status == "serving")
                #expect(try await grpc.unary(healthPath, []).status == 0)
            }
        }
        #expect(daemon.isRunning, "the daemon exited:\n\(daemon.log.suffix(2000))")
    }

    /// Reads until the server closes the connection; the GOAWAY error code it sent, if any.
    static func goAwayThenClose(_ connection: inout RawHTTP2Connection) async throws -> (closed: Bool, goAway: UInt32?, frames: [HTTP2InboundFrame]) {
        let (frames, closed) = try await connection.framesUntilClosed()
        return (closed, frames.first { $0.is(.goAway) }?.errorCode, frames)
    }

    @Test("HTTP/2: a preface and garbage; more streams than SETTINGS_MAX_CONCURRENT_STREAMS; headers over 16 KiB; a message prefix over 4 MiB; floods of PING, SETTINGS, RST_STREAM, empty DATA and CONTINUATION frames")
    func http2HostileInput() async throws {
        try await DaemonProcess.with(config: #"{"simulator": {"rate_limits": false}}"#) { daemon in
            try await Self.whileGoodClientsCall(daemon, app: "hostile-h2") { _, _, good in
                let path = daemon.socketPath
                try await Self.prefaceThenGarbage(path)
                #expect(try await good.progress(), "the good clients stalled behind garbage after the preface")
                try await Self.tooManyStreams(path, good: good)
                try await Self.oversizedHeaders(path)
                try await Self.oversizedMessagePrefix(path)
                try await Self.floods(path)
            }
        }
    }

    /// Not HTTP/2 after the preface: the connection gets GOAWAY and is closed; random bytes
    /// after the preface (or after a whole handshake) never reach a call.
    static func prefaceThenGarbage(_ path: String) async throws {
        let cases: [(String, [UInt8])] = [
            ("0xFF bytes (a frame longer than SETTINGS_MAX_FRAME_SIZE)", [UInt8](repeating: 0xFF, count: 64)),
            ("an HTTP/1.1 request", Array("GET / HTTP/1.1\r\nHost: flygate\r\n\r\n".utf8)),
            ("a PING where SETTINGS must come first", HTTP2Wire.ping(1)),
            ("DATA on stream 1, never opened", HTTP2Wire.settings() + HTTP2Wire.data(stream: 1, [1, 2, 3])),
            ("HEADERS on stream 2 (an even stream is the server's)",
             HTTP2Wire.settings() + HTTP2Wire.headers(stream: 2, block: HTTP2Wire.headerBlock(HTTP2Wire.grpcRequest(path: healthPath)))),
            ("a header block that is not HPACK", HTTP2Wire.settings() + HTTP2Wire.headers(stream: 1, block: [0xFF, 0xFF, 0xFF, 0xFF, 0x7F])),
        ]
        for (name, garbage) in cases {
            try await RawHTTP2Connection.with(path) { connection in
                try? await connection.send(HTTP2Wire.preface + garbage)
                let (closed, goAway, frames) = try await Self.goAwayThenClose(&connection)
                #expect(closed, "\(name): the connection stayed open")
                #expect(goAway.map { $0 != HTTP2Wire.ErrorCode.noError } == true, "\(name): no GOAWAY with an error; got \(frames)")
                #expect(!frames.contains { $0.is(.headers) }, "\(name): a call was answered")
            }
        }
        var generator = SystemRandomNumberGenerator()
        for round in 0..<100 {
            let garbage = (0..<Int.random(in: 1...512, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            let prefix = round % 2 == 0 ? HTTP2Wire.preface : HTTP2Wire.preface + HTTP2Wire.settings()
            // The daemon may close first (that is its answer to most of these): a failed send is fine.
            _ = try? await RawHTTP2Connection.with(path, timeout: .seconds(10)) { try await $0.send(prefix + garbage) }
        }
    }

    /// 64 streams opened and never finished are all accepted (and the good clients go on);
    /// the 65th is refused.
    static func tooManyStreams(_ path: String, good: GoodClients) async throws {
        try await RawHTTP2Connection.with(path) { connection in
            let settings = try await connection.handshake()
            #expect(settings[HTTP2Wire.Setting.maxConcurrentStreams] == 64)
            #expect(settings[HTTP2Wire.Setting.maxHeaderListSize] == UInt32(16 * 1024))
            let block = HTTP2Wire.headerBlock(HTTP2Wire.grpcRequest(path: healthPath))
            var open: [UInt8] = []
            for index in 0..<64 { open += HTTP2Wire.headers(stream: UInt32(2 * index + 1), block: block) }
            try await connection.send(open + HTTP2Wire.ping(1))
            let accepted = try await connection.frames { $0.pingData == 1 }
            #expect(accepted.last?.pingData == 1, "the connection closed with 64 streams open: \(accepted.suffix(3))")
            #expect(!accepted.contains { $0.is(.goAway) || $0.is(.rstStream) }, "one of 64 streams was refused: \(accepted)")
            #expect(try await good.progress(), "the good clients stalled behind 64 unfinished streams")

            try await connection.send(HTTP2Wire.headers(stream: 129, block: block) + HTTP2Wire.ping(2))
            let after = try await connection.frames { $0.is(.goAway) || $0.pingData == 2 }
            #expect(after.contains { $0.is(.goAway) || ($0.is(.rstStream) && $0.streamID == 129) },
                    "the 65th concurrent stream was not refused: \(after.suffix(3))")
        }
    }

    /// A header list over SETTINGS_MAX_HEADER_LIST_SIZE, small enough on the wire for one frame
    /// (Huffman-coded) or spread over CONTINUATION frames: the call is not served.
    static func oversizedHeaders(_ path: String) async throws {
        let cases: [(String, String)] = [
            ("20 KiB decoded, one frame on the wire", String(repeating: "a", count: 20 * 1024)),
            ("40 KiB in CONTINUATION frames", String(repeating: "~", count: 40 * 1024)),
        ]
        for (name, value) in cases {
            try await RawHTTP2Connection.with(path) { connection in
                _ = try await connection.handshake()
                let block = HTTP2Wire.headerBlock(HTTP2Wire.grpcRequest(path: healthPath, extra: [("x-padding", value)]))
                try? await connection.send(HTTP2Wire.headerFrames(stream: 1, block: block) + HTTP2Wire.data(stream: 1, HTTP2Wire.grpcMessage([]), endStream: true))
                let frames = try await connection.frames { $0.is(.goAway) || ($0.streamID == 1 && ($0.is(.rstStream) || $0.endStream)) }
                #expect(frames.contains { $0.is(.goAway) || ($0.streamID == 1 && $0.is(.rstStream)) },
                        "\(name): neither the stream nor the connection was reset: \(frames.suffix(3))")
                #expect(!frames.contains { $0.field("grpc-status") == "0" }, "\(name): the call was served")
            }
        }
    }

    /// A message whose length prefix claims 5 MiB: RESOURCE_EXHAUSTED without the body being
    /// sent; the connection serves its next call.
    static func oversizedMessagePrefix(_ path: String) async throws {
        try await RawHTTP2Connection.with(path) { connection in
            _ = try await connection.handshake()
            let block = HTTP2Wire.headerBlock(HTTP2Wire.grpcRequest(path: showPath))
            try await connection.send(HTTP2Wire.headers(stream: 1, block: block) + HTTP2Wire.data(stream: 1, HTTP2Wire.grpcPrefix(claiming: 5 << 20)))
            let answer = try await connection.frames { $0.streamID == 1 && $0.endStream }.last { $0.streamID == 1 && $0.is(.headers) }
            #expect(answer?.field("grpc-status") == "8", "no RESOURCE_EXHAUSTED for a 5 MiB prefix: \(answer?.fields ?? [])")
            // The client's side is still open: the stream is reset with NO_ERROR after the
            // trailers, not CANCEL (which gRPC clients may report instead of the status).
            let reset = try await connection.frames { $0.streamID == 1 && $0.is(.rstStream) }.last
            #expect(reset?.errorCode == HTTP2Wire.ErrorCode.noError, "stream 1 was reset with \(String(describing: reset?.errorCode))")

            let health = HTTP2Wire.headerBlock(HTTP2Wire.grpcRequest(path: healthPath))
            try await connection.send(HTTP2Wire.headers(stream: 3, block: health) + HTTP2Wire.data(stream: 3, HTTP2Wire.grpcMessage([]), endStream: true))
            let next = try await connection.frames { $0.streamID == 3 && $0.endStream }.last
            #expect(next?.field("grpc-status") == "0", "the connection did not serve its next call: \(next?.fields ?? [])")
        }
    }

    /// Floods NIOHTTP2's defences answer with GOAWAY and a close before the flood is served
    /// in full: what follows the flood (a PING; for the CONTINUATION flood, the end of the
    /// header block and a whole call) gets no answer.
    static func floods(_ path: String) async throws {
        let health = HTTP2Wire.headerBlock(HTTP2Wire.grpcRequest(path: healthPath))
        let marker: UInt64 = 0xF100D
        let count = UInt32(1000)
        let pings: [UInt8] = (0..<count).flatMap { HTTP2Wire.ping(UInt64($0)) }
        let settings: [UInt8] = (0..<count).flatMap { _ in HTTP2Wire.settings() }
        let resets: [UInt8] = (0..<count).flatMap { (index: UInt32) -> [UInt8] in
            HTTP2Wire.headers(stream: 2 * index + 1, block: health) + HTTP2Wire.rstStream(stream: 2 * index + 1)
        }
        let emptyData: [UInt8] = HTTP2Wire.headers(stream: 1, block: health) + (0..<count).flatMap { _ in HTTP2Wire.data(stream: 1, []) }
        let continuations: [UInt8] = HTTP2Wire.headers(stream: 1, block: Array(health.prefix(1)), endHeaders: false)
            + (0..<count).flatMap { _ in HTTP2Wire.continuation(stream: 1, block: [], endHeaders: false) }
            + HTTP2Wire.continuation(stream: 1, block: Array(health.dropFirst()), endHeaders: true)
            + HTTP2Wire.data(stream: 1, HTTP2Wire.grpcMessage([]), endStream: true)
        let cases: [(String, [UInt8])] = [
            ("1,000 PINGs", pings),
            ("1,000 SETTINGS", settings),
            ("1,000 streams opened and reset", resets),
            ("1,000 empty DATA frames", emptyData),
            ("1,000 CONTINUATION frames", continuations),
        ]
        for (name, flood) in cases {
            try await RawHTTP2Connection.with(path) { connection in
                _ = try await connection.handshake()
                // The daemon may close before it has read everything: a failed send is fine.
                try? await connection.send(flood + HTTP2Wire.ping(marker))
                let frames = try await connection.frames { $0.is(.goAway) || $0.pingData == marker }
                let goAway = frames.last.flatMap { $0.is(.goAway) ? $0.errorCode : nil }
                #expect(goAway.map { $0 != HTTP2Wire.ErrorCode.noError } == true, "\(name): served in full, no GOAWAY: \(frames.suffix(3))")
                #expect(!frames.contains { $0.field("grpc-status") != nil }, "\(name): a call was answered")
                guard goAway != nil else { return }
                let (_, closed) = try await connection.framesUntilClosed()
                #expect(closed, "\(name): the connection stayed open after GOAWAY")
            }
        }
    }
}
