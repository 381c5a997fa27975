import FlyGateJSON
import FlyMachinesProto
import Testing

@testable import FlyGateCLI

@Suite("regions verbs against a fake client", .timeLimit(.minutes(1)))
struct RegionsVerbTests {
    @Test("list prints a table with the nearest region marked; --json Fly's answer")
    func list() async throws {
        let body = try json(#"""
            {"nearest": "iad", "regions": [
              {"code": "ams", "name": "Amsterdam, Netherlands", "geo_region": "eu", "gateway_available": true, "requires_paid_plan": false},
              {"code": "iad", "name": "Ashburn, Virginia (US)", "geo_region": "na", "gateway_available": true, "requires_paid_plan": false, "deprecated": false}]}
            """#)
        let client = FakeMachinesClient([.listRegions: [.body(body)]])
        let output = try await run(["regions", "list"], on: client)
        #expect(client.calls.map(\.rpc) == [.listRegions])
        #expect(output.stdout == """
            CODE   NAME                    AREA  GATEWAY  PAID ONLY  DEPRECATED
            ams    Amsterdam, Netherlands  eu    yes      no         -
            iad *  Ashburn, Virginia (US)  na    yes      no         no

            """)
        let jsonOutput = try await run(["regions", "list", "--json"], on: client, json: true)
        #expect(try JSONValue(parsing: jsonOutput.stdout) == body)
    }

    @Test("placements sends the region expression, count, org and guest, and only those")
    func placements() async throws {
        let client = FakeMachinesClient([
            .getPlacements: [.body(try json(#"{"regions": [{"region": "iad", "count": 2, "concurrency": 1}, {"region": "ord", "count": 1}]}"#))],
        ])
        let output = try await run(
            ["regions", "placements", "--region", "iad,ord", "--count", "3", "--org", "acme", "--cpus", "2", "--memory-mb", "4096"], on: client)
        let request = try #require(client.requests(Flygate_Platform_V1_GetPlacementsRequest.self).first)
        #expect(request.body.jsonValue() == (try json(#"{"compute": {"cpus": 2, "memory_mb": 4096}, "count": 3, "org_slug": "acme", "region": "iad,ord"}"#)))
        #expect(output.stdout == "REGION  COUNT  CONCURRENCY\niad     2      1\nord     1      -\n")
    }

    @Test("placements sends each --weight as a member of the weights map; a malformed one is a usage error")
    func placementsWeights() async throws {
        let client = FakeMachinesClient()
        _ = try await run(["regions", "placements", "--weight", "region=0", "--weight", "spread=100"], on: client)
        let request = try #require(client.requests(Flygate_Platform_V1_GetPlacementsRequest.self).first)
        #expect(request.body.jsonValue() == (try json(#"{"weights": {"region": 0, "spread": 100}}"#)))
        for bad in ["spread", "=1", "spread=lots", "spread=1.5"] {
            #expect(usageError(["regions", "placements", "--weight", bad])?.contains("--weight must be name=n") == true, "\(bad)")
        }
        #expect(usageError(["regions", "placements", "--weight", "spread=1", "--weight", "spread=2"])?.contains("twice") == true)
    }

    @Test("placements without options sends an empty body")
    func placementsDefaults() async throws {
        let client = FakeMachinesClient()
        _ = try await run(["regions", "placements"], on: client)
        let request = try #require(client.requests(Flygate_Platform_V1_GetPlacementsRequest.self).first)
        #expect(!request.hasBody)
    }
}
