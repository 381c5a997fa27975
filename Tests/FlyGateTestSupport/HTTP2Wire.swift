import NIOCore
import NIOHPACK

/// HTTP/2 frames (RFC 9113) as bytes, for tests that speak HTTP/2 by hand: the well-formed
/// ones a client sends, and the hostile kinds no well-behaved stack would.
///
/// Header blocks are HPACK-encoded by NIOHPACK, every field as a literal without indexing, so
/// each block stands alone (no dynamic table state to keep between them).
package enum HTTP2Wire {
    /// The client connection preface.
    package static let preface: [UInt8] = Array("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".utf8)

    /// Frame types.
    package enum FrameType: UInt8, Sendable {
        case data = 0, headers = 1, priority = 2, rstStream = 3, settings = 4, pushPromise = 5, ping = 6, goAway = 7,
            windowUpdate = 8, continuation = 9
    }

    /// Frame flags.
    package enum Flag {
        /// DATA, HEADERS: the sender's side of the stream ends.
        package static let endStream: UInt8 = 0x1
        /// SETTINGS, PING: an acknowledgement.
        package static let ack: UInt8 = 0x1
        /// HEADERS, CONTINUATION: the header block ends here.
        package static let endHeaders: UInt8 = 0x4
    }

    /// Error codes (RST_STREAM, GOAWAY).
    package enum ErrorCode {
        /// NO_ERROR: a graceful end.
        package static let noError: UInt32 = 0x0
        /// PROTOCOL_ERROR.
        package static let protocolError: UInt32 = 0x1
        /// CANCEL: the stream is no longer needed.
        package static let cancel: UInt32 = 0x8
        /// ENHANCE_YOUR_CALM: the peer is flooding.
        package static let enhanceYourCalm: UInt32 = 0xB
    }

    /// Settings parameters.
    package enum Setting {
        /// SETTINGS_MAX_CONCURRENT_STREAMS.
        package static let maxConcurrentStreams: UInt16 = 0x3
        /// SETTINGS_INITIAL_WINDOW_SIZE.
        package static let initialWindowSize: UInt16 = 0x4
        /// SETTINGS_MAX_FRAME_SIZE.
        package static let maxFrameSize: UInt16 = 0x5
        /// SETTINGS_MAX_HEADER_LIST_SIZE.
        package static let maxHeaderListSize: UInt16 = 0x6
    }

    /// The largest frame payload a peer may send before the other side raises SETTINGS_MAX_FRAME_SIZE.
    package static let defaultMaxFrameSize = 16_384

    /// One frame: the 9-byte header and `payload`.
    package static func frame(_ type: FrameType, flags: UInt8 = 0, stream: UInt32 = 0, _ payload: [UInt8] = []) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(9 + payload.count)
        bytes += [UInt8(truncatingIfNeeded: payload.count >> 16), UInt8(truncatingIfNeeded: payload.count >> 8),
                  UInt8(truncatingIfNeeded: payload.count)]
        bytes += [type.rawValue, flags]
        bytes += bigEndian(stream & 0x7FFF_FFFF)
        return bytes + payload
    }

    /// A SETTINGS frame with `parameters` (identifier, value).
    package static func settings(_ parameters: [(UInt16, UInt32)] = []) -> [UInt8] {
        frame(.settings, parameters.flatMap { bigEndian($0.0) + bigEndian($0.1) })
    }

    /// The acknowledgement of the peer's SETTINGS.
    package static var settingsAck: [UInt8] { frame(.settings, flags: Flag.ack) }

    /// A PING (or its acknowledgement) carrying `opaque`.
    package static func ping(_ opaque: UInt64, ack: Bool = false) -> [UInt8] {
        frame(.ping, flags: ack ? Flag.ack : 0, bigEndian(opaque))
    }

    /// A HEADERS frame carrying `block` whole (END_HEADERS), or its first part (then CONTINUATION frames follow).
    package static func headers(stream: UInt32, block: [UInt8], endStream: Bool = false, endHeaders: Bool = true) -> [UInt8] {
        frame(.headers, flags: (endStream ? Flag.endStream : 0) | (endHeaders ? Flag.endHeaders : 0), stream: stream, block)
    }

    /// A CONTINUATION frame carrying the next part of a header block.
    package static func continuation(stream: UInt32, block: [UInt8], endHeaders: Bool) -> [UInt8] {
        frame(.continuation, flags: endHeaders ? Flag.endHeaders : 0, stream: stream, block)
    }

    /// `block` as one HEADERS frame and as many CONTINUATION frames as the default frame size needs.
    package static func headerFrames(stream: UInt32, block: [UInt8], endStream: Bool = false) -> [UInt8] {
        let size = defaultMaxFrameSize
        guard block.count > size else { return headers(stream: stream, block: block, endStream: endStream) }
        var bytes = headers(stream: stream, block: Array(block[0..<size]), endStream: endStream, endHeaders: false)
        var offset = size
        while offset < block.count {
            let end = min(offset + size, block.count)
            bytes += continuation(stream: stream, block: Array(block[offset..<end]), endHeaders: end == block.count)
            offset = end
        }
        return bytes
    }

    /// A DATA frame.
    package static func data(stream: UInt32, _ payload: [UInt8], endStream: Bool = false) -> [UInt8] {
        frame(.data, flags: endStream ? Flag.endStream : 0, stream: stream, payload)
    }

    /// A RST_STREAM frame.
    package static func rstStream(stream: UInt32, code: UInt32 = ErrorCode.cancel) -> [UInt8] {
        frame(.rstStream, stream: stream, bigEndian(code))
    }

    /// A WINDOW_UPDATE frame (stream 0 for the connection's window).
    package static func windowUpdate(stream: UInt32, increment: UInt32) -> [UInt8] {
        frame(.windowUpdate, stream: stream, bigEndian(increment))
    }

    /// `fields` HPACK-encoded, each a literal without indexing (Huffman-coded as NIOHPACK does).
    package static func headerBlock(_ fields: [(String, String)]) -> [UInt8] {
        var headers = HPACKHeaders()
        for (name, value) in fields { headers.add(name: name, value: value, indexing: .nonIndexable) }
        var encoder = HPACKEncoder(allocator: ByteBufferAllocator())
        var buffer = ByteBuffer()
        // Only a header block already being encoded throws; this encoder is new.
        try! encoder.encode(headers: headers, to: &buffer)
        return Array(buffer.readableBytesView)
    }

    /// The request headers of a gRPC call to `path` (`/service/method`), and `extra` fields after them.
    package static func grpcRequest(path: String, extra: [(String, String)] = []) -> [(String, String)] {
        [(":method", "POST"), (":scheme", "http"), (":path", path), (":authority", "localhost"),
         ("content-type", "application/grpc"), ("te", "trailers")] + extra
    }

    /// `message` in gRPC's length-prefixed framing (uncompressed).
    package static func grpcMessage(_ message: [UInt8]) -> [UInt8] {
        [0] + bigEndian(UInt32(message.count)) + message
    }

    /// A gRPC length prefix claiming `length` bytes, with no message after it.
    package static func grpcPrefix(claiming length: UInt32) -> [UInt8] {
        [0] + bigEndian(length)
    }

    static func bigEndian<I: FixedWidthInteger>(_ value: I) -> [UInt8] {
        (0..<I.bitWidth / 8).reversed().map { UInt8(truncatingIfNeeded: value >> ($0 * 8)) }
    }
}

