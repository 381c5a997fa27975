import FlyGateClient
import FlyGateCore
import FlyGateServer
import FlyGateWire
import Foundation
import Logging
import NIOCore
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The socket file's life: modes, stale and live predecessors, removal, long paths, systemd.
@Suite("socket lifecycle", .timeLimit(.minutes(1)))
struct SocketLifecycleTests {
    private func mode(_ path: String) throws -> (mode: mode_t, gid: gid_t, isSocket: Bool) {
        var status = stat()
        guard lstat(path, &status) == 0 else { throw POSIXError(.ENOENT) }
        return (status.st_mode & 0o7777, status.st_gid, status.st_mode & S_IFMT == S_IFSOCK)
    }

    private func echo(_ path: String) async throws -> String {
        let client = try await RPCClient.connect(path: path)
        let answer = try await client.call(service: TestService.name, method: "Echo", request: keyValue("hi"), as: Ttrpc_KeyValue.self)
        await client.close()
        return answer.key
    }

    /// Binds a Unix socket at `path` and closes it without unlinking: what a crashed daemon leaves.
    private func makeStaleSocket(_ path: String) throws {
        let descriptor = try listeningUnixSocket(at: path)
        close(descriptor)
    }

    @Test("the directory is made 0700 and the socket 0600; the socket is unlinked on exit")
    func modesWithoutGroup() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/d/s.sock"
        let server = RPCServer(configuration: testConfiguration(path), router: TestService.router(), logger: Logger(label: "t"))
        try await withRunningServer(server) { address in
            #expect(address == path)
            #expect(try self.mode(directory.path + "/d").mode == 0o700)
            let socket = try self.mode(path)
            #expect(socket.isSocket)
            #expect(socket.mode == 0o600)
            let echoed = try await self.echo(path)
            #expect(echoed == "hi")
        }
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    @Test("with a socket group the directory is 0750, the socket 0660, both in that group")
    func modesWithGroup() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let path = directory.path + "/d/s.sock"
        var configuration = testConfiguration(path)
        configuration.socketGroup = "\(getgid())"
        let server = RPCServer(configuration: configuration, router: TestService.router(), logger: Logger(label: "t"))
        try await withRunningServer(server) { _ in
            let folder = try self.mode(directory.path + "/d")
            #expect(folder.mode == 0o750)
            #expect(folder.gid == getgid())
            let socket = try self.mode(path)
            #expect(socket.mode == 0o660)
            #expect(socket.gid == getgid())
        }
    }

    @Test("a stale socket file is replaced")
    func staleSocket() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        try self.makeStaleSocket(directory.socket)
        #expect(try self.mode(directory.socket).isSocket)
        let server = RPCServer(configuration: testConfiguration(directory.socket), router: TestService.router(), logger: Logger(label: "t"))
        try await withRunningServer(server) { path in
            let echoed = try await self.echo(path)
            #expect(echoed == "hi")
        }
    }

    @Test("a path a live daemon answers on is never taken over")
    func liveSocket() async throws {
        try await withTestServer(router: TestService.router()) { path in
            let intruder = RPCServer(configuration: testConfiguration(path), router: RPCRouter(), logger: Logger(label: "t"))
            let error = await #expect(throws: ServerError.self) {
                try await intruder.run()
            }
            #expect(error?.code == .socketInUse)
            await #expect(throws: ServerError.self) { _ = try await intruder.listeningAddress() }
            let echoed = try await self.echo(path)
            #expect(echoed == "hi")
        }
    }

    @Test("a file that is not a socket is left alone")
    func notASocket() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        #expect(FileManager.default.createFile(atPath: directory.socket, contents: Data("keep".utf8)))
        let server = RPCServer(configuration: testConfiguration(directory.socket), router: RPCRouter(), logger: Logger(label: "t"))
        let error = await #expect(throws: ServerError.self) { try await server.run() }
        #expect(error?.code == .socketFile)
        #expect(FileManager.default.contents(atPath: directory.socket) == Data("keep".utf8))
    }

    @Test("a path over 107 bytes is refused with a clear message")
    func pathTooLong() async throws {
        let path = "/tmp/" + String(repeating: "p", count: 100) + "/s.sock"
        let server = RPCServer(configuration: testConfiguration(path), router: RPCRouter(), logger: Logger(label: "t"))
        let error = await #expect(throws: ServerError.self) { try await server.run() }
        #expect(error?.code == .invalidConfiguration)
        #expect(error?.message.contains("107") == true)
    }

    @Test("an inherited listening socket (systemd's fd) is served as is")
    func inheritedSocket() async throws {
        let directory = try TestDirectory()
        defer { directory.remove() }
        let descriptor = try listeningUnixSocket(at: directory.socket)
        var configuration = testConfiguration(directory.socket)
        configuration.listener = .inheritedSocket(descriptor: descriptor)
        let server = RPCServer(configuration: configuration, router: TestService.router(), logger: Logger(label: "t"))
        try await withRunningServer(server) { address in
            #expect(address == "fd:\(descriptor)")
            let echoed = try await self.echo(directory.socket)
            #expect(echoed == "hi")
        }
    }

    @Test(
        "LISTEN_FDS/LISTEN_PID select fd 3 only for this process",
        arguments: [
            (["LISTEN_FDS": "1", "LISTEN_PID": "42"], Int32(42), Int32?.some(3)),
            (["LISTEN_FDS": "2", "LISTEN_PID": "42"], Int32(42), Int32?.some(3)),
            (["LISTEN_FDS": "1", "LISTEN_PID": "41"], Int32(42), Int32?.none),
            (["LISTEN_FDS": "0", "LISTEN_PID": "42"], Int32(42), Int32?.none),
            (["LISTEN_PID": "42"], Int32(42), Int32?.none),
            ([:], Int32(42), Int32?.none),
        ]
    )
    func systemdEnvironment(environment: [String: String], pid: Int32, expected: Int32?) {
        #expect(SystemdSocketActivation.listeningDescriptor(environment: environment, processID: pid) == expected)
    }

    @Test("graceful shutdown lets a call in flight finish, then stops and unlinks the socket")
    func gracefulShutdown() async throws {
        let events = EventLog()
        let gates = Gates()
        let directory = try TestDirectory()
        defer { directory.remove() }
        let server = RPCServer(
            configuration: testConfiguration(directory.socket),
            router: TestService.router(events: events, gates: gates),
            logger: Logger(label: "t")
        )
        let group = ServiceGroupHandle(server)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let path = try await server.listeningAddress()
            let client = try await RPCClient.connect(path: path)
            let seen = events.cursor()
            tasks.addTask {
                let answer = try await client.call(service: TestService.name, method: "Hold", request: keyValue("inflight"), as: Ttrpc_KeyValue.self)
                #expect(answer.key == "inflight")
            }
            #expect(try await seen.expect("inflight started"))
            await group.shutDown()
            await gates.open("inflight")
            try await tasks.waitForAll()
            await client.close()
        }
        #expect(!FileManager.default.fileExists(atPath: directory.socket))
    }

    @Test("graceful shutdown closes calls that outlive the grace period, cancelling their work")
    func gracePeriodBound() async throws {
        let events = EventLog()
        let directory = try TestDirectory()
        defer { directory.remove() }
        var configuration = testConfiguration(directory.socket)
        configuration.shutdownGracePeriod = .milliseconds(200)
        let server = RPCServer(configuration: configuration, router: TestService.router(events: events), logger: Logger(label: "t"))
        let group = ServiceGroupHandle(server)
        try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            let client = try await RPCClient.connect(path: try await server.listeningAddress())
            let seen = events.cursor()
            tasks.addTask {
                let error = await #expect(throws: RPCError.self) {
                    _ = try await client.call(service: TestService.name, method: "Block", request: keyValue("stuck"), as: Ttrpc_KeyValue.self)
                }
                #expect(error?.code == .unavailable)
            }
            #expect(try await seen.expect("stuck started"))
            await group.shutDown()
            try await tasks.waitForAll()
            #expect(try await seen.expect("stuck cancelled"))
        }
    }
}
