import FlyGateJSON
import FlyMachinesSimulator
import Testing

@Suite("IP assignments")
struct IPAssignmentTests {
    @Test("addresses are unique across apps and kinds, listed, and released by address", .timeLimit(.minutes(1)))
    func uniqueAndDeletable() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("north")
            try await sim.createApp("south")
            var addresses: [String] = []
            for app in ["north", "south"] {
                for type in ["v4", "v6", "private_v6", "v4", "v6", "private_v6"] {
                    let assigned = try await sim.expect(200, .POST, "/apps/\(app)/ip_assignments", json: ["type": .string(type)]).json
                    let ip = try #require(assigned["ip"]?.stringValue)
                    #expect(assigned["shared"] == false && assigned["region"] == "global")
                    #expect(type == "v4" ? !ip.contains(":") : ip.contains(":"), "\(type) \(ip)")
                    if type == "private_v6" { #expect(ip.hasPrefix("fdaa:")) }
                    addresses.append(ip)
                }
            }
            #expect(Set(addresses).count == addresses.count, "\(addresses)")

            let shared = try await sim.expect(200, .POST, "/apps/north/ip_assignments", json: ["type": "shared_v4"]).json
            #expect(shared["shared"] == true)
            try await sim.expect(422, .POST, "/apps/north/ip_assignments", json: ["type": "shared_v4"])
            let regional = try await sim.expect(
                200, .POST, "/apps/north/ip_assignments", json: ["type": "v4", "region": "ams", "service_name": "api"]).json
            #expect(regional["region"] == "ams" && regional["service_name"] == "api")

            let listed = try await sim.expect(200, .GET, "/apps/north/ip_assignments").json["ips"]?.arrayValue ?? []
            #expect(listed.count == 8)
            let released = addresses[1]
            let answer = try await sim.expect(204, .DELETE, "/apps/north/ip_assignments/\(released)")
            #expect(answer.bytes.isEmpty)
            let after = try await sim.expect(200, .GET, "/apps/north/ip_assignments").json["ips"]?.arrayValue ?? []
            #expect(after.count == 7 && !after.contains { $0["ip"]?.stringValue == released })
            try await sim.expect(404, .DELETE, "/apps/north/ip_assignments/\(released)")
            // Another app's address is not this app's to release.
            try await sim.expect(404, .DELETE, "/apps/north/ip_assignments/\(addresses[7])")
            // A released address is not handed out again.
            let fresh = try await sim.expect(200, .POST, "/apps/north/ip_assignments", json: ["type": "v6"]).json["ip"]?.stringValue
            #expect(fresh.map { !addresses.contains($0) } == true)
        }
    }

    @Test("unknown types, regions and apps are refused", .timeLimit(.minutes(1)))
    func refusals() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("north", org: "acme")
            for bad: JSONValue in [
                ["type": "v5"], ["type": "egress_pair"], ["type": 4], ["type": "v4", "region": "xyz"],
                ["type": "v6", "org_slug": "someone-else"],
            ] {
                try await sim.expect(400, .POST, "/apps/north/ip_assignments", json: bad)
            }
            let defaulted = try await sim.expect(200, .POST, "/apps/north/ip_assignments", json: [:]).json
            #expect(defaulted["ip"]?.stringValue?.contains(":") == true)
            try await sim.expect(404, .GET, "/apps/nobody/ip_assignments")
            try await sim.expect(404, .POST, "/apps/nobody/ip_assignments", json: ["type": "v6"])
        }
    }
}
