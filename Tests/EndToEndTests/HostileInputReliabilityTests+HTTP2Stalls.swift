import FlyGateClient
import FlyGateTestSupport
import FlyMachinesProto
import Foundation
import SwiftProtobuf
import Testing

/// HTTP/2 clients that stall: silent after part of a handshake, or asking for big answers and
/// never reading them. Each costs the daemon a bounded amount, and the good clients
/// (``HostileInputReliabilityTests/whileGoodClientsCall(_:app:_:)``) go on.
extension HostileInputReliabilityTests {
    @Test("HTTP/2: half a preface, a handshake, or a call's headers, then silence: closed by the first-request timeout; an answer the client never lets through: closed by the idle timeout")
    func http2Silence() async throws {
        let config = #"{"simulator": {"rate_limits": false}, "socket": {"first_frame_timeout_seconds": 2, "idle_timeout_seconds": 3}}"#
        try await DaemonProcess.with(config: config) { daemon in
            try await Self.whileGoodClientsCall(daemon, app: "hostile-silent") { _, _, good in
                let path = daemon.socketPath
                let block = HTTP2Wire.headerBlock(HTTP2Wire.grpcRequest(path: Self.healthPath))
                let handshake = HTTP2Wire.preface + HTTP2Wire.settings()
                // (what to send, whether the call is answered: its response headers need no window)
                let cases: [(String, [UInt8], answered: Bool)] = [
                    ("half the preface", Array(HTTP2Wire.preface.prefix(12)), false),
                    ("the preface and SETTINGS", handshake, false),
                    ("a call's headers, never its message", handshake + HTTP2Wire.headers(stream: 1, block: block), false),
                    ("a whole call, its answer held by a window of 0",
                     HTTP2Wire.preface + HTTP2Wire.settings([(HTTP2Wire.Setting.initialWindowSize, 0)])
                        + Self.call(stream: 1, Self.healthPath, []), true),
                ]
                // All at once, so that the good clients call while all of them wait. Each
                // connection's deadline (30 s) fails the test if the daemon never closes it.
                try await withThrowingTaskGroup(of: (String, Bool, [HTTP2InboundFrame], Bool).self) { group in
                    for (name, bytes, answered) in cases {
                        group.addTask {
                            try await RawHTTP2Connection.with(path) { connection in
                                try await connection.send(bytes)
                                let (frames, closed) = try await connection.framesUntilClosed()
                                return (name, closed, frames, answered)
                            }
                        }
                    }
                    #expect(try await good.progress(), "the good clients stalled behind silent connections")
                    for try await (name, closed, frames, answered) in group {
                        #expect(closed, "\(name): not closed")
                        #expect(frames.contains { $0.is(.headers) } == answered, "\(name): \(frames)")
                        #expect(!frames.contains { $0.endStream && ($0.is(.headers) || $0.is(.data)) }, "\(name): a whole answer was sent")
                    }
                }
            }
        }
    }

    @Test("HTTP/2: clients that ask for big answers and never read them (no WINDOW_UPDATE) cost at most 64 answers each; others, big answers included, go on")
    func http2NeverReads() async throws {
        try await DaemonProcess.with(config: #"{"simulator": {"rate_limits": false}}"#) { daemon in
            try await Self.whileGoodClientsCall(daemon, app: "hostile-unread") { client, grpc, good in
                // An app whose List answer is big (well over a 64 KiB flow-control window):
                // 12 machines with 16 KiB of environment each.
                let app = "hostile-big"
                for index in 0..<12 {
                    var create = Machines.create(app, skipLaunch: true)
                    create.body.config.env["PADDING"] = String(repeating: String(index % 10), count: 16 * 1024)
                    _ = try await client.create(create)
                }
                var list = Flygate_Machines_V1_ListRequest()
                list.appName = app
                let listRequest: [UInt8] = try list.serializedBytes()
                let answerBytes = try await client.list(list).serializedData().count
                #expect(answerBytes > 3 * 65_535)
                let connections = 3
                let calls = 64
                let before = daemon.residentBytes

                // Four rounds: what one round's clients cost must be let go when they close,
                // or four rounds would cost more than the bound.
                for round in 1...4 {
                    try await Self.withUnreadAnswers(daemon.socketPath, connections: connections, calls: calls, list: listRequest) { last in
                        #expect(try await good.progress(), "round \(round): the good clients stalled behind clients that never read")
                        // Clients that read still get big answers, over both protocols.
                        #expect(try await client.list(list).body.count == 12)
                        let answer = try await grpc.unary(Self.listPath, listRequest)
                        #expect(answer.status == 0, "round \(round): status \(answer.status) \(answer.message)")
                        #expect(try Flygate_Machines_V1_ListResponse(serializedBytes: answer.response).body.count == 12)
                        // What the daemon holds is bounded by the answers this round asked for.
                        let grown = daemon.residentBytes - before
                        let bound = 2 * connections * calls * answerBytes + 64 * 1024 * 1024
                        #expect(grown < bound, "round \(round): resident memory grew by \(grown) bytes holding \(connections * calls) answers of \(answerBytes)")

                        // A 65th call on a connection holding 64 is refused, not answered and held.
                        var more: [UInt8] = []
                        for index in calls..<(2 * calls) { more += Self.call(stream: UInt32(2 * index + 1), Self.listPath, listRequest) }
                        try await last.send(more + HTTP2Wire.ping(65))
                        let after = try await last.frames { $0.is(.goAway) || $0.pingData == 65 }
                        #expect(after.contains { $0.is(.goAway) || ($0.is(.rstStream) && $0.streamID > UInt32(2 * calls)) },
                                "round \(round): calls past 64 on one connection were taken: \(after.suffix(3))")
                    }
                }
            }
        }
    }

    /// One gRPC call's frames on `stream`: headers, the message, the end.
    static func call(stream: UInt32, _ path: String, _ message: [UInt8]) -> [UInt8] {
        HTTP2Wire.headers(stream: stream, block: HTTP2Wire.headerBlock(HTTP2Wire.grpcRequest(path: path)))
            + HTTP2Wire.data(stream: stream, HTTP2Wire.grpcMessage(message), endStream: true)
    }

    /// Opens `connections` connections, each making `calls` List calls, waiting for their
    /// answers to begin and never sending a WINDOW_UPDATE; runs `body` with the last of them;
    /// closes them all.
    static func withUnreadAnswers(
        _ path: String, connections: Int, calls: Int, list: [UInt8], _ body: (inout RawHTTP2Connection) async throws -> Void
    ) async throws {
        try await RawHTTP2Connection.with(path, timeout: .seconds(150)) { connection in
            _ = try await connection.handshake()
            var bytes: [UInt8] = []
            for index in 0..<calls { bytes += Self.call(stream: UInt32(2 * index + 1), Self.listPath, list) }
            try await connection.send(bytes)
            // Every call is answered: its response headers come (they need no window); the
            // first answer's first 64 KiB fill the connection's window and the rest waits.
            var answered = Set<UInt32>()
            _ = try await connection.frames { frame in
                if frame.is(.headers) { answered.insert(frame.streamID) }
                return answered.count == calls
            }
            #expect(answered.count == calls, "\(answered.count) of \(calls) calls were answered")
            if connections > 1 {
                try await withUnreadAnswers(path, connections: connections - 1, calls: calls, list: list, body)
            } else {
                try await body(&connection)
            }
        }
    }
}
