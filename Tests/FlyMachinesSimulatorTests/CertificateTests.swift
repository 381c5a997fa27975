import FlyGateJSON
import FlyMachinesSimulator
import Testing

@Suite("TLS certificates")
struct CertificateTests {
    @Test("an ACME certificate waits in pending_validation until a check issues it", .timeLimit(.minutes(1)))
    func acmeProgresses() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("site")
            let v6 = try #require(try await sim.expect(200, .POST, "/apps/site/ip_assignments", json: ["type": "v6"]).json["ip"])
            let v4 = try #require(try await sim.expect(200, .POST, "/apps/site/ip_assignments", json: ["type": "shared_v4"]).json["ip"])
            try await sim.expect(200, .POST, "/apps/site/ip_assignments", json: ["type": "private_v6"])
            let created = try await sim.expect(201, .POST, "/apps/site/certificates/acme", json: ["hostname": "WWW.Example.com"]).json
            #expect(created["hostname"] == "www.example.com" && created["status"] == "pending_validation")
            #expect(created["configured"] == false && created["acme_requested"] == true)
            #expect(created["certificates"]?.arrayValue?.map { $0["status"] } == ["pending_validation"])
            #expect(created["certificates"]?.arrayValue?.first?["issued"] == [])
            #expect(created["dns_requirements"]?["a"] == [v4] && created["dns_requirements"]?["aaaa"] == [v6])
            #expect(created["dns_requirements"]?["cname"] == "site.fly.dev")
            #expect(created["validation_errors"]?.arrayValue?.count == 1)

            // Nothing moves by itself.
            #expect(try await sim.expect(200, .GET, "/apps/site/certificates/www.example.com").json["status"] == "pending_validation")
            let checked = try await sim.expect(200, .POST, "/apps/site/certificates/www.example.com/check").json
            #expect(checked["status"] == "active" && checked["configured"] == true)
            #expect(checked["dns_records"]?["resolved_addresses"] == [v4, v6])
            #expect(checked["validation_errors"] == nil && checked["validation"]?["dns_configured"] == true)
            let entry = try #require(checked["certificates"]?.arrayValue?.first)
            #expect(entry["source"] == "fly" && entry["status"] == "active" && entry["issuer"] == "Let's Encrypt")
            #expect(entry["issued"]?.arrayValue?.compactMap { $0["type"]?.stringValue } == ["rsa", "ecdsa"])
            let expires = try #require(entry["expires_at"]?.stringValue.flatMap(WallClock.init(rfc3339:)))
            let days = (expires.milliseconds - WallClock.now().milliseconds) / 86_400_000
            #expect((88...90).contains(days))
            let shown = try await sim.expect(200, .GET, "/apps/site/certificates/www.example.com").json
            #expect(shown["status"] == "active")
            let summary = try await sim.expect(200, .GET, "/apps/site/certificates").json["certificates"]?.arrayValue?.first
            #expect(summary?["has_fly_certificate"] == true && summary?["configured"] == true && summary?["has_custom_certificate"] == false)

