import FlyGateClient
import FlyGateCore
import FlyGateJSON
import FlyGateTestSupport
import FlyGateWire
import FlyMachinesProto
import Foundation
import NIOCore
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// The daemon killed with SIGKILL in the middle of a mixed workload, then started again on the
/// same socket path and state directory.
@Suite(.serialized, .timeLimit(.minutes(3)))
struct CrashReliabilityTests {
    static let app = "crash"
    static let workers = 12
    /// Requests each worker keeps in flight on its connection.
    static let pipelined = 4

    /// What one call was, and what came back for it.
    struct Call: Sendable {
        var method: String
        /// The unique metadata key an UpdateMetadata call sets.
        var key: String?
        var answers = 0
        var code: RPCStatusCode?
    }

    /// Every call every worker sent, by connection and stream id; filled in as frames arrive so
    /// that nothing is lost when the connection dies.
    final class Ledger: Sendable {
        private let state = Mutex((calls: [String: Call](), unsolicited: [String](), answeredOK: 0))

        func sent(_ id: String, _ call: Call) { state.withLock { $0.calls[id] = call } }

        func answered(_ id: String, code: RPCStatusCode) {
            state.withLock { state in
                guard var call = state.calls[id] else {
                    state.unsolicited.append(id)
                    return
                }
                call.answers += 1
                call.code = code
                state.calls[id] = call
                if code == .ok { state.answeredOK += 1 }
            }
        }

        var calls: [String: Call] { state.withLock { $0.calls } }
        var unsolicited: [String] { state.withLock { $0.unsolicited } }
        var answeredOK: Int { state.withLock { $0.answeredOK } }
    }

