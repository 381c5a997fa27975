import FlyMachinesSimulator
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// How the simulator's answers leave on the wire, read from a plain TCP socket.
@Suite("Server answers on the wire", .timeLimit(.minutes(1)))
struct ServerWireTests {
    @Test("an answer's head and body leave in one write: the client receives one data segment")
    func oneSegmentPerAnswer() async throws {
        try await SimulatorHarness.with { harness in
            let id = try #require(harness.simulator.seedMachine(app: "demo", state: .stopped)["id"]?.stringValue)
            let port = try #require(harness.simulator.boundPort)
            let client = try #require(ServerLifecycleTests.connect(port: port))
            defer { close(client) }
            let request = "GET /v1/apps/demo/machines/\(id) HTTP/1.1\r\nhost: 127.0.0.1\r\n"
                + "authorization: \(harness.authorization)\r\n\r\n"
            #expect(Array(request.utf8).withUnsafeBytes { send(client, $0.baseAddress, $0.count, 0) } == request.utf8.count)

            let answer = try #require(Self.readAnswer(client))
            #expect(answer.hasPrefix("HTTP/1.1 200 "))
            #expect(answer.contains("\"id\":\"\(id)\""))
            // Written part by part, the head and the body were a segment each (and the client,
            // reading two small segments, acknowledged them at once with a segment of its own).
            #expect(try Self.dataSegmentsReceived(client) == 1)
        }
    }

    /// Reads one whole answer (its head, then `content-length` bytes), polling at most 10 s.
    static func readAnswer(_ fd: Int32) -> String? {
        var received: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 64 << 10)
        for _ in 0..<100 {
            if let text = String(validating: received, as: UTF8.self), let headEnd = text.range(of: "\r\n\r\n"),
                let lengthLine = text[..<headEnd.lowerBound].split(separator: "\r\n").first(where: {
                    $0.lowercased().hasPrefix("content-length:")
                }),
                let length = Int(String(lengthLine.dropFirst("content-length:".count).filter { $0 != " " })),
                text.utf8.distance(from: text.utf8.startIndex, to: headEnd.upperBound) + length <= received.count
            {
                return text
            }
            var ready = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
            guard poll(&ready, 1, 100) >= 0 else { return nil }
            guard ready.revents != 0 else { continue }
            let count = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            guard count > 0 else { return nil }
            received += buffer[..<count]
        }
        return nil
    }

    /// `tcpi_data_segs_in` of the socket's `TCP_INFO`: segments received that carried data.
    /// Glibc's `struct tcp_info` stops before it, so it is read at its offset in Linux's
    /// (`linux/tcp.h`, since Linux 4.6).
    static func dataSegmentsReceived(_ fd: Int32) throws -> UInt32 {
        let offset = 152
        var info = [UInt8](repeating: 0, count: 256)
        var length = socklen_t(info.count)
        let result = info.withUnsafeMutableBytes { getsockopt(fd, Int32(IPPROTO_TCP), TCP_INFO, $0.baseAddress, &length) }
        try #require(result == 0 && Int(length) >= offset + 4, "TCP_INFO too short for tcpi_data_segs_in")
        return info.withUnsafeBytes { $0.loadUnaligned(fromByteOffset: offset, as: UInt32.self) }
    }
}
