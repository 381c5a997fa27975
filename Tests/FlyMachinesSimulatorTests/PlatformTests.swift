import FlyGateJSON
import FlyMachinesSimulator
import Testing

@Suite("Regions and placements")
struct PlatformTests {
    @Test("regions are a realistic, non-empty list", .timeLimit(.minutes(1)))
    func regions() async throws {
        try await SimulatorHarness.with { sim async throws in
            let answer = try await sim.expect(200, .GET, "/platform/regions").json
            #expect(answer["nearest"] == "iad")
            let regions = answer["regions"]?.arrayValue ?? []
            let codes = Set(regions.compactMap { $0["code"]?.stringValue })
            #expect(codes.isSuperset(of: ["ord", "iad", "ams", "fra", "lhr", "syd", "nrt", "sin"]))
            for region in regions {
                #expect(region["name"]?.stringValue?.isEmpty == false)
                #expect((-90...90).contains(region["latitude"]?.doubleValue ?? 999))
                #expect((-180...180).contains(region["longitude"]?.doubleValue ?? 999))
                #expect(region["deprecated"]?.boolValue != nil && region["geo_region"]?.stringValue != nil)
            }
        }
    }

    @Test("placements follow the region expression, the room left and the weights", .timeLimit(.minutes(1)))
    func placements() async throws {
        try await SimulatorHarness.with { sim async throws in
            func place(_ body: JSONValue) async throws -> [String: Int] {
                let answer = try await sim.expect(200, .POST, "/platform/placements", json: body).json
                var counts: [String: Int] = [:]
                for region in answer["regions"]?.arrayValue ?? [] {
                    counts[region["region"]?.stringValue ?? ""] = Int(region["count"]?.int64Value ?? -1)
                    #expect((region["concurrency"]?.int64Value ?? 0) >= 1)
                }
                return counts
            }
            // Room per region: every live region of the expression, in full.
            let room = try await place(["org_slug": "personal", "region": "lhr,ams"])
            #expect(room == ["lhr": StoreState.machinesPerRegion, "ams": StoreState.machinesPerRegion])
            // Machines already there take room.
            _ = try await sim.createMachine(extra: ["region": "lhr"])
            #expect(try await place(["org_slug": "personal", "region": "lhr"])["lhr"] == StoreState.machinesPerRegion - 1)
            // A count fills the regions in order, or spreads when spread outweighs region.
            #expect(try await place(["org_slug": "personal", "region": "ord,iad", "count": 3]) == ["ord": 3])
            let spread = try await place(["org_slug": "personal", "region": "ord,iad", "count": 3, "weights": ["region": 0, "spread": 100]])
            #expect(spread == ["ord": 2, "iad": 1])
            // Big machines take more room; aliases expand to live regions only.
            let big = try await place(["org_slug": "personal", "region": "syd", "compute": ["cpus": 16, "memory_mb": 32768]])
            #expect(big["syd"] == StoreState.machinesPerRegion / 16)
            let europe = try await place(["org_slug": "personal", "region": "eu"])
            #expect(europe.keys.contains("fra") && !europe.keys.contains("mad") && !europe.keys.contains("iad"))
            #expect(try await place(["org_slug": "personal"]).keys.contains("iad"))
            // With a volume name, only regions holding free volumes of that name count.
            try await sim.createApp("db")
            for region in ["ams", "ams", "fra"] {
                try await sim.expect(200, .POST, "/apps/db/volumes", json: ["name": "pg", "region": .string(region)])
            }
            #expect(try await place(["org_slug": "personal", "region": "eu", "volume_name": "pg"]) == ["ams": 2, "fra": 1])
            #expect(try await place(["org_slug": "personal", "region": "eu", "volume_name": "pg", "volume_size_bytes": .int(2 << 30)]) == [:])

            for bad: JSONValue in [
                ["region": "ams"], ["org_slug": "personal", "region": "xyz"], ["org_slug": "personal", "region": "mad"],
                ["org_slug": "personal", "count": -1], ["org_slug": "personal", "weights": ["spread": "lots"]],
                ["org_slug": "personal", "compute": ["cpus": 0]],
            ] {
                try await sim.expect(400, .POST, "/platform/placements", json: bad)
            }
        }
    }
}
