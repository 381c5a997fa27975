import NIOCore
import NIOHTTP1

/// The bytes of one HTTP/1.1 request, written in one pass into one buffer: the request line,
/// the request's headers, `host`, `content-length` when there is a body (or the method is not
/// GET), the blank line and the body.
///
/// Header values are not checked here: each is checked where it is made (the token, the host
/// with the upstream URL and a lease nonce in `RESTCall` with `isVisibleASCII`; the user agent
/// when configured).
enum HTTP1RequestWriter {
    static func write(_ request: UpstreamRequest, hostHeader: String, into buffer: inout ByteBuffer) {
        buffer.writeString(request.method.rawValue)
        buffer.writeInteger(UInt8(ascii: " "))
        buffer.writeString(request.target)
        buffer.writeStaticString(" HTTP/1.1\r\nhost: ")
        buffer.writeString(hostHeader)
        buffer.writeStaticString("\r\n")
        for (name, value) in request.headers {
            buffer.writeString(name)
            buffer.writeStaticString(": ")
            buffer.writeString(value)
            buffer.writeStaticString("\r\n")
        }
        if let body = request.body {
            buffer.writeStaticString("content-length: ")
            buffer.writeString(String(body.count))
            buffer.writeStaticString("\r\n\r\n")
            buffer.writeBytes(body)
        } else if request.method != .GET {
            buffer.writeStaticString("content-length: 0\r\n\r\n")
        } else {
            buffer.writeStaticString("\r\n")
        }
    }
}

