import ArgumentParser
import FlyGateJSON
import FlyMachinesProto
import Testing

@testable import FlyGateCLI

/// A daemon's gateway service with fixed answers.
struct FakeGateway: GatewayCalling {
    var healthAnswer = Flygate_Gateway_V1_HealthResponse()
    var statsAnswer = Flygate_Gateway_V1_StatsResponse()
    var leasesAnswer = Flygate_Gateway_V1_ListLeasesResponse()

    func health(timeout: Duration?) async throws -> Flygate_Gateway_V1_HealthResponse { healthAnswer }
    func stats(timeout: Duration?) async throws -> Flygate_Gateway_V1_StatsResponse { statsAnswer }
    func listLeases(timeout: Duration?) async throws -> Flygate_Gateway_V1_ListLeasesResponse { leasesAnswer }
}

@Suite("status and leases")
struct GatewayCommandTests {
    static var gateway: FakeGateway {
        var gateway = FakeGateway()
        gateway.healthAnswer.status = "serving"
        gateway.healthAnswer.version = "0.1.0"
        gateway.healthAnswer.upstream = "http://127.0.0.1:4280/v1"
        gateway.healthAnswer.simulator = true
        gateway.healthAnswer.uptimeSeconds = 3723
        gateway.healthAnswer.pid = 4242
        gateway.statsAnswer.connectionsOpen = 1
        gateway.statsAnswer.connectionsTotal = 7
        gateway.statsAnswer.watchesOpen = 3
        gateway.statsAnswer.watchLoops = 1
        return gateway
    }

    @Test("status prints the daemon's health")
    func status() async throws {
        let command = try StatusCommand.parse([])
        let output = try await command.execute(on: Self.gateway, context: MachinesCommandContext())
        #expect(output.stdout == """
            status       serving
            version      0.1.0
            upstream     http://127.0.0.1:4280/v1 (simulator)
            simulator    yes
            uptime       1h2m3s
            pid          4242
            connections  1 open, 7 since start
            in flight    0
            watches      3 open, 1 upstream loops

            """)
    }

    @Test("status --json holds both answers in proto JSON with proto field names")
    func statusJSON() async throws {
        let output = try await StatusCommand.parse(["--json"]).execute(on: Self.gateway, context: MachinesCommandContext(json: true))
        let value = try JSONValue(parsing: output.stdout)
        #expect(value["health"]?["uptime_seconds"] == .number("3723"))
        #expect(value["stats"]?["connections_total"] == .number("7"))
    }

    @Test("an empty lease book says so")
    func noLeases() async throws {
        let output = try await LeasesCommand.parse([]).execute(on: FakeGateway(), context: MachinesCommandContext(), now: 0)
        #expect(output.stdout == "no leases\n")
    }
}
