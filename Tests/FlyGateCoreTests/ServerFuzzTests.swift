import FlyGateClient
import FlyGateCore
import FlyGateWire
import NIOCore
import NIOPosix
import Testing

/// SplitMix64: a small seeded generator so a failing run can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        self.state &+= 0x9E37_79B9_7F4A_7C15
        var z = self.state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("server under garbage", .timeLimit(.minutes(1)))
struct ServerFuzzTests {
    /// One connection's worth of bad input: random bytes, truncated and mutated frames.
    static func garbage(_ random: inout SeededGenerator) throws -> ByteBuffer {
        var out = ByteBuffer()
        for _ in 0..<20 {
            var request = Ttrpc_Request()
            request.service = Bool.random(using: &random) ? TestService.name : "x.\(UInt8.random(in: 0...255, using: &random))"
            request.method = ["Echo", "Empty", "Context", "Nope"].randomElement(using: &random)!
            request.payload = .init((0..<Int.random(in: 0...40, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) })
            request.timeoutNano = Int64.random(in: -5...2_000_000_000, using: &random)
            var frame = ByteBuffer()
            try TTRPCFrameEncoder().encode(
                data: TTRPCFrame(
                    streamID: UInt32.random(in: 0...64, using: &random),
                    type: TTRPCMessageType(rawValue: UInt8.random(in: 0...4, using: &random)),
                    data: try request.serializedByteBuffer()
                ),
                out: &frame
            )
            var bytes = Array(frame.readableBytesView)
            switch Int.random(in: 0..<5, using: &random) {
            case 0:  // pure noise
                bytes = (0..<Int.random(in: 1...200, using: &random)).map { _ in UInt8.random(in: 0...255, using: &random) }
            case 1:  // truncated
                bytes = Array(bytes.prefix(Int.random(in: 0..<bytes.count, using: &random)))
            case 2:  // a few flipped bytes, anywhere (header included)
                for _ in 0..<Int.random(in: 1...4, using: &random) {
                    bytes[Int.random(in: 0..<bytes.count, using: &random)] = UInt8.random(in: 0...255, using: &random)
                }
            case 3:  // a length that lies (byte 0 kept zero)
                bytes[1] = UInt8.random(in: 0...255, using: &random)
                bytes[3] = UInt8.random(in: 0...255, using: &random)
            default:  // left intact
                break
            }
            out.writeBytes(bytes)
        }
        return out
    }

    @Test("thousands of random, truncated and mutated frames: no crash, no hang, others keep being served")
    func garbageDoesNotHurt() async throws {
        var random = SeededGenerator(state: 0xF1A6_A7E0)
        try await withTestServer(router: TestService.router(), configure: { $0.maxFrameBytes = 64 * 1024 }) { path in
            let bystander = try await RPCClient.connect(path: path)
            for round in 0..<25 {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<8 {
                        let bytes = try Self.garbage(&random)
                        group.addTask {
                            let channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                                .connectTimeout(.seconds(5))
                                .connect(unixDomainSocketPath: path)
                                .get()
                            // A write the server never reads would wait forever: closing the
                            // connection after 10 s ends it.
                            let guardTimer = channel.eventLoop.scheduleTask(in: .seconds(10)) { channel.close(promise: nil) }
                            try? await channel.writeAndFlush(bytes)
                            guardTimer.cancel()
                            try? await channel.close()
                        }
                    }
                    try await group.waitForAll()
                }
                let answer = try await bystander.call(
                    service: TestService.name, method: "Echo", request: keyValue("round \(round)"), as: Ttrpc_KeyValue.self, timeout: .seconds(10)
                )
                #expect(answer.key == "round \(round)")
            }
            // 25 rounds x 8 connections x 20 frames = 4000 bad frames; the server still answers new clients.
            let fresh = try await RPCClient.connect(path: path)
            #expect(try await fresh.call(service: TestService.name, method: "Echo", request: keyValue("end"), as: Ttrpc_KeyValue.self).key == "end")
            await fresh.close()
            await bystander.close()
        }
    }
}
