import FlyGateClient
import FlyGateWire
import FlyMachinesProto
import Foundation
import Testing

/// The token never reaches a log line, an error or a client (DESIGN.md, "Upstream").
@Suite(.serialized, .timeLimit(.minutes(2)))
struct SecretsEndToEndTests {
    @Test("with a real token against a separate simulator, the token appears in no log and no status")
    func tokenNeverLeaks() async throws {
        let token = "fm2_lJPECAAAAAAAAMaX-very-secret-token-9f3b"
        let simulator = try await SimulatorProcess.start(arguments: ["--token", token, "--no-rate-limits"])
        defer { simulator.stop() }
        let daemon = try await DaemonProcess.start(
            arguments: ["--upstream", simulator.baseURL, "--log-level", "trace"],
            environment: ["FLY_API_TOKEN": token]
        )
        defer { Task { await daemon.stop() } }
        let client = try await daemon.client()
        defer { Task { await client.close() } }

        let health = try await client.health()
        #expect(!health.simulator && health.upstream == simulator.baseURL)
        let id = try await client.create(Machines.create("secrets")).body.id
        _ = try await client.wait(Machines.wait("secrets", id, state: "started"))
        var statuses: [String] = []
        do {
            _ = try await client.show(Machines.target(Flygate_Machines_V1_ShowRequest.self, "secrets", "00000000000000"))
        } catch let error as RPCError {
            statuses.append("\(error.code.name) \(error.message) \(error.details)")
        }
        #expect(statuses.count == 1)

        // The same daemon with a wrong token: Fly's 401 arrives as UNAUTHENTICATED, and
        // neither token shows anywhere.
        let wrong = try await DaemonProcess.start(
            arguments: ["--upstream", simulator.baseURL, "--log-level", "trace"],
            environment: ["FLY_API_TOKEN": "Bearer wrong-token-7c1d"]
        )
        defer { Task { await wrong.stop() } }
        let wrongClient = try await wrong.client()
        let refused = await #expect(throws: RPCError.self) {
            _ = try await wrongClient.show(Machines.target(Flygate_Machines_V1_ShowRequest.self, "secrets", id))
        }
        #expect(refused?.code == .unauthenticated)
        statuses.append("\(refused?.message ?? "") \(refused?.details ?? [])")
        await wrongClient.close()

        let everything = daemon.log + wrong.log + statuses.joined(separator: "\n")
        #expect(daemon.log.contains("call answered"))  // trace logging really was on
        for secret in [token, "very-secret-token", "wrong-token-7c1d"] {
            #expect(!everything.contains(secret), "\(secret) leaked")
        }
    }
}
