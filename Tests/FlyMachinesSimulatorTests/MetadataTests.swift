import FlyGateJSON
import FlyMachinesSimulator
import Testing

@Suite("Metadata")
struct MetadataTests {
    @Test("per-key upsert, get and delete; 404 for an absent key", .timeLimit(.minutes(1)))
    func perKey() async throws {
        try await SimulatorHarness.with { sim async throws in
            let machine = try await sim.createMachine(extra: ["config": ["image": "nginx", "metadata": ["a": "1"]]])
            let id = try #require(machine["id"]?.stringValue)
            let base = "/apps/demo/machines/\(id)/metadata"
            #expect(try await sim.send(.GET, base).json == ["a": "1"])
            let upsert = try await sim.send(.POST, base + "/role", json: ["value": "web"])
            #expect(upsert.status == 204)
            #expect(upsert.bytes.isEmpty)
            #expect(try await sim.send(.GET, base + "/role").json == ["value": "web"])
            #expect(try await sim.send(.GET, base).json == ["a": "1", "role": "web"])
            // The metadata lives in the config, as on Fly.
            #expect(try await sim.send(.GET, "/apps/demo/machines/\(id)").json["config"]?["metadata"]?["role"] == "web")
            #expect(try await sim.send(.DELETE, base + "/role").status == 204)
            let missing = try await sim.send(.GET, base + "/role")
            #expect(missing.status == 404)
            #expect(try missing.json["error"] != nil)
            #expect(try await sim.send(.POST, base + "/x", json: ["value": 5]).status == 400)
        }
    }

    @Test("bulk PATCH merges, PUT replaces, null deletes; a stale machine_version gets 412", .timeLimit(.minutes(1)))
    func bulk() async throws {
        try await SimulatorHarness.with { sim async throws in
            let machine = try await sim.createMachine(extra: ["config": ["image": "nginx", "metadata": ["a": "1", "b": "2"]]])
            let id = try #require(machine["id"]?.stringValue)
            let version = try #require(machine["instance_id"]?.stringValue)
            let base = "/apps/demo/machines/\(id)/metadata"
            let patch = try await sim.send(.PATCH, base, json: ["metadata": ["b": nil, "c": "3"], "machine_version": .string(version)])
            #expect(patch.status == 204)
            #expect(try await sim.send(.GET, base).json == ["a": "1", "c": "3"])
            #expect(try await sim.send(.PUT, base, json: ["metadata": ["z": "26"]]).status == 204)
            #expect(try await sim.send(.GET, base).json == ["z": "26"])
            _ = try await sim.send(.POST, "/apps/demo/machines/\(id)", json: ["config": ["image": "nginx:2"]])
            let stale = try await sim.send(.PATCH, base, json: ["metadata": ["q": "1"], "machine_version": .string(version)])
            #expect(stale.status == 412)
            #expect(try stale.json["error"] != nil)
            #expect(try await sim.send(.PATCH, base, json: ["metadata": "nope"]).status == 400)
        }
    }
}