/// A frame as the server sent it.
package struct HTTP2InboundFrame: Sendable, CustomStringConvertible {
    /// The frame type (``HTTP2Wire/FrameType``'s raw value, or one this code does not know).
    package let type: UInt8
    /// The flags (``HTTP2Wire/Flag``).
    package let flags: UInt8
    /// The stream, 0 for the connection.
    package let streamID: UInt32
    /// The payload, padding and all.
    package let payload: [UInt8]
    /// A HEADERS frame's fields, HPACK-decoded (by ``RawHTTP2Connection``, which keeps the table).
    package var fields: [(name: String, value: String)] = []

    /// The value of the first field named `name`.
    package func field(_ name: String) -> String? { fields.first { $0.name == name }?.value }

    /// Whether this is a frame of `type`.
    package func `is`(_ type: HTTP2Wire.FrameType) -> Bool { self.type == type.rawValue }

    /// Whether END_STREAM is set.
    package var endStream: Bool { flags & HTTP2Wire.Flag.endStream != 0 }

    /// The error code of a GOAWAY or RST_STREAM frame.
    package var errorCode: UInt32? {
        let offset: Int
        switch HTTP2Wire.FrameType(rawValue: type) {
        case .goAway: offset = 4
        case .rstStream: offset = 0
        default: return nil
        }
        guard payload.count >= offset + 4 else { return nil }
        return payload[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    /// A SETTINGS frame's parameters.
    package var settings: [UInt16: UInt32] {
        guard self.is(.settings) else { return [:] }
        var result: [UInt16: UInt32] = [:]
        var offset = 0
        while offset + 6 <= payload.count {
            let id = payload[offset..<offset + 2].reduce(0) { $0 << 8 | UInt16($1) }
            result[id] = payload[offset + 2..<offset + 6].reduce(0) { $0 << 8 | UInt32($1) }
            offset += 6
        }
        return result
    }

    /// A PING frame's opaque data.
    package var pingData: UInt64? {
        guard self.is(.ping), payload.count == 8 else { return nil }
        return payload.reduce(0) { $0 << 8 | UInt64($1) }
    }

    package var description: String {
        let name = HTTP2Wire.FrameType(rawValue: type).map { "\($0)" } ?? "type \(type)"
        let code = errorCode.map { " error \($0)" } ?? ""
        return "\(name) stream \(streamID) flags \(flags) \(payload.count) bytes\(code)"
    }
}

/// Splits the bytes a server sends into frames (no preface comes from a server).
struct HTTP2InboundFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = HTTP2InboundFrame

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard buffer.readableBytes >= 9,
            let length = buffer.getBytes(at: buffer.readerIndex, length: 3)?.reduce(0, { $0 << 8 | Int($1) }),
            buffer.readableBytes >= 9 + length
        else { return .needMoreData }
        let header = buffer.readBytes(length: 9)!
        let frame = HTTP2InboundFrame(
            type: header[3],
            flags: header[4],
            streamID: header[5..<9].reduce(0) { $0 << 8 | UInt32($1) } & 0x7FFF_FFFF,
            payload: buffer.readBytes(length: length)!
        )
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }
}
