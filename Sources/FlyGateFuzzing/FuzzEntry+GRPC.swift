import FlyGateServer
import NIOCore
import NIOEmbedded
import NIOHPACK
import NIOHTTP2

/// The gRPC side of the fuzz target: the stream codec (gRPC's length-prefixed framing, with
/// its limit and the byte budget) and request-head parsing (the method, `grpc-timeout`,
/// metadata) with the percent-encoding of `grpc-message`.
extension FuzzEntry {
    /// The largest message the fuzzed codec takes: small, so that inputs reach its refusal too.
    static let grpcMaxMessageBytes = 1024

    /// What the stream codec made of an input: its parts, the request bytes it was fed, and
    /// the budget bytes it held before and after its stream closed.
    struct GRPCStreamRun {
        var parts: [GRPCRequestPart] = []
        var fed: [UInt8] = []
        var heldWhileOpen = 0
        var heldAfterClose = 0
    }

    /// Feeds the input to a stream codec as a gRPC request's body: HEADERS, then the bytes in
    /// three DATA frames (split where the sum of the bytes says: every byte is the body's, so
    /// none can be set aside to choose), the stream ending with the last frame when the length
    /// is a multiple of 3, by trailers when it is one more, and not at all when it is two more.
    static func decodeGRPCStream(_ bytes: [UInt8]) -> GRPCStreamRun {
        let budget = BufferBudget(capacity: 64 * 1024)
        let channel = EmbeddedChannel(
            handler: GRPCStreamCodec(maxMessageBytes: grpcMaxMessageBytes, account: BufferAccount(budget: budget)))
        var run = GRPCStreamRun(fed: bytes)
        let sum = bytes.reduce(0) { $0 &+ Int($1) }
        let first = sum % (bytes.count + 1)
        let second = first + (sum / 7) % (bytes.count - first + 1)
        let ending = (data: bytes.count % 3 == 0, trailers: bytes.count % 3 == 1)
        var frames: [HTTP2Frame.FramePayload] = [.headers(.init(headers: [":method": "POST"]))]
        for (index, piece) in [bytes[..<first], bytes[first..<second], bytes[second...]].enumerated() {
            let data = HTTP2Frame.FramePayload.Data(data: .byteBuffer(ByteBuffer(bytes: piece)), endStream: index == 2 && ending.data)
            frames.append(.data(data))
        }
        if ending.trailers { frames.append(.headers(.init(headers: ["x-trailer": "1"], endStream: true))) }
        for frame in frames {
            // The codec throws nothing: what it refuses becomes a part.
            _ = try? channel.writeInbound(frame)
        }
        while let part = try? channel.readInbound(as: GRPCRequestPart.self) { run.parts.append(part) }
        run.heldWhileOpen = budget.bufferedBytes
        _ = try? channel.finish()
        run.heldAfterClose = budget.bufferedBytes
        return run
    }

