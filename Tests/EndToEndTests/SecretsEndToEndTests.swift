import FlyGateClient
import FlyGateTestSupport
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
        try await SimulatorProcess.with(arguments: ["--token", token, "--no-rate-limits"]) { simulator in
            try await DaemonProcess.with(
                arguments: ["--upstream", simulator.baseURL, "--log-level", "trace"],
                environment: ["FLY_API_TOKEN": token]
            ) { daemon in
                try await daemon.withClient { client in
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
                    try await DaemonProcess.with(
                        arguments: ["--upstream", simulator.baseURL, "--log-level", "trace"],
                        environment: ["FLY_API_TOKEN": "Bearer wrong-token-7c1d"]
                    ) { wrong in
                        try await wrong.withClient { wrongClient in
                            let refused = await #expect(throws: RPCError.self) {
                                _ = try await wrongClient.show(Machines.target(Flygate_Machines_V1_ShowRequest.self, "secrets", id))
                            }
                            #expect(refused?.code == .unauthenticated)
                            statuses.append("\(refused?.message ?? "") \(refused?.details ?? [])")
                        }

                        let everything = daemon.log + wrong.log + statuses.joined(separator: "\n")
                        #expect(daemon.log.contains("call answered"))  // trace logging really was on
                        for secret in [token, "very-secret-token", "wrong-token-7c1d"] {
                            #expect(!everything.contains(secret), "\(secret) leaked")
                        }
                    }
                }
            }
        }
    }
}
