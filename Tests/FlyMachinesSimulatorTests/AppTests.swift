import FlyGateJSON
import FlyGateTestSupport
import FlyMachinesSimulator
import NIOHTTP1
import Testing

@Suite("Apps")
struct AppTests {
    @Test("create, list by organisation and show; a taken name is 422 name_taken", .timeLimit(.minutes(1)))
    func createListShow() async throws {
        try await SimulatorHarness.with { sim async throws in
            let app = try await sim.createApp("web-shop", org: "acme")
            #expect(app["name"] == "web-shop")
            #expect(app["organization"]?["slug"] == "acme")
            #expect(app["status"] == "pending")
            #expect(app["machine_count"] == 0 && app["volume_count"] == 0)
            #expect(app["internal_numeric_id"]?.int64Value != nil)

            let acme = try await sim.expect(200, .GET, "/apps?org_slug=acme").json
            #expect(acme["apps"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["web-shop"])
            #expect(acme["total_apps"] == 1)
            let personal = try await sim.expect(200, .GET, "/apps?org_slug=personal").json
            #expect(personal["apps"]?.arrayValue?.isEmpty == true)
            #expect(try await sim.expect(200, .GET, "/apps?org_slug=acme&app_role=postgres_cluster").json["total_apps"] == 0)
            try await sim.expect(400, .GET, "/apps")

            let taken = try await sim.expect(422, .POST, "/apps", json: ["name": "web-shop", "org_slug": "other"]).json
            #expect(taken["status"] == "name_taken")
            #expect(taken["error"]?.stringValue?.contains("already been taken") == true)
            for bad: JSONValue in [["org_slug": "acme"], ["name": "Web_Shop", "org_slug": "acme"], ["name": "ok-name"]] {
                try await sim.expect(400, .POST, "/apps", json: bad)
            }
            let missing = try await sim.expect(404, .GET, "/apps/nothing-here").json
            #expect(missing["error"] == "app not found")
        }
    }

    @Test("a machine operation registers its app in the personal organisation", .timeLimit(.minutes(1)))
    func implicitApps() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.expect(404, .GET, "/apps/demo")
            let id = try await sim.startedMachine()
            let app = try await sim.expect(200, .GET, "/apps/demo").json
            #expect(app["organization"]?["slug"] == "personal")
            #expect(app["status"] == "deployed")
            #expect(app["machine_count"] == 1)
            let personal = try await sim.expect(200, .GET, "/apps?org_slug=personal").json
            #expect(personal["apps"]?.arrayValue?.contains { $0["name"] == "demo" } == true)
            // Implicit apps hold their name like any other.
            try await sim.expect(422, .POST, "/apps", json: ["name": "demo", "org_slug": "personal"])
            // And org listings follow the organisation.
            let machines = try await sim.expect(200, .GET, "/orgs/personal/machines").json["machines"]?.arrayValue ?? []
            #expect(machines.contains { $0["id"]?.stringValue == id })
            try await sim.createApp("elsewhere", org: "acme")
            _ = try await sim.createMachine(app: "elsewhere")
            let acme = try await sim.expect(200, .GET, "/orgs/acme/machines").json["machines"]?.arrayValue ?? []
            #expect(acme.map { $0["app_name"] } == ["elsewhere"])
        }
    }

    @Test("deleting an app deletes its machines, volumes, secrets, keys, certificates and IPs", .timeLimit(.minutes(1)))
    func deleteCascades() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("doomed", org: "acme")
            let volume = try await sim.expect(200, .POST, "/apps/doomed/volumes", json: ["name": "data", "region": "iad"])
            let volumeID = try #require(try volume.json["id"]?.stringValue)
            let id = try await sim.startedMachine(
                app: "doomed", config: ["config": ["image": "nginx", "mounts": [["volume": .string(volumeID), "path": "/data"]]]])
            try await sim.expect(201, .POST, "/apps/doomed/secrets/TOKEN", json: ["value": "s3cret"])
            try await sim.expect(201, .POST, "/apps/doomed/secretkeys/k/generate", json: ["type": "hs256"])
            try await sim.expect(201, .POST, "/apps/doomed/certificates/acme", json: ["hostname": "doomed.example.com"])
            try await sim.expect(200, .POST, "/apps/doomed/ip_assignments", json: ["type": "v6"])

            // A wait pending on the machine ends with 404 when the app goes.
            async let pending = sim.send(.GET, "/apps/doomed/machines/\(id)/wait?state=stopped&timeout=30")
            // The wait has reached the simulator (it answers 404 either way, before or after).
            #expect(try await eventually { sim.simulator.requestCount(for: .wait) == 2 })
            let deleted = try await sim.expect(202, .DELETE, "/apps/doomed")
            #expect(deleted.bytes.isEmpty)
            #expect(try await pending.status == 404)

            for path in [
                "/apps/doomed", "/apps/doomed/machines/\(id)", "/apps/doomed/machines", "/apps/doomed/volumes/\(volumeID)",
                "/apps/doomed/secrets/TOKEN", "/apps/doomed/secretkeys/k", "/apps/doomed/certificates/doomed.example.com",
                "/apps/doomed/ip_assignments",
            ] {
                try await sim.expect(404, .GET, path)
            }
            // Machine operations do not bring a deleted app back.
            let create = try await sim.send(.POST, "/apps/doomed/machines", json: ["config": ["image": "nginx"]])
            #expect(create.status == 404)
            #expect(try await sim.expect(200, .GET, "/orgs/acme/machines").json["machines"] == [])
            #expect(try await sim.expect(200, .GET, "/orgs/acme/volumes?include_deleted=true").json["volumes"] == [])
            try await sim.expect(404, .DELETE, "/apps/doomed")

            // The name is free again, and the new app starts empty.
            try await sim.createApp("doomed", org: "acme")
            #expect(try await sim.expect(200, .GET, "/apps/doomed/machines").json == [])
            #expect(try await sim.expect(200, .GET, "/apps/doomed/volumes").json == [])
            #expect(try await sim.expect(200, .GET, "/apps/doomed/secrets").json["secrets"] == [])
        }
    }

    @Test("credential-minting operations are not served", .timeLimit(.minutes(1)))
    func tokensNotServed() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("minty")
            for (method, path) in [
                (HTTPMethod.POST, "/apps/minty/deploy_token"), (.POST, "/tokens/authenticate"), (.POST, "/tokens/authorize"),
                (.GET, "/tokens/current"), (.POST, "/tokens/kms"), (.POST, "/tokens/oidc"),
            ] {
                let response = try await sim.send(method, path, json: [:])
                #expect(response.status == 404, "\(method) \(path)")
                #expect(try response.json["token"] == nil)
                // Like every answer, with Fly's request id; and, as on Fly, the token is checked first.
                #expect(response.headers.first(name: "fly-request-id")?.isEmpty == false, "\(method) \(path)")
                #expect(try await sim.send(method, path, json: [:], authorization: "").status == 401, "\(method) \(path)")
            }
            #expect(sim.simulator.requestCounts.keys.allSatisfy { $0 == .createApp })
        }
    }
}
