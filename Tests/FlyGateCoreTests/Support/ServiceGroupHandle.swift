import FlyGateCore
import FlyGateServer
import Logging
import ServiceLifecycle

/// A ServiceGroup around one server, for tests that drive shutdown themselves.
struct ServiceGroupHandle: Sendable {
    private let group: ServiceGroup

    init(_ server: RPCServer) {
        self.group = ServiceGroup(services: [server], logger: Logger(label: "test", factory: { _ in SwiftLogNoOpLogHandler() }))
    }

    func run() async throws {
        try await self.group.run()
    }

    func shutDown() async {
        await self.group.triggerGracefulShutdown()
    }
}
