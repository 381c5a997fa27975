import FlyGateClient
import FlyGateCore
import FlyGateTestSupport
import FlyGateWire
import Foundation
import NIOCore
import NIOPosix
import SwiftProtobuf
import Testing

/// Several calls per connection, limits, deadlines, cancellation and slow readers.
@Suite("server concurrency", .timeLimit(.minutes(1)))
struct ServerConcurrencyTests {
    let service = TestService.name

    @Test("answers go back on their stream ids in the order calls finish")
    func outOfOrderAnswers() async throws {
        let events = EventLog()
        let gates = Gates()
        try await withTestServer(router: TestService.router(events: events, gates: gates)) { path in
            try await RawConnection.with(path) { raw in
                let seen = events.cursor()
                try await raw.sendRequest(streamID: 1, service: self.service, method: "Hold", payload: try keyValue("slow").serializedBytes())
                #expect(try await seen.expect("slow started"))
                try await raw.sendRequest(streamID: 3, service: self.service, method: "Echo", payload: try keyValue("fast").serializedBytes())
                let (firstID, first) = try await raw.nextResponse()
                #expect(firstID == 3)
                #expect(try Ttrpc_KeyValue(serializedBytes: first.payload).key == "fast")
                await gates.open("slow")
                let (secondID, second) = try await raw.nextResponse()
                #expect(secondID == 1)
                #expect(try Ttrpc_KeyValue(serializedBytes: second.payload).key == "slow")
            }
        }
    }

