import FlyMachinesAPI
import NIOCore
import Testing

/// The upstream client's HTTP/1.1 answer reader: every framing the Machines API and a proxy in
/// front of it can use, read whole and in any pieces, and the answers it must refuse.
@Suite("HTTP/1.1 answer reader")
struct HTTP1ResponseReaderTests {
    typealias Reader = HTTP1ResponseReader

    /// Feeds `pieces` in order; the answer, the bytes left after it, or the failure.
    static func read(_ pieces: [[UInt8]], maxBodyBytes: Int = 1024, head: Bool = false, closeAfter: Bool = false)
        -> Result<(Reader.Answer, rest: [UInt8])?, Reader.Failure>
    {
        var reader = Reader(maxBodyBytes: maxBodyBytes, answersHEAD: head)
        var buffer = ByteBuffer()
        do {
            for piece in pieces {
                buffer.writeBytes(piece)
                if let answer = try reader.read(&buffer) { return .success((answer, Array(buffer: buffer))) }
            }
        } catch {
            return .failure(error)
        }
        if closeAfter, let answer = reader.finish() { return .success((answer, [])) }
        return .success(nil)
    }

    static func answer(_ text: String, maxBodyBytes: Int = 1024, head: Bool = false, closeAfter: Bool = false)
        throws -> Reader.Answer
    {
        let result = try read([Array(text.utf8)], maxBodyBytes: maxBodyBytes, head: head, closeAfter: closeAfter).get()
        return try #require(result?.0, "no whole answer in \(text.debugDescription)")
    }

    static func failure(_ text: String, maxBodyBytes: Int = 1024) -> Reader.Failure? {
        guard case .failure(let failure) = read([Array(text.utf8)], maxBodyBytes: maxBodyBytes, closeAfter: true) else {
            return nil
        }
        return failure
    }

    static let machine = #"{"id":"m1","state":"started"}"#
    static let simple =
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: \(machine.utf8.count)\r\nfly-request-id: r1\r\n\r\n\(machine)"
    static let chunked =
        "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n4;name=value\r\n{\"id\r\n19\r\n\":\"m1\",\"state\":\"started\"}\r\n0\r\ntrailer: x\r\n\r\n"

    @Test("a content-length answer: status, headers in order, body, kept alive")
    func contentLength() throws {
        let answer = try Self.answer(Self.simple)
        #expect(answer.status == 200)
        #expect(answer.flyRequestID == "r1")
        #expect(answer.retryAfter == nil)
        #expect(answer.body == Array(Self.machine.utf8))
        #expect(answer.keepAlive)
    }

    @Test("a chunked answer with extensions and trailers gives the chunks joined")
    func chunkedBody() throws {
        let answer = try Self.answer(Self.chunked)
        #expect(String(decoding: answer.body, as: UTF8.self) == Self.machine)
        #expect(answer.keepAlive)
    }

    @Test("any split of an answer into two pieces, and a byte at a time, reads the same", arguments: [HTTP1ResponseReaderTests.simple, HTTP1ResponseReaderTests.chunked])
    func everySplit(text: String) throws {
        let bytes = Array(text.utf8) + Array("HTTP/1.1".utf8)
        let whole = try #require(try Self.read([bytes]).get())
        #expect(whole.rest == Array("HTTP/1.1".utf8), "bytes after the answer stay unread")
        for split in 0...bytes.count {
            let pieces = try #require(try Self.read([Array(bytes[..<split]), Array(bytes[split...])]).get())
            #expect(pieces.0.body == whole.0.body && pieces.0.status == 200, "split at \(split)")
        }
        let bytewise = try #require(try Self.read(bytes.map { [$0] }).get())
        #expect(bytewise.0 == whole.0)
    }

    @Test("with no length, the body runs until the server closes, and the connection is not reused")
    func untilClose() throws {
        let text = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n\(Self.machine)"
        #expect(try Self.read([Array(text.utf8)]).get() == nil, "no answer before the close")
        let answer = try Self.answer(text, closeAfter: true)
        #expect(answer.body == Array(Self.machine.utf8))
        #expect(!answer.keepAlive)
    }

    @Test("a close mid-answer of known length gives no answer")
    func closedEarly() throws {
        for text in [String(Self.simple.dropLast(3)), String(Self.chunked.dropLast(3)), "HTTP/1.1 200 OK\r\n"] {
            #expect(try Self.read([Array(text.utf8)], closeAfter: true).get() == nil, "\(text.debugDescription)")
        }
    }

    @Test("204, 304 and an answer to HEAD have no body, whatever their headers say")
    func noBody() throws {
        for status in ["204 No Content", "304 Not Modified"] {
            let answer = try Self.answer("HTTP/1.1 \(status)\r\ncontent-length: 10\r\n\r\n")
            #expect(answer.body.isEmpty && answer.keepAlive)
        }
        let head = try Self.answer("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n", head: true)
        #expect(head.body.isEmpty && head.keepAlive)
    }

    @Test("interim answers are skipped; 101 is refused (the client never asks to switch)")
    func interim() throws {
        let answer = try Self.answer("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nlink: x\r\n\r\n" + Self.simple)
        #expect(answer.status == 200)
        #expect(answer.flyRequestID == "r1")
        #expect(Self.failure("HTTP/1.1 101 Switching Protocols\r\nupgrade: h2c\r\n\r\n") == .malformed)
    }