    /// Request headers from the input, one `name: value` field a line (at most 64 lines). A
    /// name that is not ASCII is left out: HTTP/2 refuses it before the daemon sees headers
    /// (and HPACKHeaders traps on one).
    static func grpcHeaders(_ bytes: [UInt8]) -> HPACKHeaders {
        var headers = HPACKHeaders()
        for line in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: true).prefix(64) {
            let text = String(decoding: line, as: UTF8.self)
            // From the second character on, so that a pseudo-header's own colon is its name's.
            let afterFirst = text.index(text.startIndex, offsetBy: 1, limitedBy: text.endIndex) ?? text.endIndex
            let (name, value) = text[afterFirst...].range(of: ": ").map {
                (String(text[..<$0.lowerBound]), String(text[$0.upperBound...]))
            } ?? (text, "")
            guard name.utf8.allSatisfy({ $0 < 0x80 }) else { continue }
            headers.add(name: name, value: value)
        }
        return headers
    }

    /// Whether the input, read as request headers, is a gRPC request head (the corpus replay
    /// counts these, so that its head checks have something to check).
    package static func parsesAsGRPCHead(_ bytes: [UInt8]) -> Bool {
        (try? GRPCRequestHead(grpcHeaders(bytes))) != nil
    }

    /// Parses the input as request headers, each value as a `grpc-timeout` and percent-encoded
    /// as a `grpc-message` would be.
    static func parseGRPCHead(_ bytes: [UInt8]) {
        let headers = grpcHeaders(bytes)
        _ = try? GRPCRequestHead(headers)
        for (_, value, _) in headers {
            _ = GRPCRequestHead.nanoseconds(ofTimeout: value)
            _ = HPACKHeaders.percentEncoded(value)
        }
    }

    /// The gRPC checks with an inverse or an invariant: the messages the codec passes on,
    /// framed again by the codec itself, are the bytes it was fed (all of them when the stream
    /// ended well); its parts come in order (headers, messages, one end or refusal); its
    /// budget share is what it holds and nothing once its stream closed. A parsed request
    /// head, written back as headers, parses to the same head; a `grpc-timeout` written without
    /// leading zeros means the same; percent-encoding is printable ASCII and decodes back.
    static func grpcRoundTripFailures(_ bytes: [UInt8]) -> [String] {
        var failures: [String] = []
        let run = decodeGRPCStream(bytes)
        failures += streamFailures(run)

        let headers = grpcHeaders(bytes)
        if let head = try? GRPCRequestHead(headers) {
            failures += headFailures(head, original: headers)
        }
        for (_, value, _) in headers {
            let encoded = HPACKHeaders.percentEncoded(value)
            if !encoded.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) {
                failures.append("grpc-message: the percent-encoding of \(value.debugDescription) is not printable ASCII")
            }
            if percentDecoded(encoded) != Array(value.utf8) {
                failures.append("grpc-message: \(value.debugDescription) percent-encoded does not decode back")
            }
            if let nanoseconds = GRPCRequestHead.nanoseconds(ofTimeout: value) {
                let canonical = String(Int64(value.dropLast())!) + String(value.last!)
                if nanoseconds < 0 || GRPCRequestHead.nanoseconds(ofTimeout: canonical) != nanoseconds {
                    failures.append("grpc-timeout: \(value.debugDescription) and \(canonical) differ")
                }
            }
        }
        return failures
    }

    private static func streamFailures(_ run: GRPCStreamRun) -> [String] {
        var failures: [String] = []
        guard case .headers? = run.parts.first else { return ["grpc stream: the headers were not passed on first"] }
        var reframed: [UInt8] = []
        let encoder = EmbeddedChannel(handler: GRPCStreamCodec(maxMessageBytes: grpcMaxMessageBytes))
        defer { _ = try? encoder.finish() }
        var terminal: GRPCRequestPart?
        for part in run.parts.dropFirst() {
            if terminal != nil { failures.append("grpc stream: a part after the end or a refusal") }
            switch part {
            case .headers:
                failures.append("grpc stream: headers passed on twice")
            case .message(let message):
                if message.readableBytes > grpcMaxMessageBytes { failures.append("grpc stream: a message over the maximum was passed on") }
                _ = try? encoder.writeOutbound(GRPCResponsePart.message(message))
                while case .data(let data)? = try? encoder.readOutbound(as: HTTP2Frame.FramePayload.self),
                    case .byteBuffer(let framed) = data.data {
                    reframed += Array(framed.readableBytesView)
                }
            case .end, .refused:
                terminal = part
            }
        }
        switch terminal {
        case .end?:
            if reframed != run.fed { failures.append("grpc stream: its messages framed again are not the bytes it was fed") }
        case .refused?:
            if !run.fed.starts(with: reframed) { failures.append("grpc stream: its messages framed again are not the start of its input") }
            if run.heldWhileOpen != 0 { failures.append("grpc stream: a refused stream holds \(run.heldWhileOpen) budget bytes") }
        default:
            if !run.fed.starts(with: reframed) { failures.append("grpc stream: its messages framed again are not the start of its input") }
            if run.heldWhileOpen != run.fed.count - reframed.count {
                failures.append("grpc stream: holds \(run.heldWhileOpen) budget bytes for \(run.fed.count - reframed.count) unread")
            }
        }
        if run.heldAfterClose != 0 { failures.append("grpc stream: \(run.heldAfterClose) budget bytes held after its stream closed") }
        return failures
    }

    private static func headFailures(_ head: GRPCRequestHead, original: HPACKHeaders) -> [String] {
        var failures: [String] = []
        if head.service.contains("/") || head.method.contains("/") || head.service.isEmpty || head.method.isEmpty {
            failures.append("grpc head: service \(head.service.debugDescription) or method \(head.method.debugDescription) is not a path segment")
        }
        for (key, _) in head.metadata
        where key.hasPrefix(":") || key.hasPrefix("grpc-") || GRPCRequestHead.reservedHeaders.contains(key) || key != key.lowercased() {
            failures.append("grpc head: metadata key \(key.debugDescription) is reserved or not lower-case")
        }
        var again: HPACKHeaders = [":method": "POST", ":path": "/\(head.service)/\(head.method)", "content-type": head.contentType]
        if let timeout = original.first(name: "grpc-timeout") { again.add(name: "grpc-timeout", value: timeout) }
        for (key, value) in head.metadata { again.add(name: key, value: value) }
        guard let reparsed = try? GRPCRequestHead(again) else {
            return failures + ["grpc head: written back as headers it does not parse"]
        }
        if reparsed.service != head.service || reparsed.method != head.method || reparsed.contentType != head.contentType
            || reparsed.timeoutNanoseconds != head.timeoutNanoseconds
            || !reparsed.metadata.elementsEqual(head.metadata, by: { $0.key == $1.key && $0.value == $1.value })
        {
            failures.append("grpc head: written back as headers it parses to another head")
        }
        return failures
    }

    /// `%XX` back to its byte, as a gRPC client reads `grpc-message`; other bytes as they are.
    static func percentDecoded(_ text: String) -> [UInt8] {
        let bytes = Array(text.utf8)
        var decoded: [UInt8] = []
        var index = 0
        while index < bytes.count {
            if bytes[index] == UInt8(ascii: "%"), index + 2 < bytes.count,
                let byte = UInt8(String(decoding: bytes[index + 1...index + 2], as: UTF8.self), radix: 16)
            {
                decoded.append(byte)
                index += 3
            } else {
                decoded.append(bytes[index])
                index += 1
            }
        }
        return decoded
    }
}