    @Test("calls beyond the per-connection bound get RESOURCE_EXHAUSTED; the ones in flight finish")
    func inFlightLimit() async throws {
        let events = EventLog()
        let gates = Gates()
        let router = TestService.router(events: events, gates: gates)
        try await withTestServer(router: router, configure: { $0.maxInFlightPerConnection = 2 }) { path in
            let client = try await RPCClient.connect(path: path)
            try await withThrowingTaskGroup(of: String.self) { group in
                for name in ["a", "b"] {
                    group.addTask {
                        try await client.call(service: self.service, method: "Hold", request: keyValue(name), as: Ttrpc_KeyValue.self).key
                    }
                }
                // Both slots are taken once both handlers have started.
                try #require(
                    try await eventually { events.count("a started") + events.count("b started") == 2 },
                    "\"a started\" and \"b started\" were not both recorded")
                let excess = await #expect(throws: RPCError.self) {
                    _ = try await client.call(service: self.service, method: "Echo", request: keyValue("c"), as: Ttrpc_KeyValue.self)
                }
                #expect(excess?.code == .resourceExhausted)
                await gates.open("a")
                await gates.open("b")
                var finished: Set<String> = []
                for try await name in group {
                    finished.insert(name)
                }
                #expect(finished == ["a", "b"])
            }
            let after = try await client.call(service: self.service, method: "Echo", request: keyValue("d"), as: Ttrpc_KeyValue.self)
            #expect(after.key == "d")
            await client.close()
        }
    }

    @Test("a passed deadline answers DEADLINE_EXCEEDED and cancels the handler's work")
    func deadline() async throws {
        let events = EventLog()
        try await withTestServer(router: TestService.router(events: events)) { path in
            let client = try await RPCClient.connect(path: path)
            let seen = events.cursor()
            let started = ContinuousClock.now
            let error = await #expect(throws: RPCError.self) {
                _ = try await client.call(
                    service: self.service, method: "Block", request: keyValue("late"), as: Ttrpc_KeyValue.self, timeout: .milliseconds(200)
                )
            }
            #expect(error?.code == .deadlineExceeded)
            #expect(ContinuousClock.now - started < .seconds(10))
            #expect(try await seen.expect("late cancelled"))
            await client.close()
        }
    }

    @Test("the server enforces timeout_nano itself: a raw caller gets DEADLINE_EXCEEDED on its stream, and negative means already expired")
    func serverSideDeadline() async throws {
        let events = EventLog()
        try await withTestServer(router: TestService.router(events: events)) { path in
            try await RawConnection.with(path) { raw in
                let seen = events.cursor()
                try await raw.sendRequest(
                    streamID: 1, service: self.service, method: "Block", payload: try keyValue("raw").serializedBytes(), timeoutNano: 150_000_000
                )
                let (streamID, response) = try await raw.nextResponse()
                #expect(streamID == 1)
                #expect(response.rpcError?.code == .deadlineExceeded)
                #expect(try await seen.expect("raw cancelled"))

                try await raw.sendRequest(streamID: 3, service: self.service, method: "Block", payload: try keyValue("never").serializedBytes(), timeoutNano: -1)
                let (expiredID, expired) = try await raw.nextResponse()
                #expect(expiredID == 3)
                #expect(expired.rpcError?.code == .deadlineExceeded)
            }
            #expect(events.count("never started") == 0)
        }
    }

    @Test("closing a connection cancels its calls' work and tells the observer")
    func closeCancels() async throws {
        let events = EventLog()
        let observer = RecordingObserver()
        try await withTestServer(router: TestService.router(events: events), observer: observer) { path in
            let lifecycle = observer.events.cursor()
            try await RawConnection.with(path) { raw in
                #expect(try await lifecycle.expect("opened"))
                try await raw.sendRequest(streamID: 1, service: self.service, method: "Block", payload: try keyValue("one").serializedBytes())
                try await raw.sendRequest(streamID: 3, service: self.service, method: "Block", payload: try keyValue("two").serializedBytes())
                try #require(
                    try await eventually { events.count("one started") + events.count("two started") == 2 },
                    "\"one started\" and \"two started\" were not both recorded")
            }
            try #require(
                try await eventually { events.count("one cancelled") + events.count("two cancelled") == 2 },
                "\"one cancelled\" and \"two cancelled\" were not both recorded")
            #expect(try await lifecycle.expect("closed"))
        }
    }

    @Test("a client's pending calls fail with UNAVAILABLE when the connection drops")
    func clientFailsPendingOnDrop() async throws {
        let events = EventLog()
        try await withTestServer(router: TestService.router(events: events), configure: { $0.shutdownGracePeriod = .milliseconds(100) }) { path in
            let client = try await RPCClient.connect(path: path)
            let seen = events.cursor()
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    let error = await #expect(throws: RPCError.self) {
                        _ = try await client.call(service: self.service, method: "Block", request: keyValue("p"), as: Ttrpc_KeyValue.self)
                    }
                    #expect(error?.code == .unavailable)
                }
                #expect(try await seen.expect("p started"))
                await client.close()
                try await group.waitForAll()
            }
            #expect(try await seen.expect("p cancelled"))
        }
    }

    @Test("more connections than the bound are closed, logged once per burst, and a slot frees when one closes")
    func connectionLimit() async throws {
        let logs = CapturedLogs()
        let observer = RecordingObserver()
        try await withTestServer(router: TestService.router(), observer: observer, logger: logs.logger, configure: { $0.maxConnections = 2 }) { path in
            let lifecycle = observer.events.cursor()
            let first = try await RPCClient.connect(path: path)
            let second = try await RPCClient.connect(path: path)
            for client in [first, second] {
                _ = try await client.call(service: self.service, method: "Echo", request: keyValue("in"), as: Ttrpc_KeyValue.self)
            }
            for _ in 0..<3 {
                let frames = try await RawConnection.with(path) { raw in
                    try await raw.waitForClose()
                }
                #expect(frames == 0)
            }
            #expect(logs.count("connection limit reached; closing new connections") == 1)

            await first.close()
            #expect(try await lifecycle.expect("opened"))
            #expect(try await lifecycle.expect("opened"))
            #expect(try await lifecycle.expect("closed"))
            let third = try await RPCClient.connect(path: path)
            _ = try await third.call(service: self.service, method: "Echo", request: keyValue("in"), as: Ttrpc_KeyValue.self)
            await second.close()
            await third.close()
        }
    }

    @Test("a client that sends and never reads stalls only itself: the server stops reading it, others are served")
    func slowReader() async throws {
        let events = EventLog()
        let router = TestService.router(events: events)
        try await withTestServer(router: router, configure: {
            $0.maxInFlightPerConnection = 4
            $0.maxOutboundBufferBytes = 64 * 1024
        }) { path in
            // The greedy client asks for 2000 answers of 256 KiB (500 MiB) and never reads.
            try await withNonReadingConnection(path) { greedy in
                greedy.writeAndFlush(try requestFrames("Big", streams: 0..<2000, key: "g", value: "262144"), promise: nil)
                let seen = events.cursor()
                #expect(try await seen.expect("big"))

                let polite = try await RPCClient.connect(path: path)
                for index in 0..<50 {
                    let answer = try await polite.call(
                        service: self.service, method: "Echo", request: keyValue("\(index)"), as: Ttrpc_KeyValue.self, timeout: .seconds(10))
                    #expect(answer.key == "\(index)")
                }
                // Had the server kept reading the greedy client, it would have served all 2000 by now.
                #expect(events.count("big") < 100)
                await polite.close()
            }
        }
    }
}
