import NIOCore

/// One ttrpc frame: the header fields and the data that follows the header.
package struct TTRPCFrame: Sendable, Hashable {
    /// The stream the frame belongs to; client-started streams are odd.
    package var streamID: UInt32
    /// What the data holds: a Request, a Response or (1.2 streaming) Data.
    package var type: TTRPCMessageType
    /// Streaming flags (``TTRPCFlags``); 0 for unary calls.
    package var flags: UInt8
    /// The frame's data: a serialized envelope message.
    package var data: ByteBuffer

    /// Creates a frame from its parts.
    package init(streamID: UInt32, type: TTRPCMessageType, flags: UInt8 = 0, data: ByteBuffer) {
        self.streamID = streamID
        self.type = type
        self.flags = flags
        self.data = data
    }
}

extension TTRPCFrame {
    /// Size of the fixed header: length (4), stream id (4), type (1), flags (1).
    package static let headerBytes = 10

    /// The protocol's maximum data length, 4 MiB, and flygate's default.
    package static let defaultMaxDataBytes = 4 * 1024 * 1024

    /// The largest data length a header can carry while its reserved byte 0 stays zero.
    package static let largestEncodableDataBytes = (1 << 24) - 1
}

/// The message type byte of a frame header.
package struct TTRPCMessageType: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
    /// The byte on the wire.
    package var rawValue: UInt8

    /// Wraps any byte; unknown types are passed on for the receiver to ignore.
    package init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    /// A call from a client (0x01).
    package static let request = TTRPCMessageType(rawValue: 0x01)
    /// The answer to a call (0x02).
    package static let response = TTRPCMessageType(rawValue: 0x02)
    /// A streaming data frame (0x03, ttrpc 1.2+): one message of a stream.
    package static let data = TTRPCMessageType(rawValue: 0x03)

    /// A readable name for logs.
    package var description: String {
        switch self {
        case .request: "request"
        case .response: "response"
        case .data: "data"
        default: "type(\(self.rawValue))"
        }
    }
}

/// The flag bits of a frame header (ttrpc 1.2 streaming; unary calls send 0).
package enum TTRPCFlags {
    /// On a Request: the client sends nothing after it (a server-streaming call). On a Data
    /// frame: the sender's last frame on the stream.
    package static let remoteClosed: UInt8 = 0x01
    /// On a Request: the client goes on sending Data frames (client or bidirectional streaming).
    package static let remoteOpen: UInt8 = 0x02
    /// On a Data frame: it carries no message (usually the closing frame).
    package static let noData: UInt8 = 0x04
}

/// A frame header whose data is not (or not yet) in memory.
package struct TTRPCFrameHeader: Sendable, Hashable {
    /// The announced data length, header not counted.
    package var dataLength: UInt32
    /// The stream the frame belongs to.
    package var streamID: UInt32
    /// The frame's message type.
    package var type: TTRPCMessageType
    /// The frame's flags.
    package var flags: UInt8

    /// Creates a header from its parts.
    package init(dataLength: UInt32, streamID: UInt32, type: TTRPCMessageType, flags: UInt8 = 0) {
        self.dataLength = dataLength
        self.streamID = streamID
        self.type = type
        self.flags = flags
    }
}

/// What the frame decoder yields: a whole frame, or the header of one too large to accept.
package enum TTRPCInboundFrame: Sendable, Hashable {
    /// A frame within the maximum, data included.
    case frame(TTRPCFrame)
    /// A frame over the maximum; its data is discarded as it arrives and never buffered.
    case oversized(TTRPCFrameHeader)
}
