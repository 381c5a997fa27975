import Foundation
import FlyGateJSON
import FlyMachinesSimulator
import Testing

@Suite("Leases")
struct LeaseTests {
    @Test("acquire answers 201 in the envelope; a second holder gets 409 with Fly's message", .timeLimit(.minutes(1)))
    func acquireAndConflict() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            let path = "/apps/demo/machines/\(id)/lease"
            #expect(try await sim.send(.GET, path).status == 404)
            let created = try await sim.send(.POST, path, json: ["ttl": 60, "description": "deploy"])
            #expect(created.status == 201)
            let envelope = try created.json
            #expect(envelope["status"] == "success")
            let nonce = try #require(envelope["data"]?["nonce"]?.stringValue)
            let expiresAt = try #require(envelope["data"]?["expires_at"]?.int64Value)
            #expect(expiresAt > WallClock.now().seconds + 50 && expiresAt <= WallClock.now().seconds + 61)
            #expect(envelope["data"]?["owner"]?.stringValue?.isEmpty == false)
            #expect(envelope["data"]?["description"] == "deploy")
            #expect(envelope["data"]?["version"]?.stringValue?.count == 26)

            let shown = try await sim.send(.GET, path)
            #expect(shown.status == 200)
            #expect(try shown.json["data"]?["nonce"]?.stringValue == nonce)

            let conflict = try await sim.send(.POST, path, json: ["ttl": 30])
            #expect(conflict.status == 409)
            let message = try #require(try conflict.json["message"]?.stringValue)
            #expect(message.hasPrefix("machine ID \(id) lease currently held by "))
            #expect(message.contains(", expires at "))
            #expect(try conflict.json["status"] == "error")

            // Refreshing with the nonce keeps it and moves the expiry.
            let refreshed = try await sim.send(.POST, path, json: ["ttl": 120], headers: [("fly-machine-lease-nonce", nonce)])
            #expect(refreshed.status == 201)
            #expect(try refreshed.json["data"]?["nonce"]?.stringValue == nonce)
            #expect(try refreshed.json["data"]?["expires_at"]?.int64Value ?? 0 > expiresAt)
        }
    }

    @Test("mutations of a leased machine need the nonce", .timeLimit(.minutes(1)))
    func mutationsNeedNonce() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            let lease = try await sim.send(.POST, "/apps/demo/machines/\(id)/lease", json: ["ttl": 60]).json
            let nonce = try #require(lease["data"]?["nonce"]?.stringValue)
            let mutations: [(String, JSONValue?)] = [
                ("cordon", nil), ("uncordon", nil), ("signal", ["signal": "SIGUSR1"]), ("suspend", nil),
                ("restart", nil), ("stop", nil), ("start", nil),
            ]
            for (verb, body) in mutations {
                let refused = try await sim.send(.POST, "/apps/demo/machines/\(id)/\(verb)", json: body)
                #expect(refused.status == 409, "\(verb) without the nonce")
                #expect(try refused.json["error"]?.stringValue?.contains("lease currently held by") == true)
                let wrong = try await sim.send(
                    .POST, "/apps/demo/machines/\(id)/\(verb)", json: body, headers: [("fly-machine-lease-nonce", "000000000000")])
                #expect(wrong.status == 409, "\(verb) with a wrong nonce")
            }
            let update = try await sim.send(.POST, "/apps/demo/machines/\(id)", json: ["config": ["image": "nginx"]])
            #expect(update.status == 409)
            #expect(try await sim.send(.DELETE, "/apps/demo/machines/\(id)?force=true").status == 409)
            // Reads and metadata do not need it.
            #expect(try await sim.send(.GET, "/apps/demo/machines/\(id)").status == 200)
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/metadata/k", json: ["value": "v"]).status == 204)
            // With the nonce the same calls go through.
            let header = [("fly-machine-lease-nonce", nonce)]
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/cordon", headers: header).status == 200)
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/stop", headers: header).status == 200)
            #expect(try await sim.wait("demo", id, "stopped").status == 200)
            #expect(try await sim.send(.DELETE, "/apps/demo/machines/\(id)", headers: header).status == 200)
        }
    }

    @Test("release needs the holder's nonce; afterwards the lease is not found", .timeLimit(.minutes(1)))
    func release() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            let path = "/apps/demo/machines/\(id)/lease"
            let nonce = try #require(try await sim.send(.POST, path, json: ["ttl": 60]).json["data"]?["nonce"]?.stringValue)
            #expect(try await sim.send(.DELETE, path).status == 400)
            #expect(try await sim.send(.DELETE, path, headers: [("fly-machine-lease-nonce", "ffffffffffff")]).status == 409)
            let released = try await sim.send(.DELETE, path, headers: [("fly-machine-lease-nonce", nonce)])
            #expect(released.status == 200)
            #expect(try released.json == ["status": "success", "data": ["ok": true]])
            let gone = try await sim.send(.GET, path)
            #expect(gone.status == 404)
            #expect(gone.text.contains("lease not found"))
            #expect(try await sim.send(.DELETE, path, headers: [("fly-machine-lease-nonce", nonce)]).text.contains("lease not found"))
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/cordon").status == 200)
        }
    }

    @Test("a lease lapses after its TTL; FLYGO's ?ttl= query works", .timeLimit(.minutes(1)))
    func expiry() async throws {
        try await SimulatorHarness.with { sim async throws in
            let id = try await sim.startedMachine()
            let path = "/apps/demo/machines/\(id)/lease"
            let before = Int64(Date().timeIntervalSince1970)
            let created = try await sim.send(.POST, path + "?ttl=1")
            #expect(created.status == 201)
            // The query's TTL was taken: the lease ends a second from now, not at the default's
            // end. (Whether it still blocks a cordon now would race that second on a busy machine.)
            let expiresAt = try #require(try created.json["data"]?["expires_at"]?.int64Value)
            #expect(expiresAt >= before && expiresAt <= Int64(Date().timeIntervalSince1970) + 1)
            // Lease expiry is wall-clock based, so this test has to let that second pass.
            try await Task.sleep(for: .milliseconds(1100))
            #expect(try await sim.send(.GET, path).status == 404)
            #expect(try await sim.send(.POST, "/apps/demo/machines/\(id)/cordon").status == 200)
            #expect(try await sim.send(.POST, path, json: ["ttl": 0]).status == 400)
        }
    }

    @Test("lease_ttl on create and update returns the nonce in the machine", .timeLimit(.minutes(1)))
    func leaseTTLOnCreate() async throws {
        try await SimulatorHarness.with { sim async throws in
            let machine = try await sim.createMachine(extra: ["lease_ttl": 30])
            let id = try #require(machine["id"]?.stringValue)
            let nonce = try #require(machine["nonce"]?.stringValue)
            let lease = try await sim.send(.GET, "/apps/demo/machines/\(id)/lease").json
            #expect(lease["data"]?["nonce"]?.stringValue == nonce)
            #expect(try await sim.send(.GET, "/apps/demo/machines/\(id)").json["nonce"] == nil)
            let updated = try await sim.send(
                .POST, "/apps/demo/machines/\(id)", json: ["config": ["image": "nginx"], "lease_ttl": 30],
                headers: [("fly-machine-lease-nonce", nonce)])
            #expect(updated.status == 200)
            #expect(try updated.json["nonce"]?.stringValue == nonce)
        }
    }
}
