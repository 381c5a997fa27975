import NIOCore
import SwiftProtobuf

extension SwiftProtobuf.Message {
    /// Decodes a message from the readable bytes of `buffer`.
    package init(buffer: ByteBuffer) throws {
        try self.init(serializedBytes: Array(buffer.readableBytesView))
    }

    /// The message's binary serialization in a new buffer.
    package func serializedByteBuffer() throws -> ByteBuffer {
        let bytes: [UInt8] = try self.serializedBytes()
        return ByteBuffer(bytes: bytes)
    }
}
