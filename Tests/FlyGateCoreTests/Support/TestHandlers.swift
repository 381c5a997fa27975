import FlyGateCore
import FlyGateServer
import FlyGateTestSupport
import FlyGateWire
import Foundation
import Logging
import NIOPosix
import SwiftProtobuf
import Synchronization

/// Events reported by handlers, in order, for tests to await.
final class EventLog: Sendable {
    private let recorded = Mutex<(order: [String], counts: [String: Int])>(([], [:]))

    func record(_ event: String) {
        self.recorded.withLock {
            $0.order.append(event)
            $0.counts[event, default: 0] += 1
        }
    }

    /// How many times `event` was recorded so far.
    func count(_ event: String) -> Int {
        self.recorded.withLock { $0.counts[event] ?? 0 }
    }

    /// A reader of the events in order, from the first one recorded.
    func cursor() -> Cursor { Cursor(log: self) }

    /// The first `event` at or after `position`, as its index.
    fileprivate func index(of event: String, from position: Int) -> Int? {
        self.recorded.withLock { state in
            guard position < state.order.count else { return nil }
            return state.order[position...].firstIndex(of: event)
        }
    }

    /// Reads an ``EventLog`` in order; every wait is bounded.
    final class Cursor: Sendable {
        private let log: EventLog
        private let position = Mutex(0)

        fileprivate init(log: EventLog) { self.log = log }

        /// Skips events until `event` (one not read yet); false when it is not recorded within
        /// `limit`. Polls with ``eventually(within:_:)``, so a cancelled task stops at once.
        func expect(_ event: String, within limit: Duration = .seconds(10)) async throws -> Bool {
            try await eventually(within: limit) {
                let from = self.position.withLock { $0 }
                guard let index = self.log.index(of: event, from: from) else { return false }
                self.position.withLock { $0 = index + 1 }
                return true
            }
        }
    }
}

/// Named gates handlers wait on until a test opens them.
actor Gates {
    private var opened: Set<String> = []
    private var waiters: [String: [CheckedContinuation<Void, Never>]] = [:]

    func wait(_ name: String) async {
        if self.opened.contains(name) { return }
        await withCheckedContinuation { self.waiters[name, default: []].append($0) }
    }

    func open(_ name: String) {
        self.opened.insert(name)
        for waiter in self.waiters.removeValue(forKey: name) ?? [] {
            waiter.resume()
        }
    }
}

/// An error that knows its status.
struct LeaseHeldError: RPCErrorConvertible {
    var rpcError: RPCError { RPCError(code: .failedPrecondition, message: "lease held") }
}

/// An error that does not: it must become INTERNAL.
struct SurpriseError: Error, CustomStringConvertible {
    var description: String { "disk on fire" }
}

/// The test service "flygate.test.v1.Test", speaking Ttrpc_KeyValue in both directions.
enum TestService {
    static let name = "flygate.test.v1.Test"

