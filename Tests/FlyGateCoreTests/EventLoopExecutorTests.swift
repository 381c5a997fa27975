import FlyGateClient
import FlyGateCore
import FlyGateServer
import FlyGateTestSupport
import FlyGateWire
import NIOCore
import NIOPosix
import SwiftProtobuf
import Testing

/// A call's code runs on its connection's event loop (no thread woken to hand it on), by
/// ttrpc and by gRPC, with and without a deadline; work the daemon starts for it does too.
@Suite("calls run on their connection's event loop", .timeLimit(.minutes(1)))
struct EventLoopExecutorTests {
    @Test("a ttrpc call's handler runs on the loop of its connection, with and without a deadline")
    func ttrpc() async throws {
        try await withTestServer(router: TestService.router()) { path in
            let client = try await RPCClient.connect(path: path)
            for timeout in [nil, Duration.seconds(10)] {
                let answer = try await client.call(
                    service: TestService.name, method: "Where", request: keyValue("?"), as: Ttrpc_KeyValue.self, timeout: timeout)
                #expect(answer.key == "on its loop", "timeout \(String(describing: timeout))")
            }
            await client.close()
        }
    }

    @Test("a gRPC call's handler runs on the loop of its connection")
    func grpc() async throws {
        try await withTestServer(router: TestService.router()) { path in
            try await GRPCTestClient.with(path) { client in
                let answer = try await client.unary("/\(TestService.name)/Where", try keyValue("?").serializedBytes())
                #expect(answer.status == 0, "\(answer.message)")
                #expect(try Ttrpc_KeyValue(serializedBytes: answer.response).key == "on its loop")
            }
        }
    }

    @Test("a job the daemon runs for a caller runs on the executor it was given")
    func daemonJobs() async throws {
        let jobs = OwnedTasks()
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let executor = EventLoopTaskExecutor(loop)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await jobs.run() }
            let onLoop = await withCheckedContinuation { (continuation: CheckedContinuation<Bool, Never>) in
                let job = jobs.submit(on: executor) {
                    continuation.resume(returning: MultiThreadedEventLoopGroup.currentEventLoop === loop)
                }
                #expect(job != nil)
            }
            #expect(onLoop)
            jobs.finish()
            try await group.waitForAll()
        }
        // Finished: a new job is refused, and never runs.
        #expect(jobs.submit(on: executor) { Issue.record("a job ran after finish()") } == nil)
    }
}
