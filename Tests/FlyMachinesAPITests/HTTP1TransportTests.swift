import FlyGateTestSupport
import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Logging
import NIOCore
import NIOPosix
import Testing

/// flygate's own HTTP/1.1 client (`HTTP1Transport`), which carries every call to a plain
/// `http://` endpoint: keep-alive reuse, its connection limit, idle and closed connections,
/// answers too large or malformed, deadlines while waiting for a connection, and shutdown.
@Suite("HTTP/1.1 transport: pooled keep-alive connections to an http:// endpoint")
struct HTTP1TransportTests {
    static func show(_ id: String, app: String = "demo") -> Flygate_Machines_V1_ShowRequest {
        showRequest(id, app: app)
    }

    @Test("sequential calls share one keep-alive connection", .timeLimit(.minutes(1)))
    func keepAlive() async throws {
        try await ClientHarness.with { harness in
            let id = try harness.seed()
            for _ in 0..<20 {
                let machine = try await harness.client.perform(Self.show(id), deadline: .now + .seconds(10)).response
                #expect(machine.body.id == id)
            }
            #expect(harness.simulator.acceptedConnections == 1)
        }
    }

    @Test("a call made on an event loop uses that loop's connections", .timeLimit(.minutes(1)))
    func callersLoop() async throws {
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)
        let loops = Array(group.makeIterator())
        try await ClientHarness.with(group: group) { harness in
            let id = try harness.seed()
            func show(on loop: any EventLoop) async throws {
                let task = Task(executorPreference: LoopExecutor(loop)) {
                    try await harness.client.perform(Self.show(id), deadline: .now + .seconds(10)).response.body.id
                }
                #expect(try await task.value == id)
            }
            for _ in 0..<5 { try await show(on: loops[0]) }
            #expect(harness.simulator.acceptedConnections == 1, "one loop's calls reuse its one connection")
            for _ in 0..<5 { try await show(on: loops[1]) }
            #expect(harness.simulator.acceptedConnections == 2, "the other loop has a connection of its own")
            for _ in 0..<5 { try await show(on: loops[0]) }
            #expect(harness.simulator.acceptedConnections == 2)
        }
        try await group.shutdownGracefully()
    }

    @Test("concurrent calls open at most maxConnectionsPerHost connections, and the rest wait for one", .timeLimit(.minutes(1)))
    func connectionLimit() async throws {
        try await ClientHarness.with(client: { $0.maxConnectionsPerHost = 2 }) { harness in
            let id = try harness.seed()
            harness.simulator.faults.latency = .milliseconds(50)
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<8 {
                    group.addTask { try await harness.client.perform(Self.show(id), deadline: .now + .seconds(20)).response.body.id }
                }
                for try await answered in group { #expect(answered == id) }
            }
            #expect(harness.simulator.acceptedConnections == 2)
            #expect(harness.simulator.requestCount(for: .show) == 8)
        }
    }

    @Test("a call that waits for a connection past its deadline fails and sends nothing; the pool recovers", .timeLimit(.minutes(1)))
    func deadlineWhileWaiting() async throws {
        try await ClientHarness.with(client: { $0.maxConnectionsPerHost = 1 }) { harness in
            let id = try harness.seed()
            harness.simulator.faults.hangingOperations = [.show]
            let holder = Task { try await harness.client.perform(Self.show(id), deadline: nil) }
            defer { holder.cancel() }
            try #require(try await eventually { harness.simulator.requestCount(for: .show) == 1 })
            let error = await #expect(throws: FlyAPIError.self) {
                try await harness.client.perform(Self.show(id), deadline: .now + .milliseconds(200))
            }
            #expect(error?.code == .deadlineExceeded)
            #expect(harness.simulator.requestCount(for: .show) == 1, "the waiting call never reached the server")
            holder.cancel()
            _ = await holder.result
            harness.simulator.faults.hangingOperations = []
            // The cancelled call's connection was closed mid-answer; a new one serves the next call.
            let machine = try await harness.client.perform(Self.show(id), deadline: .now + .seconds(10)).response
            #expect(machine.body.id == id)
            #expect(harness.simulator.acceptedConnections == 2)
        }
    }

    @Test("an idle connection is closed after idleTimeout, and the next call opens another", .timeLimit(.minutes(1)))
    func idleTimeout() async throws {
        try await ClientHarness.with(client: { $0.idleTimeout = .milliseconds(50) }) { harness in
            let id = try harness.seed()
            _ = try await harness.client.perform(Self.show(id), deadline: .now + .seconds(10))
            #expect(harness.simulator.acceptedConnections == 1)
            // Each call restarts the idle clock; a pause longer than it (however late the timer
            // runs on a busy machine) lets it close the connection.
            let reopened = try await eventually {
                try await Task.sleep(for: .milliseconds(150))
                _ = try await harness.client.perform(Self.show(id), deadline: .now + .seconds(10))
                return harness.simulator.acceptedConnections >= 2
            }
            #expect(reopened)
        }
    }

    @Test("a connection used again before idleTimeout runs out stays open, however long it is kept busy", .timeLimit(.minutes(1)))
    func usedWithinIdleTimeout() async throws {
        let timeout = Duration.milliseconds(200)
        try await ClientHarness.with(client: { $0.idleTimeout = timeout }) { harness in
            let id = try harness.seed()
            let clock = ContinuousClock()
            // Calls 20 ms apart for a second: five idle timeouts' worth. A gap the machine
            // stretched past the timeout may close the connection; every other gap must not.
            var gapsOverTimeout = 0
            var last = clock.now
            let end = clock.now + .seconds(1)
            while clock.now < end {
                _ = try await harness.client.perform(Self.show(id), deadline: .now + .seconds(10))
                let now = clock.now
                if now - last >= timeout - .milliseconds(20) { gapsOverTimeout += 1 }
                last = now
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(harness.simulator.acceptedConnections <= 1 + gapsOverTimeout)
        }
    }

    @Test("an answer larger than maxResponseBytes fails with RESOURCE_EXHAUSTED, and the next call works", .timeLimit(.minutes(1)))
    func tooLarge() async throws {
        try await ClientHarness.with(client: { $0.maxResponseBytes = 64 }) { harness in
            let id = try harness.seed()
            let error = await #expect(throws: FlyAPIError.self) {
                try await harness.client.perform(Self.show(id), deadline: .now + .seconds(10))
            }
            #expect(error?.code == .resourceExhausted)
            #expect(error?.attempts == 1, "too large is not retried")
            let list = try await harness.client.perform(Flygate_Machines_V1_ListRequest.with { $0.appName = "empty" }, deadline: .now + .seconds(10))
            #expect(list.response.body.isEmpty)
        }
    }

    @Test("a server that closes after every answer: each call gets a new connection and succeeds", .timeLimit(.minutes(1)))
    func connectionClose() async throws {
        try await ScriptedHTTPServer.with(script: { _ in ScriptedHTTPServer.machine(close: true) }) { server in
            try await Self.withClient(server.baseURL) { client in
                for _ in 0..<5 {
                    let machine = try await client.perform(Self.show("m1"), deadline: .now + .seconds(10)).response
                    #expect(machine.body.id == "m1")
                }
            }
            #expect(server.acceptedConnections == 5)
        }
    }

    @Test("chunked answers keep the connection; an answer with no length ends with the server's close", .timeLimit(.minutes(1)))
    func otherFramings() async throws {
        let body = #"{"id":"m1","name":"m1","state":"started","region":"iad"}"#
        let chunked = "HTTP/1.1 200 OK\r\ntransfer-encoding: chunked\r\n\r\n10\r\n\(body.prefix(16))\r\n"
            + "\(String(body.utf8.count - 16, radix: 16))\r\n\(body.dropFirst(16))\r\n0\r\n\r\n"
        try await ScriptedHTTPServer.with(script: { _ in .init(bytes: Array(chunked.utf8)) }) { server in
            try await Self.withClient(server.baseURL) { client in
                for _ in 0..<3 {
                    let machine = try await client.perform(Self.show("m1"), deadline: .now + .seconds(10)).response
                    #expect(machine.body.id == "m1")
                }
            }
            #expect(server.acceptedConnections == 1)
        }
        let untilClose = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\n\r\n\(body)"
        try await ScriptedHTTPServer.with(script: { _ in .init(bytes: Array(untilClose.utf8), close: true) }) { server in
            try await Self.withClient(server.baseURL) { client in
                for _ in 0..<3 {
                    let (response, info) = try await client.perform(Self.show("m1"), deadline: .now + .seconds(10))
                    #expect(response.body.id == "m1")
                    #expect(info.attempts == 1)
                }
            }
            #expect(server.acceptedConnections == 3)
        }
    }

    @Test("a keep-alive connection the server closes while idle is not used again", .timeLimit(.minutes(1)))
    func closedWhileIdle() async throws {
        let reply = { @Sendable (_: Int) -> ScriptedHTTPServer.Reply in
            var reply = ScriptedHTTPServer.machine()
            reply.closeLater = .milliseconds(20)
            return reply
        }
        try await ScriptedHTTPServer.with(script: reply) { server in
            try await Self.withClient(server.baseURL, retries: 1) { client in
                for round in 1...3 {
                    _ = try await client.perform(Self.show("m1"), deadline: .now + .seconds(10))
                    #expect(server.acceptedConnections == round)
                    // Once the server has closed it, the client's loop reads the close before it
                    // runs the next call: that call must not be sent on it (one attempt, no retry).
                    #expect(try await eventually { server.closedConnections == round })
                }
            }
            #expect(server.requests == 3)
        }
    }

    @Test("a malformed answer fails the attempt as maybe-sent, never leaks into the error, and the connection is dropped", .timeLimit(.minutes(1)))
    func malformedAnswer() async throws {
        let script = { @Sendable (number: Int) -> ScriptedHTTPServer.Reply in
            number == 0
                ? ScriptedHTTPServer.Reply(bytes: Array("NOT HTTP \u{1B}[31m fm2_secret\r\n\r\n".utf8)) : ScriptedHTTPServer.machine()
        }
        try await ScriptedHTTPServer.with(script: script) { server in
            try await Self.withClient(server.baseURL) { client in
                // Show is a read: the failed attempt is retried on a new connection.
                let (response, info) = try await client.perform(Self.show("m1"), deadline: .now + .seconds(10))
                #expect(response.body.id == "m1")
                #expect(info.attempts == 2)
            }
            #expect(server.acceptedConnections == 2)
        }
        try await ScriptedHTTPServer.with(script: { _ in ScriptedHTTPServer.Reply(bytes: Array("garbage\r\n\r\n".utf8)) }) { server in
            try await Self.withClient(server.baseURL, retries: 1) { client in
                let error = await #expect(throws: FlyAPIError.self) {
                    try await client.perform(Self.show("m1"), deadline: .now + .seconds(10))
                }
                #expect(error?.code == .unavailable)
                #expect(!(error?.description.contains("garbage") ?? true))
            }
        }
    }

    @Test("shutdown ends a call in flight and returns", .timeLimit(.minutes(1)))
    func shutdownInFlight() async throws {
        try await ClientHarness.with { harness in
            let id = try harness.seed()
            harness.simulator.faults.hangingOperations = [.show]
            let call = Task { try await harness.client.perform(Self.show(id), deadline: .now + .seconds(30)) }
            try #require(try await eventually { harness.simulator.requestCount(for: .show) == 1 })
            try await harness.client.shutdown()
            let error = await #expect(throws: FlyAPIError.self) { try await call.value }
            #expect(error?.code == .unavailable)
        }
    }

    /// A client of `baseURL` with `retries` attempts at most and 10 ms backoffs.
    static func withClient(_ baseURL: String, retries: Int = 4, _ body: (FlyMachinesClient) async throws -> Void) async throws {
        var configuration = FlyMachinesClient.Configuration.defaults
        configuration.baseURL = baseURL
        configuration.rateLimits.enabled = false
        configuration.retry = UpstreamRetryPolicy(maxAttempts: retries, initialBackoff: .milliseconds(10), maxBackoff: .milliseconds(50))
        let client = try FlyMachinesClient(
            configuration: configuration, credentials: try FlyCredentials(token: "fm2_secret"), logger: Logger(label: "test"))
        do {
            try await body(client)
        } catch {
            try? await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }
}

/// Runs a task's jobs on one event loop, as the daemon's connections do.
private final class LoopExecutor: TaskExecutor {
    let loop: any EventLoop
    init(_ loop: any EventLoop) { self.loop = loop }
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        loop.execute { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
