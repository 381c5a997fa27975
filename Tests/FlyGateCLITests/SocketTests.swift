import FlyGateCore
import FlyGateServer
import FlyGateWire
import FlyMachinesProto
import Foundation
import Logging
import ServiceLifecycle
import Testing

@testable import FlyGateCLI

/// Verbs over a real Unix socket: the RPCClient the CLI connects with, and a ttrpc server
/// answering like the daemon would.
@Suite("Verbs over the socket", .timeLimit(.minutes(1)))
struct SocketTests {
    /// Serves `router` on a fresh socket while `body` runs with the socket's path.
    private func withServer<T: Sendable>(_ router: RPCRouter, _ body: (String) async throws -> T) async throws -> T {
        let directory = "/tmp/fgcli-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false, attributes: [.posixPermissions: 0o700])
        defer { try? FileManager.default.removeItem(atPath: directory) }
        var configuration = RPCServer.Configuration.defaults
        configuration.listener = .socketPath(directory + "/s.sock")
        configuration.shutdownGracePeriod = .seconds(5)
        let logger = Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() })
        let server = RPCServer(configuration: configuration, router: router, logger: logger)
        let group = ServiceGroup(services: [server], logger: logger)
        return try await withThrowingTaskGroup(of: Void.self) { tasks in
            tasks.addTask { try await group.run() }
            defer { tasks.cancelAll() }
            let result: Result<T, any Error>
            do {
                result = .success(try await body(try await server.listeningAddress()))
            } catch {
                result = .failure(error)
            }
            await group.triggerGracefulShutdown()
            try await tasks.waitForAll()
            return try result.get()
        }
    }

    @Test("show prints the machine the daemon answers; a status becomes the error line and exit code")
    func show() async throws {
        var router = RPCRouter()
        router.register(service: MachinesRPC.machinesServiceName, method: "Show") {
            (request: Flygate_Machines_V1_ShowRequest, _: CallContext) async throws -> Flygate_Machines_V1_ShowResponse in
            guard request.machineID == "d8d9e1e5c43e08" else { throw RPCError(code: .notFound, message: "machine not found") }
            return try Flygate_Machines_V1_ShowResponse(restBody: try json(machineJSON))
        }
        try await withServer(router) { path in
            let context = MachinesCommandContext(socketPath: path)
            let found = try await context.perform { client in
                try await verb(["show", "my-app", "d8d9e1e5c43e08"]).execute(on: client, context: context)
            }
            #expect(found.exitCode == 0)
            #expect(found.stdout.hasPrefix("id           d8d9e1e5c43e08\nname         quiet-sun-4521\n"))
            let missing = try await context.perform { client in
                try await verb(["show", "my-app", "ffff"]).execute(on: client, context: context)
            }
            #expect(missing == CLIOutput(stderr: "flygate: NOT_FOUND: machine not found\n", exitCode: 3))
        }
    }
}
