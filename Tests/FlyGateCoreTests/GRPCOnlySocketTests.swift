import FlyGateClient
import FlyGateServer
import FlyGateTestSupport
import FlyGateWire
import Foundation
import Logging
import NIOCore
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The second socket that serves gRPC only, on real sockets: what it answers and refuses, and
/// that it is managed and limited like the first one.
@Suite("gRPC-only socket", .timeLimit(.minutes(1)))
struct GRPCOnlySocketTests {
    /// An observer that records the ids of the connections it sees open.
    final class OpeningObserver: ConnectionObserver {
        let opened = Mutex<[UInt64]>([])
        func connectionOpened(id: UInt64, peer: PeerCredentials) { self.opened.withLock { $0.append(id) } }
        func connectionClosed(id: UInt64, peer: PeerCredentials) {}
    }

    /// A test server's configuration with a gRPC-only socket at `grpcOnly`.
    private func configuration(_ path: String, grpcOnly: String) -> RPCServer.Configuration {
        var configuration = testConfiguration(path)
        configuration.grpcOnlyListener = .socketPath(grpcOnly)
        return configuration
    }

    private func server(_ configuration: RPCServer.Configuration, observer: (any ConnectionObserver)? = nil) -> RPCServer {
        RPCServer(configuration: configuration, router: TestService.router(), observer: observer, logger: Logger(label: "t"))
    }

    /// A ttrpc Echo request frame on stream 1.
    private func ttrpcEcho() throws -> [UInt8] {
        var request = Ttrpc_Request()
        request.service = TestService.name
        request.method = "Echo"
        request.payload = try keyValue("hi").serializedData()
        var frame = ByteBuffer()
        try TTRPCFrameEncoder().encode(data: TTRPCFrame(streamID: 1, type: .request, data: try request.serializedByteBuffer()), out: &frame)
        return Array(frame.readableBytesView)
    }

    /// Whether `path` answers the HTTP/2 preface with the server's preface (a SETTINGS frame on stream 0).
    private func servesHTTP2(_ path: String) async throws -> Bool {
        let exchange = try await RawByteExchange.run(path, sending: RawByteExchange.http2Preface, atLeast: 9)
        return !exchange.closedByServer && exchange.received[3] == 0x04 && exchange.received[5..<9].allSatisfy { $0 == 0 }
    }

    private func echo(_ path: String) async throws -> String {
        try await withResource({ try await RPCClient.connect(path: path) }, release: { await $0.close() }) { client in
            try await client.call(
                service: TestService.name, method: "Echo", request: keyValue("hi"), as: Ttrpc_KeyValue.self, timeout: .seconds(10)
            ).key
        }
    }

    private func mode(_ path: String) -> (mode: mode_t, gid: gid_t, isSocket: Bool)? {
        var status = stat()
        guard lstat(path, &status) == 0 else { return nil }
        return (status.st_mode & 0o7777, status.st_gid, status.st_mode & S_IFMT == S_IFSOCK)
    }