    @Test("keep-alive: HTTP/1.1 unless `connection: close`; HTTP/1.0 only with `connection: keep-alive`")
    func keepAlive() throws {
        #expect(try Self.answer("HTTP/1.1 200 OK\r\ncontent-length: 0\r\n\r\n").keepAlive)
        #expect(try !Self.answer("HTTP/1.1 200 OK\r\nConnection: Close\r\ncontent-length: 0\r\n\r\n").keepAlive)
        #expect(try !Self.answer("HTTP/1.1 200 OK\r\nconnection: upgrade, close\r\ncontent-length: 0\r\n\r\n").keepAlive)
        #expect(try !Self.answer("HTTP/1.0 200 OK\r\ncontent-length: 0\r\n\r\n").keepAlive)
        #expect(try Self.answer("HTTP/1.0 200 OK\r\nconnection: keep-alive\r\ncontent-length: 0\r\n\r\n").keepAlive)
    }

    @Test("lines may end in a bare LF, a reason may be empty, and values lose the white space around them")
    func leniencies() throws {
        let answer = try Self.answer(
            "HTTP/1.1 429\nRetry-After:\t  3 \t\nfly-request-id:\nfly-request-id: second\n\nabc", closeAfter: true)
        #expect(answer.status == 429)
        #expect(answer.retryAfter == "3")
        #expect(answer.flyRequestID == "", "the first of a name is kept")
        #expect(answer.body == Array("abc".utf8))
        #expect(try Self.answer("HTTP/1.1 200 \r\ncontent-length: 2, 2\r\ncontent-length: 2\r\n\r\nok").body == Array("ok".utf8))
    }

    @Test(
        "what is not an answer it reads is refused",
        arguments: [
            "NOT HTTP \u{1B}[31m\r\n\r\n",
            "HTTP/2 200 OK\r\n\r\n",
            "HTTP/1.2 200 OK\r\n\r\n",
            "HTTP/1.1 20 OK\r\n\r\n",
            "HTTP/1.1 2x0 OK\r\n\r\n",
            "HTTP/1.1 600 Nope\r\n\r\n",
            "HTTP/1.1 200OK\r\n\r\n",
            "HTTP/1.1 200 O\u{0}K\r\n\r\n",
            "\r\nHTTP/1.1 200 OK\r\n\r\n",
            "HTTP/1.1 200 OK\r\nno colon\r\n\r\n",
            "HTTP/1.1 200 OK\r\n: empty name\r\n\r\n",
            "HTTP/1.1 200 OK\r\nname : space before the colon\r\n\r\n",
            "HTTP/1.1 200 OK\r\nx-a: a\r\n folded\r\n\r\n",
            "HTTP/1.1 200 OK\r\nx-a: a\u{0}b\r\n\r\n",
            "HTTP/1.1 200 OK\r\nx-a: a\rb\r\n\r\n",
            "HTTP/1.1 200 OK\r\nx-a: a\u{7F}\r\n\r\n",
            "HTTP/1.1 200 OK\r\ncontent-length: 12a\r\n\r\n",
            "HTTP/1.1 200 OK\r\ncontent-length: -1\r\n\r\n",
            "HTTP/1.1 200 OK\r\ncontent-length: +5\r\n\r\n",
            "HTTP/1.1 200 OK\r\ncontent-length: \r\n\r\n",
            "HTTP/1.1 200 OK\r\ncontent-length: 1234567890123456789\r\n\r\n",
            "HTTP/1.1 200 OK\r\ncontent-length: 5\r\ncontent-length: 6\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\ncontent-length: 5, 6\r\n\r\nhello",
            "HTTP/1.1 200 OK\r\ncontent-length: 5\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\ntransfer-encoding: chunked\r\n\r\n0\r\n\r\n",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\nzz\r\n\r\n",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n;ext\r\n\r\n",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n-1\r\n\r\n",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1000000000000000\r\n",
            "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n3\r\nabcX\r\n0\r\n\r\n",
        ])
    func refused(text: String) {
        #expect(Self.failure(text) == .malformed, "\(text.debugDescription)")
    }

    @Test("a head, a chunk-size line or trailers past their limits are refused, with or without an end in sight")
    func limits() {
        let longValue = String(repeating: "a", count: Reader.maxHeadBytes)
        #expect(Self.failure("HTTP/1.1 200 OK\r\nx-a: \(longValue)") == .malformed)
        #expect(Self.failure("HTTP/1.1 200 OK\r\nx-a: \(longValue)\r\n\r\n") == .malformed)
        let fields = (0...Reader.maxHeaderCount).map { "x-\($0): v\r\n" }.joined()
        #expect(Self.failure("HTTP/1.1 200 OK\r\n\(fields)\r\n") == .malformed)
        let extensions = String(repeating: ";e", count: Reader.maxChunkLineBytes)
        #expect(Self.failure("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n1\(extensions)") == .malformed)
        #expect(Self.failure("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n0\r\nx-a: \(longValue)\r\n\r\n") == .malformed)
    }

    @Test("a body over maxBodyBytes is too large, however it is framed")
    func tooLarge() {
        let body = String(repeating: "x", count: 11)
        #expect(Self.failure("HTTP/1.1 200 OK\r\ncontent-length: 11\r\n\r\n\(body)", maxBodyBytes: 10) == .tooLarge)
        #expect(Self.failure("HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n6\r\nxxxxxx\r\n5\r\nxxxxx\r\n0\r\n\r\n", maxBodyBytes: 10) == .tooLarge)
        #expect(Self.failure("HTTP/1.1 200 OK\r\n\r\n\(body)", maxBodyBytes: 10) == .tooLarge)
        #expect((try? Self.answer("HTTP/1.1 200 OK\r\ncontent-length: 10\r\n\r\n\(body.dropLast())", maxBodyBytes: 10)) != nil)
    }
}
