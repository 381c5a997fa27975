import FlyGateCore
import FlyGateServer
import FlyMachinesProto
import Logging
import Synchronization
import Testing

/// How a pipeline passes a call along its stages: by those with nothing to do for the call's
/// rpc, always to the last.
@Suite struct MachinesPipelineTests {
    /// A stage that notes its name when it runs, for the rpcs `appliesTo` names (nil: all).
    struct Noting: MachinesStage {
        let name: String
        let appliesTo: Set<MachinesRPC>?
        let log: NotedNames

        func applies<Request: MachinesRPCRequest>(to request: Request.Type) -> Bool {
            appliesTo?.contains(Request.rpc) ?? true
        }

        func handle<Request: MachinesRPCRequest>(
            _ request: Request, context: CallContext, next: MachinesNext<Request>
        ) async throws -> Request.Response {
            log.note(name)
            return try await next(request, context)
        }
    }

    /// The terminal: notes itself, answers an empty response. It applies to nothing, and runs all the same.
    struct Terminal: MachinesStage {
        let log: NotedNames

        func applies<Request: MachinesRPCRequest>(to request: Request.Type) -> Bool { false }

        func handle<Request: MachinesRPCRequest>(
            _ request: Request, context: CallContext, next: MachinesNext<Request>
        ) async throws -> Request.Response {
            log.note("terminal")
            return Request.Response()
        }
    }

    final class NotedNames: Sendable {
        private let names = Mutex<[String]>([])
        func note(_ name: String) { names.withLock { $0.append(name) } }
        func take() -> [String] { names.withLock { names in defer { names = [] }; return names } }
    }

    static let context = CallContext(
        service: MachinesRPC.machinesServiceName, method: "x", peer: PeerCredentials(uid: 1000, gid: 1000, pid: 43),
        connectionID: 1, streamID: 1, deadline: nil, metadata: [])

    @Test("a call passes by the stages that do not apply to its rpc, and always reaches the last")
    func passesBy() async throws {
        let log = NotedNames()
        let pipeline = MachinesPipeline(stages: [
            Noting(name: "all", appliesTo: nil, log: log),
            Noting(name: "stop only", appliesTo: [.stop], log: log),
            Noting(name: "show and stop", appliesTo: [.show, .stop], log: log),
            Terminal(log: log),
        ])
        _ = try await pipeline.handle(Flygate_Machines_V1_ShowRequest(), context: Self.context)
        #expect(log.take() == ["all", "show and stop", "terminal"])
        _ = try await pipeline.handle(Flygate_Machines_V1_StopRequest(), context: Self.context)
        #expect(log.take() == ["all", "stop only", "show and stop", "terminal"])
        _ = try await pipeline.handle(Flygate_Machines_V1_ListRequest(), context: Self.context)
        #expect(log.take() == ["all", "terminal"])
    }

    @Test("the daemon's stages apply where they have work: leases, nudges and redaction by rpc")
    func daemonStages() {
        let quiet = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let book = LeaseBook(file: nil, logger: quiet, clock: { 100 })
        let lease = LeaseStage(book: book)
        #expect(lease.applies(to: Flygate_Machines_V1_StopRequest.self))  // lease-guarded
        #expect(lease.applies(to: Flygate_Machines_V1_CreateLeaseRequest.self))  // booked
        #expect(lease.applies(to: Flygate_Machines_V1_CreateRequest.self))  // booked: lease_ttl
        #expect(lease.applies(to: Flygate_Machines_V1_UpdateRequest.self))  // booked: lease_ttl
        #expect(lease.applies(to: Flygate_Machines_V1_ReleaseLeaseRequest.self))  // booked: the release
        #expect(!lease.applies(to: Flygate_Machines_V1_ShowRequest.self))
        #expect(!lease.applies(to: Flygate_Machines_V1_ListRequest.self))
        let redaction = NonceRedactionStage(book: book)
        #expect(redaction.applies(to: Flygate_Machines_V1_ShowRequest.self))  // a machine carries its nonce
        #expect(redaction.applies(to: Flygate_Machines_V1_ListRequest.self))
        #expect(redaction.applies(to: Flygate_Machines_V1_ShowLeaseRequest.self))
        #expect(!redaction.applies(to: Flygate_Machines_V1_ListEventsRequest.self))
    }
}