    @Test("the gRPC-only socket answers HTTP/2 and closes a ttrpc connection without a byte; the first socket serves both")
    func protocols() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let grpcOnly = directory.path + "/g.sock"
        try await withRunningServer(self.server(self.configuration(directory.socket, grpcOnly: grpcOnly))) { path in
            #expect(try await self.servesHTTP2(grpcOnly))
            let ttrpc = try await RawByteExchange.run(grpcOnly, sending: try self.ttrpcEcho(), atLeast: 1)
            #expect(ttrpc.closedByServer && ttrpc.received.isEmpty, "answered \(ttrpc.received)")
            // A near miss of the preface is not HTTP/2 either.
            let nearMiss = try await RawByteExchange.run(grpcOnly, sending: Array("PRI * HTTP/1.1\r\n\r\n".utf8), atLeast: 1)
            #expect(nearMiss.closedByServer && nearMiss.received.isEmpty)
            // The listener goes on, and the first socket is as it was.
            #expect(try await self.servesHTTP2(grpcOnly))
            #expect(try await self.echo(path) == "hi")
            #expect(try await self.servesHTTP2(path))
        }
    }

    @Test("connections on both sockets are counted by one registry: the connection limit is the server's, ids are unique")
    func oneRegistry() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let grpcOnly = directory.path + "/g.sock"
        var configuration = self.configuration(directory.socket, grpcOnly: grpcOnly)
        configuration.maxConnections = 1
        let observer = OpeningObserver()
        try await withRunningServer(self.server(configuration, observer: observer)) { path in
            try await RawConnection.with(grpcOnly) { held in
                try await held.send(RawByteExchange.http2Preface)
                let admitted = try await eventually { observer.opened.withLock { $0.count } == 1 }
                try #require(admitted, "the gRPC-only socket's connection was never admitted")
                // The one slot is taken on the other socket: a ttrpc call here is closed unanswered.
                // (ttrpc, not HTTP/2: a refused HTTP/2 connection may see the server's SETTINGS first.)
                let refused = try await RawByteExchange.run(path, sending: try self.ttrpcEcho(), atLeast: 1)
                #expect(refused.closedByServer && refused.received.isEmpty, "served over the connection limit: \(refused.received)")
                held.close()
            }
            // Once that connection is gone, its slot serves the socket.
            #expect(try await eventually { (try? await self.echo(path)) == "hi" })
        }
        let ids = observer.opened.withLock { $0 }
        #expect(ids.count == 2 && Set(ids).count == 2, "\(ids)")
    }

    @Test(
        "both sockets get the first one's modes (0600 in 0700, 0660 in 0750 with a group) and are unlinked when the server stops",
        arguments: [false, true]
    )
    func modesAndRemoval(withGroup: Bool) async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/d/s.sock"
        let grpcOnly = directory.path + "/g/g.sock"
        var configuration = self.configuration(path, grpcOnly: grpcOnly)
        configuration.socketGroup = withGroup ? "\(getgid())" : nil
        try await withRunningServer(self.server(configuration)) { _ in
            for socket in [path, grpcOnly] {
                let file = try #require(self.mode(socket))
                #expect(file.isSocket && file.mode == (withGroup ? 0o660 : 0o600), "\(socket)")
                let folder = try #require(self.mode(PrivateDirectory.parent(of: socket)))
                #expect(folder.mode == (withGroup ? 0o750 : 0o700), "\(socket)")
                if withGroup { #expect(file.gid == getgid() && folder.gid == getgid()) }
            }
        }
        #expect(self.mode(path) == nil && self.mode(grpcOnly) == nil, "a socket file was left behind")
    }

    @Test("validate() refuses a gRPC-only socket that is the first socket, however slashes spell it, or a path over 107 bytes")
    func validation() throws {
        for (first, second) in [("/run/a/f.sock", "/run/a/f.sock"), ("/run/a/f.sock", "/run//a/./f.sock"), ("rel/f.sock", "./rel/f.sock")] {
            let error = #expect(throws: ServerError.self) { try self.configuration(first, grpcOnly: second).validate() }
            #expect(error?.code == .invalidConfiguration && error?.message.contains("gRPC-only") == true, "\(second)")
        }
        var inherited = testConfiguration("/unused")
        inherited.listener = .inheritedSocket(descriptor: 3)
        inherited.grpcOnlyListener = .inheritedSocket(descriptor: 3)
        #expect(throws: ServerError.self) { try inherited.validate() }

        let long = "/tmp/" + String(repeating: "p", count: 100) + "/g.sock"
        let error = #expect(throws: ServerError.self) { try self.configuration("/run/a/f.sock", grpcOnly: long).validate() }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("gRPC-only socket path") == true && error?.message.contains("107") == true, "\(error?.message ?? "")")

        try self.configuration("/run/a/f.sock", grpcOnly: "/run/a/g.sock").validate()
        try testConfiguration("/run/a/f.sock").validate()
    }

    @Test("a gRPC-only path reaching the first socket's file another way is refused at bind, and the first socket is unlinked again")
    func sameFileAnotherWay() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        #expect(mkdir(directory.path + "/sub", 0o700) == 0)
        let server = self.server(self.configuration(directory.socket, grpcOnly: directory.path + "/sub/../s.sock"))
        let error = await #expect(throws: ServerError.self) { try await server.run() }
        #expect(error?.code == .invalidConfiguration && error?.message.contains("same file") == true, "\(String(describing: error))")
        #expect(self.mode(directory.socket) == nil)
    }

    @Test("a gRPC-only path a live server answers on is not taken over; a stale socket there is replaced")
    func liveAndStale() async throws {
        try await withTestServer(router: TestService.router()) { live in
            let directory = try TestDirectory()
            defer { directory.remove() }
            let intruder = self.server(self.configuration(directory.socket, grpcOnly: live))
            let error = await #expect(throws: ServerError.self) { try await intruder.run() }
            #expect(error?.code == .socketInUse)
            #expect(self.mode(directory.socket) == nil, "the intruder left its first socket behind")
            #expect(try await self.echo(live) == "hi")
        }

        let directory = try TestDirectory()
        defer { directory.remove() }
        let grpcOnly = directory.path + "/g.sock"
        close(try listeningUnixSocket(at: grpcOnly))  // bound and closed, never unlinked: a crashed daemon's
        #expect(self.mode(grpcOnly)?.isSocket == true)
        try await withRunningServer(self.server(self.configuration(directory.socket, grpcOnly: grpcOnly))) { _ async throws in
            #expect(try await self.servesHTTP2(grpcOnly))
        }
    }

    @Test("a gRPC-only socket in a directory others may write is refused as a configuration error; nothing stays bound")
    func unsafeDirectory() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let open = directory.path + "/open"
        #expect(mkdir(open, 0o700) == 0 && chmod(open, 0o777) == 0)
        let server = self.server(self.configuration(directory.socket, grpcOnly: open + "/g.sock"))
        let error = await #expect(throws: ServerError.self) { try await server.run() }
        #expect(error?.code == .invalidConfiguration && error?.message.contains(open) == true, "\(String(describing: error))")
        #expect(self.mode(directory.socket) == nil && self.mode(open + "/g.sock") == nil)
    }

    @Test("with an inherited first socket the gRPC-only socket is bound at its path; the inherited socket's own path is refused")
    func inheritedFirstSocket() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let grpcOnly = directory.path + "/g.sock"
        var configuration = self.configuration(directory.socket, grpcOnly: grpcOnly)
        configuration.listener = .inheritedSocket(descriptor: try listeningUnixSocket(at: directory.socket))
        try await withRunningServer(self.server(configuration)) { _ async throws in
            #expect(try await self.echo(directory.socket) == "hi")
            #expect(try await self.servesHTTP2(grpcOnly))
        }
        #expect(self.mode(grpcOnly) == nil)

        unlink(directory.socket)
        var clash = self.configuration(directory.socket, grpcOnly: directory.socket)
        clash.listener = .inheritedSocket(descriptor: try listeningUnixSocket(at: directory.socket))
        let error = await #expect(throws: ServerError.self) { try await self.server(clash).run() }
        #expect(error?.code == .invalidConfiguration, "\(String(describing: error))")
    }
}