/// Reads one HTTP/1.1 answer from the bytes of a connection, as they come, in whatever pieces.
///
/// It is strict where leniency has been the way into HTTP clients: a head is at most
/// `maxHeadBytes` and `maxHeaderCount` fields, header names are tokens with the colon right after
/// them, values hold no control characters but tab, folded lines are refused, `content-length`
/// is digits only (repeated, only ever the same value), an answer with both `content-length` and
/// `transfer-encoding` is refused, and `chunked` is the only transfer coding read. A line may end
/// in CRLF or a bare LF (RFC 9112 §2.2). Interim (1xx) answers are skipped, but `101` is refused:
/// the client never asks to switch protocols. An answer with no length is read until the server
/// closes (`finish()`), and the connection is then not reused.
package struct HTTP1ResponseReader {
    package enum Failure: Error, Equatable {
        /// Not an HTTP/1.x answer this reader accepts.
        case malformed
        /// The body is larger than `maxBodyBytes`.
        case tooLarge
    }

    /// A whole answer: of its headers, the two the client reads (each the first of its name);
    /// the others are checked and dropped.
    package struct Answer: Equatable {
        package var status: Int
        package var flyRequestID: String?
        package var retryAfter: String?
        package var body: [UInt8]
        /// The server allows another request on the connection (HTTP/1.1 without
        /// `connection: close`, or HTTP/1.0 with `connection: keep-alive`), and the answer's end
        /// was known without the server closing.
        package var keepAlive: Bool
    }

    package static let maxHeadBytes = 64 * 1024
    package static let maxHeaderCount = 128
    /// A chunk-size line, its extensions included.
    package static let maxChunkLineBytes = 4 * 1024

    private enum Framing {
        case length(Int)
        case chunked
        case untilClose
    }

    private enum State {
        /// Reading a head; `scanned` bytes of it are known to hold no blank line.
        case head(scanned: Int)
        /// Reading `remaining` bytes of a `content-length` body.
        case body(remaining: Int)
        /// Reading a chunk-size line.
        case chunkSize
        /// Reading `remaining` bytes of a chunk's data, then its CRLF.
        case chunkData(remaining: Int)
        /// Reading the CRLF after a chunk's data.
        case chunkDataEnd
        /// Reading trailer fields after the last chunk, up to the blank line.
        case trailers
        /// Reading until the server closes.
        case untilClose
    }

    package let maxBodyBytes: Int
    /// The request was HEAD: the answer has no body whatever its headers say.
    package let answersHEAD: Bool
    private var state = State.head(scanned: 0)
    private var status = 0
    private var flyRequestID: String?
    private var retryAfter: String?
    private var keepAlive = true
    private var body: [UInt8] = []
    private var trailerBytes = 0

    package init(maxBodyBytes: Int, answersHEAD: Bool = false) {
        self.maxBodyBytes = maxBodyBytes
        self.answersHEAD = answersHEAD
    }

    /// Reads what it can of `buffer`; returns the answer once it is whole, leaving any bytes
    /// after it in `buffer`. Throws at the first sign that the bytes are not an answer it reads.
    package mutating func read(_ buffer: inout ByteBuffer) throws(Failure) -> Answer? {
        while true {
            switch state {
            case .head(let scanned):
                guard let headEnd = try Self.blankLine(in: buffer, from: scanned, limit: Self.maxHeadBytes) else {
                    state = .head(scanned: max(0, buffer.readableBytes - 1))
                    return nil
                }
                let head = buffer.readSlice(length: headEnd.end)!
                state = .head(scanned: 0)
                if let framing = try readHead(head, length: headEnd.content) {
                    switch framing {
                    case .length(0): return finished()
                    case .length(let count): state = .body(remaining: count)
                    case .chunked: state = .chunkSize
                    case .untilClose: state = .untilClose
                    }
                }
            case .body(let remaining):
                let count = min(remaining, buffer.readableBytes)
                append(buffer.readSlice(length: count)!)
                if count == remaining { return finished() }
                state = .body(remaining: remaining - count)
                return nil
            case .chunkSize:
                guard let line = try Self.line(in: buffer, limit: Self.maxChunkLineBytes) else { return nil }
                let size = try Self.chunkSize(buffer.readSlice(length: line.end)!, length: line.content)
                if size == 0 {
                    state = .trailers
                } else {
                    guard size <= maxBodyBytes - body.count else { throw .tooLarge }
                    state = .chunkData(remaining: size)
                }
            case .chunkData(let remaining):
                let count = min(remaining, buffer.readableBytes)
                append(buffer.readSlice(length: count)!)
                guard count == remaining else {
                    state = .chunkData(remaining: remaining - count)
                    return nil
                }
                state = .chunkDataEnd
            case .chunkDataEnd:
                guard let line = try Self.line(in: buffer, limit: 2) else { return nil }
                guard line.content == 0 else { throw .malformed }
                buffer.moveReaderIndex(forwardBy: line.end)
                state = .chunkSize
            case .trailers:
                // Trailer fields are read past and dropped: nothing in the Machines API sends any.
                guard let line = try Self.line(in: buffer, limit: Self.maxHeadBytes - trailerBytes) else { return nil }
                buffer.moveReaderIndex(forwardBy: line.end)
                trailerBytes += line.end
                if line.content == 0 { return finished() }
            case .untilClose:
                guard buffer.readableBytes <= maxBodyBytes - body.count else { throw .tooLarge }
                append(buffer.readSlice(length: buffer.readableBytes)!)
                return nil
            }
        }
    }

    /// The server closed the connection: the answer, when its end is the close.
    package mutating func finish() -> Answer? {
        guard case .untilClose = state else { return nil }
        keepAlive = false
        return finished()
    }

    private mutating func append(_ slice: ByteBuffer) {
        slice.withUnsafeReadableBytes { body.append(contentsOf: $0) }
    }

    /// The answer read, and the reader ready for the next.
    private mutating func finished() -> Answer {
        let answer = Answer(
            status: status, flyRequestID: flyRequestID, retryAfter: retryAfter, body: body, keepAlive: keepAlive)
        self = HTTP1ResponseReader(maxBodyBytes: maxBodyBytes, answersHEAD: answersHEAD)
        return answer
    }

    // MARK: The head

    /// Reads a head (`length` bytes before its blank line); returns how its body is framed, or
    /// nil for an interim answer, which is skipped.
    private mutating func readHead(_ head: ByteBuffer, length: Int) throws(Failure) -> Framing? {
        try head.withUnsafeReadableBytes { bytes throws(Failure) in
            var lines = HeadLines(bytes: UnsafeRawBufferPointer(rebasing: bytes[..<length]))
            guard let statusLine = lines.next() else { throw .malformed }
            let (version, status) = try Self.statusLine(statusLine)
            if status < 200 {
                if status == 101 { throw .malformed }
                return nil
            }
            var fields = HeadFields()
            var count = 0
            while let line = lines.next() {
                count += 1
                guard count <= Self.maxHeaderCount else { throw .malformed }
                try fields.add(line)
            }
            return try framing(status: status, minorVersion: version, fields)
        }
    }

    /// How the body after a final answer's head is framed; keeps the head.
    private mutating func framing(status: Int, minorVersion: Int, _ fields: HeadFields) throws(Failure) -> Framing {
        self.status = status
        flyRequestID = fields.flyRequestID
        retryAfter = fields.retryAfter
        keepAlive = !fields.connectionClose && (minorVersion == 1 || fields.connectionKeepAlive)
        if fields.chunked, fields.contentLength != nil { throw .malformed }
        if answersHEAD || status == 204 || status == 304 { return .length(0) }
        if fields.chunked { return .chunked }
        if let contentLength = fields.contentLength {
            guard contentLength <= maxBodyBytes else { throw .tooLarge }
            body.reserveCapacity(contentLength)
            return .length(contentLength)
        }
        keepAlive = false
        return .untilClose
    }

    /// What the reader keeps of a head's fields (read from the bytes: no string is made to
    /// look at a name).
    private struct HeadFields {
        var flyRequestID: String?
        var retryAfter: String?
        var contentLength: Int?
        var chunked = false
        var connectionClose = false
        var connectionKeepAlive = false

        mutating func add(_ line: UnsafeRawBufferPointer) throws(Failure) {
            let (name, value) = try HTTP1ResponseReader.field(line)
            if name.equalsIgnoringCase("content-length") {
                for part in value.split(separator: UInt8(ascii: ","), omittingEmptySubsequences: false) {
                    let length = try HTTP1ResponseReader.contentLength(UnsafeRawBufferPointer(rebasing: part))
                    guard contentLength == nil || contentLength == length else { throw .malformed }
                    contentLength = length
                }
            } else if name.equalsIgnoringCase("transfer-encoding") {
                // Only `chunked` is read; any other coding (or `chunked` twice) is refused.
                guard !chunked, value.equalsIgnoringCase("chunked") else { throw .malformed }
                chunked = true
            } else if name.equalsIgnoringCase("connection") {
                for token in value.split(separator: UInt8(ascii: ",")) {
                    let token = UnsafeRawBufferPointer(rebasing: token).trimmingOWS
                    if token.equalsIgnoringCase("close") { connectionClose = true }
                    if token.equalsIgnoringCase("keep-alive") { connectionKeepAlive = true }
                }
            } else if flyRequestID == nil, name.equalsIgnoringCase("fly-request-id") {
                flyRequestID = String(decoding: value, as: UTF8.self)
            } else if retryAfter == nil, name.equalsIgnoringCase("retry-after") {
                retryAfter = String(decoding: value, as: UTF8.self)
            }
        }
    }

    /// The lines of a head, without their line ends. A folded line (one that begins with a space
    /// or tab) is refused by `field`, as neither is a token byte.
    private struct HeadLines {
        let bytes: UnsafeRawBufferPointer
        var position = 0

        mutating func next() -> UnsafeRawBufferPointer? {
            guard position < bytes.count else { return nil }
            let newline = bytes[position...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
            let end = newline > position && bytes[newline - 1] == UInt8(ascii: "\r") ? newline - 1 : newline
            defer { position = newline + 1 }
            return UnsafeRawBufferPointer(rebasing: bytes[position..<end])
        }
    }

    /// `HTTP/1.x NNN reason`: the minor version and the status.
    private static func statusLine(_ line: UnsafeRawBufferPointer) throws(Failure) -> (minorVersion: Int, status: Int) {
        // "HTTP/1.1 200" at least; the reason may be empty, and its space missing.
        guard line.count >= 12, line.starts(with: "HTTP/1.".utf8), line[8] == UInt8(ascii: " ") else {
            throw .malformed
        }
        let minor: Int
        switch line[7] {
        case UInt8(ascii: "0"): minor = 0
        case UInt8(ascii: "1"): minor = 1
        default: throw .malformed
        }
        var status = 0
        for index in 9..<12 {
            let digit = line[index] &- UInt8(ascii: "0")
            guard digit <= 9 else { throw .malformed }
            status = status * 10 + Int(digit)
        }
        guard (100...599).contains(status) else { throw .malformed }
        if line.count > 12 {
            guard line[12] == UInt8(ascii: " ") else { throw .malformed }
            for byte in line[13...] where !isFieldValueByte(byte) { throw .malformed }
        }
        return (minor, status)
    }

    /// `name: value`, the value without the white space around it.
    fileprivate static func field(_ line: UnsafeRawBufferPointer) throws(Failure)
        -> (name: UnsafeRawBufferPointer, value: UnsafeRawBufferPointer)
    {
        guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > 0 else { throw .malformed }
        for byte in line[..<colon] where !isTokenByte(byte) { throw .malformed }
        let value = UnsafeRawBufferPointer(rebasing: line[(colon + 1)...]).trimmingOWS
        for byte in value where !isFieldValueByte(byte) { throw .malformed }
        return (UnsafeRawBufferPointer(rebasing: line[..<colon]), value)
    }

    fileprivate static func contentLength(_ text: UnsafeRawBufferPointer) throws(Failure) -> Int {
        let digits = text.trimmingOWS
        // 18 digits stay below Int.max.
        guard !digits.isEmpty, digits.count <= 18 else { throw .malformed }
        var value = 0
        for byte in digits {
            let digit = byte &- UInt8(ascii: "0")
            guard digit <= 9 else { throw .malformed }
            value = value * 10 + Int(digit)
        }
        return value
    }

    /// A chunk-size line (`length` bytes before its line end): hex digits, then extensions,
    /// which are ignored.
    private static func chunkSize(_ line: ByteBuffer, length: Int) throws(Failure) -> Int {
        try line.withUnsafeReadableBytes { bytes throws(Failure) in
            var size = 0
            var digits = 0
            for byte in bytes[..<length] {
                let value: UInt8
                switch byte {
                case UInt8(ascii: "0")...UInt8(ascii: "9"): value = byte - UInt8(ascii: "0")
                case UInt8(ascii: "a")...UInt8(ascii: "f"): value = byte - UInt8(ascii: "a") + 10
                case UInt8(ascii: "A")...UInt8(ascii: "F"): value = byte - UInt8(ascii: "A") + 10
                case UInt8(ascii: ";"), UInt8(ascii: " "), UInt8(ascii: "\t"):
                    guard digits > 0 else { throw .malformed }
                    return size
                default: throw .malformed
                }
                // 15 hex digits stay below Int.max.
                guard digits < 15 else { throw .malformed }
                size = size << 4 | Int(value)
                digits += 1
            }
            guard digits > 0 else { throw .malformed }
            return size
        }
    }

    // MARK: Lines

    /// Where the first line of `buffer` ends: `content` bytes, then `end` with its CRLF or LF.
    /// Nil when no line end is in `buffer` yet; `malformed` when there is none in `limit` bytes.
    private static func line(in buffer: ByteBuffer, limit: Int) throws(Failure) -> (content: Int, end: Int)? {
        try buffer.withUnsafeReadableBytes { bytes throws(Failure) in
            guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else {
                if bytes.count > limit { throw .malformed }
                return nil
            }
            guard newline < limit else { throw .malformed }
            let content = newline > 0 && bytes[newline - 1] == UInt8(ascii: "\r") ? newline - 1 : newline
            return (content, newline + 1)
        }
    }

    /// Where the head at the start of `buffer` ends: `content` bytes before its blank line, and
    /// `end` after it. Looks from `scanned` on.
    private static func blankLine(in buffer: ByteBuffer, from scanned: Int, limit: Int) throws(Failure)
        -> (content: Int, end: Int)?
    {
        try buffer.withUnsafeReadableBytes { bytes throws(Failure) in
            var index = scanned
            while index < bytes.count {
                guard let newline = bytes[index...].firstIndex(of: UInt8(ascii: "\n")) else { break }
                // The line before this LF ended right before it (LF LF) or two before (LF CR LF).
                if newline > 0, bytes[newline - 1] == UInt8(ascii: "\n") {
                    guard newline < limit else { throw .malformed }
                    return (newline, newline + 1)
                }
                if newline > 1, bytes[newline - 1] == UInt8(ascii: "\r"), bytes[newline - 2] == UInt8(ascii: "\n") {
                    guard newline < limit else { throw .malformed }
                    return (newline - 1, newline + 1)
                }
                index = newline + 1
            }
            if bytes.count > limit { throw .malformed }
            return nil
        }
    }

    /// tchar of RFC 9110 §5.6.2.
    private static func isTokenByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            true
        case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
            UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "."),
            UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"), UInt8(ascii: "|"), UInt8(ascii: "~"):
            true
        default:
            false
        }
    }

    /// A visible byte, a space, a tab, or obs-text (RFC 9110 §5.5).
    private static func isFieldValueByte(_ byte: UInt8) -> Bool {
        byte == UInt8(ascii: "\t") || (byte >= 0x20 && byte != 0x7F)
    }
}

