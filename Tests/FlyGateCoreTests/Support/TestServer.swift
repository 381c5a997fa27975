import FlyGateClient
import FlyGateCore
import FlyGateServer
import FlyGateTestSupport
import FlyGateWire
import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

#if canImport(Glibc)
import Glibc
#endif

/// A fresh short directory under /tmp (mode 0700), removed by `remove()`.
struct TestDirectory: Sendable {
    let path: String

    init() throws {
        var template = Array("/tmp/fgt-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
        self.path = String(cString: made)
    }

    /// A socket path inside the directory.
    var socket: String { self.path + "/s.sock" }

    func remove() {
        try? FileManager.default.removeItem(atPath: self.path)
    }
}

/// Configuration for tests: small limits where a test wants to hit them, short grace.
func testConfiguration(_ path: String) -> RPCServer.Configuration {
    var configuration = RPCServer.Configuration.defaults
    configuration.listener = .socketPath(path)
    configuration.shutdownGracePeriod = .seconds(5)
    return configuration
}

/// Runs `server` in a ServiceGroup for the duration of `body`, then shuts it down gracefully
/// and waits for `run()` to return.
func withRunningServer<T: Sendable>(
    _ server: RPCServer,
    logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
    _ body: (String) async throws -> T
) async throws -> T {
    let group = ServiceGroup(services: [server], logger: logger)
    return try await withThrowingTaskGroup(of: Void.self) { tasks in
        tasks.addTask { try await group.run() }
        let result: T
        do {
            let address = try await server.listeningAddress()
            result = try await body(address)
        } catch {
            await group.triggerGracefulShutdown()
            try? await tasks.waitForAll()
            throw error
        }
        await group.triggerGracefulShutdown()
        try await tasks.waitForAll()
        return result
    }
}

/// Starts a server with `router` on a fresh socket, runs `body` with its path, and cleans up.
func withTestServer<T: Sendable>(
    router: RPCRouter,
    observer: (any ConnectionObserver)? = nil,
    logger: Logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }),
    configure: (inout RPCServer.Configuration) -> Void = { _ in },
    _ body: (String) async throws -> T
) async throws -> T {
    let directory = try TestDirectory()
    defer { directory.remove() }
    var configuration = testConfiguration(directory.socket)
    configure(&configuration)
    let server = RPCServer(configuration: configuration, router: router, observer: observer, logger: logger)
    return try await withRunningServer(server, body)
}

/// A key/value message, the test stand-in for request and response types.
func keyValue(_ key: String, _ value: String = "") -> Ttrpc_KeyValue {
    var message = Ttrpc_KeyValue()
    message.key = key
    message.value = value
    return message
}

/// A raw connection to `path` that never reads (auto-read off), for a test's greedy client;
/// closed on every exit path.
func withNonReadingConnection<T: Sendable>(_ path: String, _ body: (any Channel) async throws -> T) async throws -> T {
    try await withResource({
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(.seconds(5))
            .channelOption(.autoRead, value: false)
            .connect(unixDomainSocketPath: path)
            .get()
    }, release: { try? await $0.close() }, body)
}

/// Request frames calling `method` of ``TestService`` once per index of `streams` (stream id
/// `2 × index + 1`), each with the request `keyValue(key, value)`.
func requestFrames(_ method: String, streams: Range<Int>, key: String, value: String) throws -> ByteBuffer {
    var frames = ByteBuffer()
    for index in streams {
        var request = Ttrpc_Request()
        request.service = TestService.name
        request.method = method
        request.payload = try keyValue(key, value).serializedBytes()
        try TTRPCFrameEncoder().encode(
            data: TTRPCFrame(streamID: UInt32(2 * index + 1), type: .request, data: try request.serializedByteBuffer()),
            out: &frames
        )
    }
    return frames
}
