import FlyMachinesAPI
import FlyMachinesProto
import FlyMachinesSimulator
import Logging
import Testing

@Suite("The token never leaks")
struct TokenLeakTests {
    @Test("failing calls: no trace-level log line and no error description contains the token", .timeLimit(.minutes(1)))
    func noLeak() async throws {
        let secret = "fm2_leakcheck-SECRET-4f9a"
        let store = CapturingLogHandler.Store()
        var texts: [String] = []
        try await ClientHarness.with(
            simulator: { $0.token = "another-token" }, token: secret, logger: CapturingLogHandler.logger(store)
        ) { harness in
            let id = try harness.seed(app: "leak")
            var show = Flygate_Machines_V1_ShowRequest()
            (show.appName, show.machineID) = ("leak", id)
            // 401: the simulator refuses our token.
            let unauthorized = try #require(await #expect(throws: FlyAPIError.self) { try await harness.client.show(show) })
            #expect(unauthorized.code == .unauthenticated)
            texts.append("\(unauthorized)")
            texts.append(String(reflecting: unauthorized))
            texts.append(unauthorized.message)
            // A transport failure and a retried 503.
            harness.simulator.faults.dropResponses = 1
            if let error = await #expect(throws: FlyAPIError.self, performing: { try await harness.client.show(show) }) {
                texts.append("\(error)")
            }
            harness.simulator.faults.errorRate = 1
            if let error = await #expect(throws: FlyAPIError.self, performing: { try await harness.client.show(show) }) {
                texts.append("\(error)")
                texts.append("\(String(describing: error.cause))")
            }
        }
        let lines = store.all
        #expect(lines.count > 5, "the log captured nothing: the check would pass vacuously")
        #expect(lines.contains { $0.contains("upstream.http.status") })
        for text in lines + texts {
            #expect(!text.contains("leakcheck"), "token in: \(text)")
            #expect(!text.contains("SECRET"), "token in: \(text)")
        }
    }
}