extension UnsafeRawBufferPointer {
    /// Without the spaces and tabs around it (HTTP's optional white space).
    fileprivate var trimmingOWS: UnsafeRawBufferPointer {
        var start = startIndex
        var end = endIndex
        while start < end, self[start] == UInt8(ascii: " ") || self[start] == UInt8(ascii: "\t") { start += 1 }
        while end > start, self[end - 1] == UInt8(ascii: " ") || self[end - 1] == UInt8(ascii: "\t") { end -= 1 }
        return UnsafeRawBufferPointer(rebasing: self[start..<end])
    }

    /// The same bytes as `lowercase`, letters in either case.
    fileprivate func equalsIgnoringCase(_ lowercase: StaticString) -> Bool {
        guard count == lowercase.utf8CodeUnitCount else { return false }
        let expected = UnsafeRawBufferPointer(start: lowercase.utf8Start, count: lowercase.utf8CodeUnitCount)
        for (byte, wanted) in zip(self, expected) {
            // Setting 0x20 lowercases a letter; `wanted` is lowercase, and only letters of it
            // may match an uppercase byte.
            guard byte == wanted || (byte | 0x20 == wanted && wanted >= UInt8(ascii: "a") && wanted <= UInt8(ascii: "z")) else {
                return false
            }
        }
        return true
    }
}

extension StringProtocol {
    /// Printable ASCII without spaces: what may go into a request header as it is.
    var isVisibleASCII: Bool { unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F } }
}