    @Test("SIGKILL mid-workload: the restart reclaims the socket and releases the lease book, the audit chain verifies, and no call was answered or applied twice")
    func killDuringMixedWorkload() async throws {
        try await UpstreamSimulator.with(recordExchanges: true) { upstream in
            let leased = [try upstream.seedMachine(app: Self.app), try upstream.seedMachine(app: Self.app)]
            let busy = [try upstream.seedMachine(app: Self.app), try upstream.seedMachine(app: Self.app)]
            let arguments = ["--upstream", upstream.baseURL, "--no-rate-limits"]
            try await DaemonProcess.with(arguments: arguments, environment: ["FLY_API_TOKEN": "crash-test-token"]) { first in
                let socketPath = first.socketPath
                let auditPath = first.stateDirectory + "/audit.log"

                // A holder keeps two leases in the daemon's book while the workload runs.
                let ledger = Ledger()
                try await first.withClient { holder in
                    for machine in leased {
                        var lease = Machines.target(Flygate_Machines_V1_CreateLeaseRequest.self, Self.app, machine)
                        lease.body.ttl = 120
                        _ = try await holder.createLease(lease)
                    }

                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for worker in 0..<Self.workers {
                            group.addTask { await Self.work(worker, socketPath: socketPath, machines: busy, ledger: ledger) }
                        }
                        // Kill once the workload is well under way (and in any case within 20 s); the
                        // workers end with their connections.
                        _ = try await eventually(within: .seconds(20)) { ledger.answeredOK >= 500 }
                        first.signal(SIGKILL)
                        #expect(try await first.waitForExit() == 128 + SIGKILL)
                        try await group.waitForAll()
                    }
                }

                // No stream was answered twice, nor one that was never asked.
                let calls = ledger.calls
                #expect(ledger.unsolicited.isEmpty, "answers to streams never sent: \(ledger.unsolicited.prefix(5))")
                let twice = calls.filter { $0.value.answers > 1 }
                #expect(twice.isEmpty, "answered more than once: \(twice.keys.sorted().prefix(5))")
                let answered = calls.values.filter { $0.answers == 1 }
                let unanswered = calls.values.filter { $0.answers == 0 }
                #expect(answered.count >= 500 && !unanswered.isEmpty, "\(answered.count) answered, \(unanswered.count) cut off")
                // A GetMetadataKey may race the UpdateMetadata of its key in the same batch; nothing else fails.
                let failed = answered.filter { $0.code != .ok && !($0.method == "GetMetadataKey" && $0.code == .notFound) }
                #expect(failed.isEmpty, "\(failed.prefix(5).map { "\($0.method): \($0.code.map(String.init(describing:)) ?? "")" })")
                #expect(unanswered.contains { $0.method == "Wait" }, "the long Wait was not in flight at the kill")
                for machine in leased {
                    #expect(try await upstream.lease(app: Self.app, machine: machine) != nil, "a lease was released before the restart")
                }

                // The dead daemon's socket file is still there; the restart reclaims it.
                #expect(FileManager.default.fileExists(atPath: socketPath))
                try await DaemonProcess.with(
                    arguments: arguments, environment: ["FLY_API_TOKEN": "crash-test-token"], directory: first.directory) { second in
                    try await second.withClient { client async throws in
                        #expect(try await client.health().status == "serving")
                        #expect(try await client.show(Machines.target(Flygate_Machines_V1_ShowRequest.self, Self.app, busy[0])).body.id == busy[0])

                        // The recovered lease book is released upstream and emptied.
                        for machine in leased {
                            #expect(
                                try await eventually(within: .seconds(3)) {
                                    try await upstream.lease(app: Self.app, machine: machine) == nil
                                }, "the restarted daemon did not release the lease on \(machine)")
                        }
                        #expect(try await eventually(within: .seconds(1)) { try await client.listLeases().leases.isEmpty })
                    }
                    second.signal(SIGTERM)
                    #expect(try await second.waitForExit() == 0)

                    // Every write reached Fly at most once — none was replayed by the restart — and each
                    // one answered OK exactly once.
                    let writes = calls.values.filter { $0.key != nil }
                    var applied: [String: Int] = [:]
                    for exchange in upstream.simulator.exchanges where exchange.method == "POST" {
                        if let key = exchange.uri.split(separator: "/metadata/").dropFirst().first { applied[String(key), default: 0] += 1 }
                    }
                    for write in writes {
                        let count = applied[write.key!, default: 0]
                        #expect(count <= 1, "\(write.key!) reached Fly \(count) times")
                        if write.code == .ok { #expect(count == 1, "\(write.key!) answered OK but reached Fly \(count) times") }
                    }

                    // The chain verifies across the kill (its torn tail recovered), and every write that
                    // was answered OK has exactly one `received` record.
                    let verified = try await runCommand(DaemonProcess.binary, ["audit", "verify", auditPath])
                    #expect(verified.status == 0, "\(verified.output)")
                    let records = try String(contentsOfFile: auditPath, encoding: .utf8).split(separator: "\n")
                        .map { try JSONValue(parsing: String($0)) }
                    var received: [String: Int] = [:]
                    for record in records where record["stage"] == "received" && record["method"] == "UpdateMetadata" {
                        if let key = record["args"]?["key"]?.stringValue { received[key, default: 0] += 1 }
                    }
                    for write in writes where write.code == .ok {
                        #expect(received[write.key!] == 1, "\(write.key!) has \(received[write.key!] ?? 0) received records")
                    }
                    #expect(records.contains { $0["stage"] == "start" && $0["seq"]?.uint64Value ?? 0 > 1 }, "no restart in the chain")
                }
            }
        }
    }

    /// One worker: a long Wait, then Show, UpdateMetadata (a key of its own), List and
    /// GetMetadataKey over one raw connection with ``pipelined`` calls in flight, until the
    /// daemon dies.
    static func work(_ worker: Int, socketPath: String, machines: [String], ledger: Ledger) async {
        let machine = machines[worker % machines.count]
        do {
            try await RawConnection.with(socketPath) { connection in
                var streamID: UInt32 = 1
                func send(_ call: Call, _ payload: [UInt8], timeout: Duration = .seconds(10)) async throws {
                    ledger.sent("\(worker)/\(streamID)", call)
                    try await connection.sendRequest(
                        streamID: streamID, service: MachinesRPC.machinesServiceName, method: call.method, payload: payload,
                        timeoutNano: Int64(timeout.components.seconds) * 1_000_000_000)
                    streamID += 2
                }
                let wait = Machines.wait(Self.app, machine, state: "destroyed", timeout: 60)
                try await send(Call(method: "Wait"), try wait.serializedBytes(), timeout: .seconds(60))
                var inFlight = 1
                var sequence = 0
                // Until the daemon dies, bounded by the connection's deadline and a count.
                while sequence < 1_000_000, !Task.isCancelled {
                    while inFlight < Self.pipelined + 1 {
                        sequence += 1
                        switch sequence % 4 {
                        case 0:
                            let show = Machines.target(Flygate_Machines_V1_ShowRequest.self, Self.app, machine)
                            try await send(Call(method: "Show"), try show.serializedBytes())
                        case 1:
                            var update = Machines.target(Flygate_Machines_V1_UpdateMetadataRequest.self, Self.app, machine)
                            update.key = "k-\(worker)-\(sequence)"
                            update.body.value = "v"
                            try await send(Call(method: "UpdateMetadata", key: update.key), try update.serializedBytes())
                        case 2:
                            var list = Flygate_Machines_V1_ListRequest()
                            list.appName = Self.app
                            try await send(Call(method: "List"), try list.serializedBytes())
                        default:
                            var get = Machines.target(Flygate_Machines_V1_GetMetadataKeyRequest.self, Self.app, machine)
                            get.key = "k-\(worker)-\(sequence - 2)"
                            try await send(Call(method: "GetMetadataKey"), try get.serializedBytes())
                        }
                        inFlight += 1
                    }
                    guard let frame = try await connection.nextFrame() else { return }
                    let response = try Ttrpc_Response(buffer: frame.data)
                    let code = RPCStatusCode(rawValue: response.status.code) ?? .unknown
                    ledger.answered("\(worker)/\(frame.streamID)", code: code)
                    inFlight -= 1
                }
            }
        } catch {
            // The daemon died under a write or a read: what arrived is in the ledger.
        }
    }
}