    static func router(
        events: EventLog = EventLog(), gates: Gates = Gates(), interceptors: RPCInterceptorChain = RPCInterceptorChain()
    ) -> RPCRouter {
        var router = RPCRouter(interceptors: interceptors)
        router.register(service: name, method: "Echo") { (request: Ttrpc_KeyValue, _) in
            request
        }
        router.register(service: name, method: "Empty") { (_: Ttrpc_KeyValue, _) in
            Ttrpc_KeyValue()
        }
        router.register(service: name, method: "Context") { (_: Ttrpc_KeyValue, context) in
            var answer = Ttrpc_KeyValue()
            answer.key = "\(context.peer.uid) \(context.peer.gid) \(context.peer.pid)"
            let remaining = context.deadline.map { $0 - ContinuousClock.now }
            answer.value = context.metadata.map { "\($0.key)=\($0.value)" }.joined(separator: ",")
                + ";deadline=\(remaining.map { $0 > .zero && $0 <= .seconds(30) } ?? false)"
                + ";request-id=\(context.metadataValue("FLYGATE-REQUEST-ID") ?? "-")"
            return answer
        }
        // Answers "on its loop" when the handler runs on the event loop of its connection's
        // executor (CallContext.executor), else says where it runs.
        router.register(service: name, method: "Where") { (_: Ttrpc_KeyValue, context) in
            let loop = (context.executor as? EventLoopTaskExecutor)?.eventLoop
            let current = MultiThreadedEventLoopGroup.currentEventLoop
            let answer = loop == nil ? "no executor" : current == nil ? "off any event loop" : loop! === current! ? "on its loop" : "on another loop"
            return keyValue(answer)
        }
        // Waits until cancelled; reports "<key> started" and "<key> cancelled".
        router.register(service: name, method: "Block") { (request: Ttrpc_KeyValue, _) -> Ttrpc_KeyValue in
            events.record("\(request.key) started")
            do {
                try await Task.sleep(for: .seconds(600))
            } catch {
                events.record("\(request.key) cancelled")
                throw error
            }
            return request
        }
        // Waits for the gate named by the key, then echoes.
        router.register(service: name, method: "Hold") { (request: Ttrpc_KeyValue, _) in
            events.record("\(request.key) started")
            await gates.wait(request.key)
            return request
        }
        // Answers with a value of `Int(request.value)` bytes.
        router.register(service: name, method: "Big") { (request: Ttrpc_KeyValue, _) in
            events.record("big")
            return keyValue(request.key, String(repeating: "x", count: Int(request.value) ?? 0))
        }
        router.register(service: name, method: "FailKnown") { (_: Ttrpc_KeyValue, _) -> Ttrpc_KeyValue in
            throw LeaseHeldError()
        }
        router.register(service: name, method: "FailUnknown") { (_: Ttrpc_KeyValue, _) -> Ttrpc_KeyValue in
            throw SurpriseError()
        }
        // Answered on the read loop (no task): an echo, and the two kinds of failure.
        router.registerImmediate(service: name, method: "EchoNow") { (request: Ttrpc_KeyValue, _) in
            request
        }
        router.registerImmediate(service: name, method: "FailKnownNow") { (_: Ttrpc_KeyValue, _) -> Ttrpc_KeyValue in
            throw LeaseHeldError()
        }
        router.registerImmediate(service: name, method: "FailUnknownNow") { (_: Ttrpc_KeyValue, _) -> Ttrpc_KeyValue in
            throw SurpriseError()
        }
        // Answered at once with a value of `Int(request.value)` bytes; records "bignow".
        router.registerImmediate(service: name, method: "BigNow") { (request: Ttrpc_KeyValue, _) in
            events.record("bignow")
            return keyValue(request.key, String(repeating: "x", count: Int(request.value) ?? 0))
        }
        // Says how an immediate method ran: "inline" (no task, on its connection's event loop,
        // as its frame was read), else "in a task".
        router.registerImmediate(service: name, method: "HowNow") { (_: Ttrpc_KeyValue, context) in
            let loop = (context.executor as? EventLoopTaskExecutor)?.eventLoop
            let onItsLoop = loop != nil && MultiThreadedEventLoopGroup.currentEventLoop === loop
            let inTask = withUnsafeCurrentTask { $0 != nil }
            return keyValue(inTask ? "in a task" : onItsLoop ? "inline" : "off its loop")
        }
        registerStreams(&router, events: events)
        registerGateway(&router)
        return router
    }