            try await sim.expect(422, .POST, "/apps/site/certificates/acme", json: ["hostname": "www.example.com"])
            for bad: JSONValue in [["hostname": "localhost"], ["hostname": "a..b.com"], ["hostname": "-x.example.com"], [:]] {
                try await sim.expect(422, .POST, "/apps/site/certificates/acme", json: bad)
            }
            try await sim.expect(404, .POST, "/apps/site/certificates/other.example.com/check")
            try await sim.expect(404, .POST, "/apps/nobody/certificates/acme", json: ["hostname": "www.example.com"])
        }
    }

    @Test("a custom certificate is read, never echoes its key, and is verified by a check", .timeLimit(.minutes(1)))
    func customCertificate() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("site")
            let upload: JSONValue = [
                "hostname": "custom.example.com", "fullchain": .string(TestCertificates.valid),
                "private_key": .string(TestCertificates.privateKey),
            ]
            let created = try await sim.expect(201, .POST, "/apps/site/certificates/custom", json: upload)
            #expect(!created.text.contains("PRIVATE") && !created.text.contains("MC4CAQAw"))
            let entry = try #require(try created.json["certificates"]?.arrayValue?.first)
            #expect(entry["source"] == "custom" && entry["status"] == "pending_ownership")
            #expect(entry["expires_at"] == "2045-01-01T00:00:00Z" && entry["issuer"] == "Flygate Test CA")
            #expect(entry["issued"]?.arrayValue?.first?["type"] == "ecdsa")
            #expect(try created.json["status"] == "pending_ownership")

            let checked = try await sim.expect(200, .POST, "/apps/site/certificates/custom.example.com/check").json
            #expect(checked["certificates"]?.arrayValue?.first?["status"] == "active" && checked["status"] == "active")
            let everything = try await sim.expect(200, .GET, "/apps/site/certificates/custom.example.com")
            #expect(!everything.text.contains("MC4CAQAw"))

            func refusedUpload(_ chain: String, _ key: String) async throws {
                let response = try await sim.expect(
                    422, .POST, "/apps/site/certificates/custom",
                    json: ["hostname": "custom.example.com", "fullchain": .string(chain), "private_key": .string(key)])
                #expect(!response.text.contains("MC4CAQAw"))
            }
            try await refusedUpload(TestCertificates.expired, TestCertificates.privateKey)
            try await refusedUpload("-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n", TestCertificates.privateKey)
            try await refusedUpload(TestCertificates.valid, "not a key")
            try await refusedUpload(TestCertificates.valid, TestCertificates.valid)
            try await refusedUpload(String(TestCertificates.valid.dropLast(30)), TestCertificates.privateKey)
        }
    }

    @Test("removing the ACME or the custom part keeps the other; delete removes the hostname", .timeLimit(.minutes(1)))
    func deletions() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("site")
            let host = "custom.example.com"
            try await sim.expect(201, .POST, "/apps/site/certificates/acme", json: ["hostname": .string(host)])
            try await sim.expect(
                201, .POST, "/apps/site/certificates/custom",
                json: ["hostname": .string(host), "fullchain": .string(TestCertificates.valid), "private_key": .string(TestCertificates.privateKey)])
            try await sim.expect(200, .POST, "/apps/site/certificates/\(host)/check")
            let both = try await sim.expect(200, .GET, "/apps/site/certificates/\(host)").json
            #expect(both["certificates"]?.arrayValue?.compactMap { $0["source"]?.stringValue } == ["fly", "custom"])

            let withoutACME = try await sim.expect(200, .DELETE, "/apps/site/certificates/\(host)/acme").json
            #expect(withoutACME["certificates"]?.arrayValue?.compactMap { $0["source"]?.stringValue } == ["custom"])
            #expect(withoutACME["acme_requested"] == false && withoutACME["status"] == "active")
            try await sim.expect(404, .DELETE, "/apps/site/certificates/\(host)/acme")

            let withoutCustom = try await sim.expect(200, .DELETE, "/apps/site/certificates/\(host)/custom").json
            #expect(withoutCustom["certificates"] == [] && withoutCustom["status"] == "inactive")
            #expect(withoutCustom["warning"]?.stringValue?.contains(host) == true)
            try await sim.expect(404, .DELETE, "/apps/site/certificates/\(host)/custom")

            let removed = try await sim.expect(204, .DELETE, "/apps/site/certificates/\(host)")
            #expect(removed.bytes.isEmpty)
            try await sim.expect(404, .GET, "/apps/site/certificates/\(host)")
            try await sim.expect(404, .DELETE, "/apps/site/certificates/\(host)")
        }
    }

    @Test("the list filters by substring and pages by hostname", .timeLimit(.minutes(1)))
    func listPaging() async throws {
        try await SimulatorHarness.with { sim async throws in
            try await sim.createApp("site")
            for host in ["c.example.com", "a.example.com", "b.example.org", "*.example.com"] {
                try await sim.expect(201, .POST, "/apps/site/certificates/acme", json: ["hostname": .string(host)])
            }
            let all = try await sim.expect(200, .GET, "/apps/site/certificates").json
            #expect(all["total_count"] == 4 && all["next_cursor"] == nil)
            #expect(all["certificates"]?.arrayValue?.compactMap { $0["hostname"]?.stringValue }
                == ["*.example.com", "a.example.com", "b.example.org", "c.example.com"])
            let page = try await sim.expect(200, .GET, "/apps/site/certificates?filter=example.com&limit=2").json
            #expect(page["total_count"] == 3 && page["certificates"]?.arrayValue?.count == 2)
            let cursor = try #require(page["next_cursor"]?.stringValue)
            let rest = try await sim.expect(200, .GET, "/apps/site/certificates?filter=example.com&limit=2&cursor=\(cursor)").json
            #expect(rest["certificates"]?.arrayValue?.compactMap { $0["hostname"]?.stringValue } == ["c.example.com"])
            try await sim.expect(400, .GET, "/apps/site/certificates?limit=0")
        }
    }
}
