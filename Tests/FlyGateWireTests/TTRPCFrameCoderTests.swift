import FlyGateWire
import NIOCore
import NIOEmbedded
import NIOTestUtils
import Testing

@Suite("ttrpc frame coders")
struct TTRPCFrameCoderTests {
    private func bytes(_ values: [UInt8]) -> ByteBuffer {
        ByteBuffer(bytes: values)
    }

    private func frame(_ streamID: UInt32, _ type: TTRPCMessageType, _ data: [UInt8], flags: UInt8 = 0) -> TTRPCFrame {
        TTRPCFrame(streamID: streamID, type: type, flags: flags, data: ByteBuffer(bytes: data))
    }

    private func encoded(_ frame: TTRPCFrame, max: Int = TTRPCFrame.defaultMaxDataBytes) throws -> ByteBuffer {
        var out = ByteBuffer()
        try TTRPCFrameEncoder(maxDataBytes: max).encode(data: frame, out: &out)
        return out
    }

    @Test("a Request on stream 1 with 81 data bytes has the header of TTRPC.md's worked example")
    func workedExampleHeader() throws {
        let out = try self.encoded(self.frame(1, .request, Array(repeating: 0xAB, count: 81)))
        #expect(Array(out.readableBytesView.prefix(10)) == [0x00, 0x00, 0x00, 0x51, 0x00, 0x00, 0x00, 0x01, 0x01, 0x00])
        #expect(out.readableBytes == 91)
    }

    @Test("a zero-length Response frame decodes as an empty response on its stream")
    func zeroLengthResponse() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(TTRPCFrameDecoder()))
        try channel.writeInbound(self.bytes([0, 0, 0, 0, 0, 0, 0, 3, 2, 0]))
        let decoded = try channel.readInbound(as: TTRPCInboundFrame.self)
        #expect(decoded == .frame(self.frame(3, .response, [])))
        #expect(try channel.finish().isClean)
    }

    @Test("a frame split into single bytes is yielded once, when its last byte arrives")
    func partialInput() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(TTRPCFrameDecoder()))
        let whole = try self.encoded(self.frame(7, .request, [1, 2, 3, 4, 5]))
        let allBytes = Array(whole.readableBytesView)
        for byte in allBytes.dropLast() {
            try channel.writeInbound(self.bytes([byte]))
            #expect(try channel.readInbound(as: TTRPCInboundFrame.self) == nil)
        }
        try channel.writeInbound(self.bytes([allBytes.last!]))
        #expect(try channel.readInbound(as: TTRPCInboundFrame.self) == .frame(self.frame(7, .request, [1, 2, 3, 4, 5])))
        #expect(try channel.finish().isClean)
    }

    @Test("the decoder passes ByteToMessageDecoderVerifier for several frames in one buffer")
    func verifier() throws {
        let frames = [
            self.frame(1, .request, [0x0A, 0x03, 0x61, 0x62, 0x63]),
            self.frame(3, .response, []),
            self.frame(5, .data, [9], flags: 0x04),
            self.frame(0xFFFF_FFFF, TTRPCMessageType(rawValue: 0x7F), Array(repeating: 1, count: 300)),
        ]
        var input = ByteBuffer()
        for frame in frames {
            var one = try self.encoded(frame)
            input.writeBuffer(&one)
        }
        try ByteToMessageDecoderVerifier.verifyDecoder(
            inputOutputPairs: [(input, frames.map { TTRPCInboundFrame.frame($0) })],
            decoderFactory: { TTRPCFrameDecoder(maxDataBytes: 1024) }
        )
    }

    @Test("an oversized frame is reported from its header alone and its data is skipped, not buffered")
    func oversizedFrameIsSkipped() throws {
        let max = 64
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(TTRPCFrameDecoder(maxDataBytes: max)))
        // The header alone announces 1000 bytes: the decoder answers before any data arrives.
        try channel.writeInbound(self.bytes([0, 0, 0x03, 0xE8, 0, 0, 0, 9, 1, 0]))
        let reported = try channel.readInbound(as: TTRPCInboundFrame.self)
        #expect(reported == .oversized(TTRPCFrameHeader(dataLength: 1000, streamID: 9, type: .request)))

        // The data streams past in chunks without producing anything...
        for _ in 0..<9 {
            try channel.writeInbound(ByteBuffer(repeating: 0xEE, count: 100))
            #expect(try channel.readInbound(as: TTRPCInboundFrame.self) == nil)
        }
        // ...and a chunk that ends the skipped data and starts a good frame yields just that frame.
        var tail = ByteBuffer(repeating: 0xEE, count: 100)
        var next = try self.encoded(self.frame(11, .request, [42]))
        tail.writeBuffer(&next)
        try channel.writeInbound(tail)
        #expect(try channel.readInbound(as: TTRPCInboundFrame.self) == .frame(self.frame(11, .request, [42])))
        #expect(try channel.readInbound(as: TTRPCInboundFrame.self) == nil)
        #expect(try channel.finish().isClean)
    }

    @Test("a frame of exactly the maximum is accepted")
    func frameAtTheMaximum() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(TTRPCFrameDecoder(maxDataBytes: 16)))
        try channel.writeInbound(try self.encoded(self.frame(1, .request, Array(repeating: 7, count: 16))))
        #expect(try channel.readInbound(as: TTRPCInboundFrame.self) == .frame(self.frame(1, .request, Array(repeating: 7, count: 16))))
        #expect(try channel.finish().isClean)
    }

    @Test("a non-zero reserved byte (an HTTP request, say) is a protocol error")
    func reservedByte() throws {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(TTRPCFrameDecoder()))
        var http = ByteBuffer()
        http.writeString("GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        let error = #expect(throws: RPCError.self) {
            try channel.writeInbound(http)
        }
        #expect(error?.code == .invalidArgument)
        #expect(try channel.readInbound(as: TTRPCInboundFrame.self) == nil)
        _ = try? channel.finish()
    }

    @Test("the encoder refuses a frame over its maximum")
    func encoderMaximum() throws {
        let error = #expect(throws: RPCError.self) {
            _ = try self.encoded(self.frame(1, .response, Array(repeating: 0, count: 17)), max: 16)
        }
        #expect(error?.code == .resourceExhausted)
        #expect(try self.encoded(self.frame(1, .response, Array(repeating: 0, count: 16)), max: 16).readableBytes == 26)
    }

    @Test("frames survive an encode/decode round trip", arguments: [0, 1, 10, 255, 4096, 65_537])
    func roundTrip(length: Int) throws {
        let original = self.frame(
            UInt32(length * 2 + 1),
            .response,
            (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31) },
            flags: UInt8(truncatingIfNeeded: length)
        )
        let channel = EmbeddedChannel()
        try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(TTRPCFrameDecoder()))
        try channel.pipeline.syncOperations.addHandler(MessageToByteHandler(TTRPCFrameEncoder()))
        try channel.writeOutbound(original)
        let wire = try #require(try channel.readOutbound(as: ByteBuffer.self))
        #expect(wire.readableBytes == TTRPCFrame.headerBytes + length)
        try channel.writeInbound(wire)
        #expect(try channel.readInbound(as: TTRPCInboundFrame.self) == .frame(original))
        #expect(try channel.finish().isClean)
    }
}