    /// Server-streaming methods, all speaking Ttrpc_KeyValue.
    static func registerStreams(_ router: inout RPCRouter, events: EventLog) {
        // Streams `Int(request.value)` messages "0", "1", ... (keys), then ends OK.
        router.registerServerStreaming(service: name, method: "Count") { (request: Ttrpc_KeyValue, _, writer: RPCStreamWriter<Ttrpc_KeyValue>) in
            for index in 0..<(Int(request.value) ?? 0) {
                try await writer.send(keyValue(String(index)))
            }
        }
        // Streams `Int(request.value)` messages, then fails with FAILED_PRECONDITION.
        router.registerServerStreaming(service: name, method: "CountThenFail") { (request: Ttrpc_KeyValue, _, writer: RPCStreamWriter<Ttrpc_KeyValue>) in
            for index in 0..<(Int(request.value) ?? 0) {
                try await writer.send(keyValue(String(index)))
            }
            throw LeaseHeldError()
        }
        // Sends messages of `Int(request.value)` bytes until cancelled; records "<key> started",
        // "<key> sent" after each send and "<key> cancelled".
        router.registerServerStreaming(service: name, method: "Flood") { (request: Ttrpc_KeyValue, _, writer: RPCStreamWriter<Ttrpc_KeyValue>) in
            events.record("\(request.key) started")
            let message = keyValue(request.key, String(repeating: "x", count: Int(request.value) ?? 0))
            do {
                while true {
                    try await writer.send(message)
                    events.record("\(request.key) sent")
                }
            } catch {
                events.record("\(request.key) cancelled")
                throw error
            }
        }
        // Sends one message, then waits until cancelled; records "<key> started" and "<key> cancelled".
        router.registerServerStreaming(service: name, method: "Watch") { (request: Ttrpc_KeyValue, _, writer: RPCStreamWriter<Ttrpc_KeyValue>) in
            events.record("\(request.key) started")
            try await writer.send(keyValue(request.key, "hello"))
            do {
                try await Task.sleep(for: .seconds(600))
            } catch {
                events.record("\(request.key) cancelled")
                throw error
            }
        }
    }

    /// flygate.gateway.v1.Gateway's three rpcs, reached by their real names. Their requests are
    /// empty messages; HealthResponse begins with two strings (status, version), which is
    /// KeyValue's shape on the wire.
    static func registerGateway(_ router: inout RPCRouter) {
        let gateway = "flygate.gateway.v1.Gateway"
        router.register(service: gateway, method: "Health") { (_: Google_Protobuf_Empty, _) in
            keyValue("serving", "test")
        }
        router.register(service: gateway, method: "Stats") { (_: Google_Protobuf_Empty, _) in
            Google_Protobuf_Empty()
        }
        router.register(service: gateway, method: "ListLeases") { (_: Google_Protobuf_Empty, _) in
            Google_Protobuf_Empty()
        }
    }
}

/// Records connection openings and closings.
final class RecordingObserver: ConnectionObserver {
    let events = EventLog()
    private let peers = Mutex<[UInt64: PeerCredentials]>([:])

    func connectionOpened(id: UInt64, peer: PeerCredentials) {
        self.peers.withLock { $0[id] = peer }
        self.events.record("opened")
    }

    func connectionClosed(id: UInt64, peer: PeerCredentials) {
        self.events.record("closed")
    }

    var seenPeers: [PeerCredentials] {
        self.peers.withLock { Array($0.values) }
    }
}

/// Keeps log records for tests that check what reached the log.
final class CapturedLogs: Sendable {
    private let records = Mutex<[(level: Logger.Level, message: String, metadata: String)]>([])

    var logger: Logger {
        var logger = Logger(label: "test") { _ in CapturingLogHandler(sink: self) }
        logger.logLevel = .debug
        return logger
    }

    func append(_ level: Logger.Level, _ message: String, _ metadata: String) {
        self.records.withLock { $0.append((level, message, metadata)) }
    }

    func count(_ message: String) -> Int {
        self.records.withLock { $0.filter { $0.message == message }.count }
    }

    func metadata(of message: String) -> [String] {
        self.records.withLock { $0.filter { $0.message == message }.map(\.metadata) }
    }
}

struct CapturingLogHandler: LogHandler {
    let sink: CapturedLogs
    var metadata: Logger.Metadata = [:]
    var logLevel: Logger.Level = .debug

    subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { self.metadata[key] }
        set { self.metadata[key] = newValue }
    }

    func log(event: LogEvent) {
        let merged = self.metadata.merging(event.metadata ?? [:]) { $1 }
        self.sink.append(event.level, "\(event.message)", merged.map { "\($0)=\($1)" }.sorted().joined(separator: " "))
    }
}
