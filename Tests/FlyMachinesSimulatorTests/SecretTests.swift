import FlyGateJSON
import FlyMachinesSimulator
import Testing

@Suite("Secrets")
struct SecretTests {
    @Test("values never come back; digests and versions do, and versions only go up", .timeLimit(.minutes(1)))
    func neverValues() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("vault")
            let value = "postgres://admin:correct-horse-battery@db.internal/prod"
            var answers: [TestResponse] = []
            var versions: [Int64] = []
            let set = try await sim.expect(201, .POST, "/apps/vault/secrets/DATABASE_URL", json: ["value": .string(value)])
            answers.append(set)
            versions.append(try #require(try set.json["version"]?.int64Value))
            #expect(try set.json["Version"] == set.json["version"])
            #expect(try set.json["name"] == "DATABASE_URL")
            let digest = try #require(try set.json["digest"]?.stringValue)
            #expect(digest.count == 16 && digest.allSatisfy(\.isHexDigit))

            let bulk = try await sim.expect(
                200, .POST, "/apps/vault/secrets", json: ["values": ["API_KEY": "k-123", "DATABASE_URL": .string(value)]])
            answers.append(bulk)
            versions.append(try #require(try bulk.json["version"]?.int64Value))
            let listed = try bulk.json["secrets"]?.arrayValue ?? []
            #expect(listed.compactMap { $0["name"]?.stringValue } == ["DATABASE_URL", "API_KEY"])
            // The same value gives the same digest; another value another.
            #expect(listed.first?["digest"]?.stringValue == digest)
            #expect(listed.last?["digest"]?.stringValue != digest)

            answers.append(try await sim.expect(200, .GET, "/apps/vault/secrets"))
            answers.append(try await sim.expect(200, .GET, "/apps/vault/secrets?show_secrets=true"))
            answers.append(try await sim.expect(200, .GET, "/apps/vault/secrets/DATABASE_URL?show_secrets=1"))
            let changed = try await sim.expect(201, .POST, "/apps/vault/secrets/DATABASE_URL", json: ["value": "other"])
            answers.append(changed)
            versions.append(try #require(try changed.json["version"]?.int64Value))
            #expect(try changed.json["digest"]?.stringValue != digest)
            #expect(try changed.json["created_at"] == set.json["created_at"])

            let unset = try await sim.expect(200, .POST, "/apps/vault/secrets", json: ["values": ["API_KEY": nil, "NEVER_SET": nil]])
            versions.append(try #require(try unset.json["version"]?.int64Value))
            #expect(try unset.json["secrets"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["DATABASE_URL"])
            let deleted = try await sim.expect(200, .DELETE, "/apps/vault/secrets/DATABASE_URL")
            versions.append(try #require(try deleted.json["version"]?.int64Value))
            #expect(try await sim.expect(200, .GET, "/apps/vault/secrets").json["secrets"] == [])

            #expect(versions == versions.sorted() && Set(versions).count == versions.count, "\(versions)")
            for answer in answers {
                #expect(!answer.text.contains(value) && !answer.text.contains("k-123"), "\(answer.text)")
                let body = try answer.json
                for secret in body["secrets"]?.arrayValue ?? [body] {
                    #expect(secret["value"] == nil)
                }
            }
        }
    }

    @Test("bad names, bad bodies, unknown apps and secrets, and future versions are refused", .timeLimit(.minutes(1)))
    func refusals() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("vault")
            try await sim.expect(400, .POST, "/apps/vault/secrets/1ST", json: ["value": "x"])
            try await sim.expect(400, .POST, "/apps/vault/secrets/HAS-DASH", json: ["value": "x"])
            try await sim.expect(400, .POST, "/apps/vault/secrets/OK", json: ["value": 1])
            try await sim.expect(400, .POST, "/apps/vault/secrets/OK", json: [:])
            try await sim.expect(400, .POST, "/apps/vault/secrets", json: ["values": ["A": 1]])
            try await sim.expect(400, .POST, "/apps/vault/secrets", json: ["values": "A=1"])
            // A refused bulk update changes nothing.
            try await sim.expect(400, .POST, "/apps/vault/secrets", json: ["values": ["GOOD": "1", "9BAD": "2"]])
            #expect(try await sim.expect(200, .GET, "/apps/vault/secrets").json["secrets"] == [])
            try await sim.expect(404, .GET, "/apps/vault/secrets/MISSING")
            try await sim.expect(404, .DELETE, "/apps/vault/secrets/MISSING")
            try await sim.expect(404, .GET, "/apps/nobody/secrets")
            try await sim.expect(404, .POST, "/apps/nobody/secrets/A", json: ["value": "x"])
            try await sim.expect(201, .POST, "/apps/vault/secrets/A", json: ["value": "x"])
            try await sim.expect(200, .GET, "/apps/vault/secrets?min_version=1")
            try await sim.expect(400, .GET, "/apps/vault/secrets?min_version=2")
            try await sim.expect(400, .GET, "/apps/vault/secrets?min_version=latest")
            try await sim.expect(400, .GET, "/apps/vault/secrets?show_secrets=perhaps")
        }
    }
}
