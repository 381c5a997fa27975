import FlyGateCore
import FlyGateServer
import FlyMachinesProto
import Logging
import Testing

/// The first Machines stage on its own, over a fixed answer: which callers see which nonces.
@Suite struct NonceRedactionStageTests {
    static let nonce = "0123456789abcdef"
    static let holderConnection: UInt64 = 7
    static let otherConnection: UInt64 = 8

    /// A terminal stage answering every call with `answer`.
    struct Answering: MachinesStage {
        let answer: @Sendable () -> any MachinesRPCResponse

        func handle<Request: MachinesRPCRequest>(
            _ request: Request, context: CallContext, next: MachinesNext<Request>
        ) async throws -> Request.Response {
            try #require(answer() as? Request.Response)
        }
    }

    /// A book in which connection 7 holds the lease on `demo/m1` with ``nonce``.
    static func book() -> LeaseBook {
        let book = LeaseBook(file: nil, logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }), clock: { 100 })
        book.connectionOpened(id: holderConnection, peer: PeerCredentials(uid: 1000, gid: 1000, pid: 42))
        book.take(
            LeaseRecord(
                app: "demo", machine: "m1", nonce: nonce, ttlSeconds: 30, expiresAt: 130, description: "deploy",
                holder: LeaseHolder(connectionID: holderConnection, uid: 1000, pid: 42), renew: false))
        return book
    }

    static func context(_ connection: UInt64, metadata: [(key: String, value: String)] = []) -> CallContext {
        CallContext(
            service: MachinesRPC.machinesServiceName, method: "x", peer: PeerCredentials(uid: 1000, gid: 1000, pid: 43),
            connectionID: connection, streamID: 1, deadline: nil, metadata: metadata)
    }

    static func machine(_ id: String, nonce: String) -> Flygate_Machines_V1_Machine {
        var machine = Flygate_Machines_V1_Machine()
        machine.id = id
        machine.nonce = nonce
        return machine
    }

    static func run<Request: MachinesRPCRequest>(
        _ request: Request, connection: UInt64, answer: @escaping @Sendable () -> any MachinesRPCResponse
    ) async throws -> Request.Response {
        let pipeline = MachinesPipeline(stages: [NonceRedactionStage(book: book()), Answering(answer: answer)])
        return try await pipeline.handle(request, context: context(connection))
    }

    static var showLease: Flygate_Machines_V1_ShowLeaseRequest {
        var request = Flygate_Machines_V1_ShowLeaseRequest()
        request.appName = "demo"
        request.machineID = "m1"
        return request
    }

    static var leaseAnswer: Flygate_Machines_V1_ShowLeaseResponse {
        var response = Flygate_Machines_V1_ShowLeaseResponse()
        response.body.nonce = nonce
        response.body.owner = "someone@example.com"
        return response
    }

    @Test("a booked lease's nonce is whole for its holder and a prefix for everyone else")
    func showLease() async throws {
        let holder = try await Self.run(Self.showLease, connection: Self.holderConnection) { Self.leaseAnswer }
        #expect(holder.body.nonce == Self.nonce)
        let other = try await Self.run(Self.showLease, connection: Self.otherConnection) { Self.leaseAnswer }
        #expect(other.body.nonce == "0123…")
        #expect(other.body.owner == "someone@example.com", "only the nonce changes")
        #expect(!(try other.jsonString()).contains(Self.nonce))
    }

    @Test("a nonce the book does not know (a lease taken outside flygate) is a prefix for every local caller")
    func unknownNonce() async throws {
        var foreign = Self.showLease
        foreign.machineID = "m2"
        for connection in [Self.holderConnection, Self.otherConnection] {
            let answer = try await Self.run(foreign, connection: connection) { Self.leaseAnswer }
            #expect(answer.body.nonce == "0123…")
        }
        // An older nonce of the booked machine is not the booked lease's either.
        let stale = try await Self.run(Self.showLease, connection: Self.holderConnection) {
            var response = Self.leaseAnswer
            response.body.nonce = "ffffeeeedddd"
            return response
        }
        #expect(stale.body.nonce == "ffff…")
    }

    @Test("List redacts each machine by its own id; Show and Update by the machine")
    func machines() async throws {
        var list = Flygate_Machines_V1_ListRequest()
        list.appName = "demo"
        let answer: @Sendable () -> any MachinesRPCResponse = {
            var response = Flygate_Machines_V1_ListResponse()
            response.body = [Self.machine("m1", nonce: Self.nonce), Self.machine("m2", nonce: "9999888877776666"), Self.machine("m3", nonce: "")]
            return response
        }
        let holder = try await Self.run(list, connection: Self.holderConnection, answer: answer)
        #expect(holder.body.map(\.nonce) == [Self.nonce, "9999…", ""])
        let other = try await Self.run(list, connection: Self.otherConnection, answer: answer)
        #expect(other.body.map(\.nonce) == ["0123…", "9999…", ""])

        var show = Flygate_Machines_V1_ShowRequest()
        show.appName = "demo"
        show.machineID = "m1"
        let shown: @Sendable () -> any MachinesRPCResponse = {
            var response = Flygate_Machines_V1_ShowResponse()
            response.body = Self.machine("m1", nonce: Self.nonce)
            return response
        }
        #expect(try await Self.run(show, connection: Self.holderConnection, answer: shown).body.nonce == Self.nonce)
        #expect(try await Self.run(show, connection: Self.otherConnection, answer: shown).body.nonce == "0123…")
    }

    @Test("a caller that brought the nonce sees it back; the daemon's own calls see it whole")
    func broughtAndDaemon() async throws {
        var refresh = Flygate_Machines_V1_CreateLeaseRequest()
        refresh.appName = "demo"
        refresh.machineID = "m1"
        refresh.leaseNonce = Self.nonce
        let answer: @Sendable () -> any MachinesRPCResponse = {
            var response = Flygate_Machines_V1_CreateLeaseResponse()
            response.body.nonce = Self.nonce
            return response
        }
        #expect(try await Self.run(refresh, connection: Self.otherConnection, answer: answer).body.nonce == Self.nonce)

        let pipeline = MachinesPipeline(stages: [NonceRedactionStage(book: Self.book()), Answering(answer: { Self.leaseAnswer })])
        let context = Self.context(0)
        context.values[DaemonInitiated.self] = DaemonInitiated(reason: "lease renewal", onBehalfOf: nil)
        #expect(try await pipeline.handle(Self.showLease, context: context).body.nonce == Self.nonce)
    }
}
