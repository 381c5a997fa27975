import NIOCore

/// Splits a byte stream into ttrpc frames, checking the length before any data is buffered.
///
/// A frame whose announced length is over `maxDataBytes` is reported as
/// ``TTRPCInboundFrame/oversized(_:)`` as soon as its header is complete, and its data is then
/// dropped as it streams past, so at most one read's worth of it is ever in memory. A header
/// whose reserved byte 0 is not zero means the peer does not speak ttrpc (an HTTP request looks
/// like a 1 GiB frame): decoding throws and the connection should be closed.
package struct TTRPCFrameDecoder: ByteToMessageDecoder {
    /// Frames out: whole frames, or headers of oversized ones.
    package typealias InboundOut = TTRPCInboundFrame

    /// The largest data length accepted, header not counted.
    package let maxDataBytes: Int

    /// Bytes of an oversized frame still to be skipped.
    private var bytesToDiscard: Int = 0

    /// Creates a decoder that accepts frames up to `maxDataBytes` of data.
    package init(maxDataBytes: Int = TTRPCFrame.defaultMaxDataBytes) {
        precondition(
            (0...TTRPCFrame.largestEncodableDataBytes).contains(maxDataBytes),
            "maxDataBytes must fit in a ttrpc header"
        )
        self.maxDataBytes = maxDataBytes
    }

    /// Decodes one frame (or skips oversized data) from `buffer`.
    package mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        switch try self.step(&buffer) {
        case .needMoreData:
            return .needMoreData
        case .skipped:
            return .continue
        case .decoded(let unit):
            context.fireChannelRead(Self.wrapInboundOut(unit))
            return .continue
        }
    }

    /// Decodes what is left when the channel closes; a truncated frame is simply dropped.
    package mutating func decodeLast(
        context: ChannelHandlerContext,
        buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        try self.decode(context: context, buffer: &buffer)
    }

    /// What one decoding step did.
    private enum Step {
        case needMoreData
        case skipped
        case decoded(TTRPCInboundFrame)
    }

    /// One decoding step: skip oversized data, or decode one header (and its data).
    private mutating func step(_ buffer: inout ByteBuffer) throws -> Step {
        if self.bytesToDiscard > 0 {
            let skipped = min(self.bytesToDiscard, buffer.readableBytes)
            guard skipped > 0 else { return .needMoreData }
            buffer.moveReaderIndex(forwardBy: skipped)
            self.bytesToDiscard -= skipped
            return .skipped
        }

        guard buffer.readableBytes >= TTRPCFrame.headerBytes else { return .needMoreData }
        let start = buffer.readerIndex
        // Checked before anything else: a non-zero byte 0 is never a ttrpc length.
        let reserved = buffer.getInteger(at: start, as: UInt8.self)!
        guard reserved == 0 else {
            throw RPCError(
                code: .invalidArgument,
                message: "ttrpc header byte 0 is reserved and must be zero; the peer does not speak ttrpc"
            )
        }
        let header = TTRPCFrameHeader(
            dataLength: buffer.getInteger(at: start, as: UInt32.self)!,
            streamID: buffer.getInteger(at: start + 4, as: UInt32.self)!,
            type: TTRPCMessageType(rawValue: buffer.getInteger(at: start + 8, as: UInt8.self)!),
            flags: buffer.getInteger(at: start + 9, as: UInt8.self)!
        )
        let length = Int(header.dataLength)

        if length > self.maxDataBytes {
            buffer.moveReaderIndex(forwardBy: TTRPCFrame.headerBytes)
            self.bytesToDiscard = length
            return .decoded(.oversized(header))
        }

        guard buffer.readableBytes >= TTRPCFrame.headerBytes + length else { return .needMoreData }
        buffer.moveReaderIndex(forwardBy: TTRPCFrame.headerBytes)
        let data = buffer.readSlice(length: length)!
        return .decoded(.frame(TTRPCFrame(streamID: header.streamID, type: header.type, flags: header.flags, data: data)))
    }
}
