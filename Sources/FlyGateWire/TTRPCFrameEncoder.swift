import NIOCore

/// Writes ttrpc frames: the 10-byte header, then the data.
package struct TTRPCFrameEncoder: MessageToByteEncoder {
    /// Frames in.
    package typealias OutboundIn = TTRPCFrame

    /// The largest data length this encoder writes; larger frames fail the write.
    package let maxDataBytes: Int

    /// Creates an encoder that refuses frames over `maxDataBytes` of data.
    package init(maxDataBytes: Int = TTRPCFrame.defaultMaxDataBytes) {
        precondition(
            (0...TTRPCFrame.largestEncodableDataBytes).contains(maxDataBytes),
            "maxDataBytes must fit in a ttrpc header"
        )
        self.maxDataBytes = maxDataBytes
    }

    /// Writes `frame` into `out`.
    package func encode(data frame: TTRPCFrame, out: inout ByteBuffer) throws {
        let length = frame.data.readableBytes
        guard length <= self.maxDataBytes else {
            throw RPCError(
                code: .resourceExhausted,
                message: "ttrpc frame of \(length) bytes is over the maximum of \(self.maxDataBytes)"
            )
        }
        out.reserveCapacity(minimumWritableBytes: TTRPCFrame.headerBytes + length)
        out.writeInteger(UInt32(length))
        out.writeInteger(frame.streamID)
        out.writeInteger(frame.type.rawValue)
        out.writeInteger(frame.flags)
        out.writeImmutableBuffer(frame.data)
    }
}
