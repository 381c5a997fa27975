import FlyGateJSON
import FlyMachinesSimulator
import Testing

extension OpenAPIConformanceTests {
    /// Drives every operation beyond the machines (apps, IPs, volumes, secrets, secret keys,
    /// certificates, platform) in success and in the documented failure cases.
    static func runResourceScenario(_ sim: SimulatorHarness) async throws {
        // Apps.
        _ = try await sim.send(.POST, "/apps", json: ["name": "shop", "org_slug": "acme", "network": "default", "enable_subdomains": false])
        _ = try await sim.send(.POST, "/apps", json: ["name": "shop", "org_slug": "acme"])  // 422 name_taken
        _ = try await sim.send(.POST, "/apps", json: ["org_slug": "acme"])  // 400 no name
        _ = try await sim.send(.GET, "/apps?org_slug=acme")
        _ = try await sim.send(.GET, "/apps")  // 400 no org_slug
        _ = try await sim.send(.GET, "/apps/shop")
        _ = try await sim.send(.GET, "/apps/no-such-app")  // 404

        // Platform.
        _ = try await sim.send(.GET, "/platform/regions")
        _ = try await sim.send(
            .POST, "/platform/placements",
            json: ["org_slug": "acme", "count": 3, "region": "lhr,eu", "compute": ["cpus": 1, "memory_mb": 256],
                   "weights": ["region": 1000, "spread": 0]])
        _ = try await sim.send(.POST, "/platform/placements", json: ["org_slug": "acme", "region": "xyz"])  // 400

        // IP assignments.
        _ = try await sim.send(.POST, "/apps/shop/ip_assignments", json: ["type": "v6"])
        _ = try await sim.send(.POST, "/apps/shop/ip_assignments", json: ["type": "shared_v4"])
        _ = try await sim.send(.POST, "/apps/shop/ip_assignments", json: ["type": "shared_v4"])  // 422 one per app
        _ = try await sim.send(.POST, "/apps/shop/ip_assignments", json: ["type": "private_v6", "org_slug": "acme", "network": ""])
        _ = try await sim.send(.POST, "/apps/shop/ip_assignments", json: ["type": "bogus"])  // 400
        let v4 = try await sim.send(.POST, "/apps/shop/ip_assignments", json: ["type": "v4", "region": "ord", "service_name": "web"])
        let address = try #require(try v4.json["ip"]?.stringValue)
        _ = try await sim.send(.GET, "/apps/shop/ip_assignments")
        _ = try await sim.send(.DELETE, "/apps/shop/ip_assignments/\(address)")
        _ = try await sim.send(.DELETE, "/apps/shop/ip_assignments/\(address)")  // 404

        // Volumes, their snapshots, and attaching one through a machine's mounts.
        let created = try await sim.send(
            .POST, "/apps/shop/volumes",
            json: ["name": "data", "region": "ord", "size_gb": 1, "encrypted": true, "fstype": "ext4",
                   "snapshot_retention": 5, "auto_backup_enabled": true, "require_unique_zone": true])
        let volume = try #require(try created.json["id"]?.stringValue)
        let base = "/apps/shop/volumes/\(volume)"
        _ = try await sim.send(.POST, "/apps/shop/volumes", json: ["name": "data", "region": "xyz"])  // 400
        _ = try await sim.send(.POST, "/apps/shop/volumes", json: ["name": "data", "region": "ord", "size_gb": 0])  // 400
        _ = try await sim.send(.GET, "/apps/shop/volumes")
        _ = try await sim.send(.GET, "/apps/shop/volumes?summary=true")
        _ = try await sim.send(.GET, base)
        _ = try await sim.send(.GET, "/apps/shop/volumes/vol_doesnotexist0000")  // 404
        _ = try await sim.send(.PUT, base, json: ["snapshot_retention": 7, "auto_backup_enabled": false])
        _ = try await sim.send(.PUT, base, json: ["snapshot_retention": 0])  // 400
        _ = try await sim.send(.PUT, base + "/extend", json: ["size_gb": 3])
        _ = try await sim.send(.PUT, base + "/extend", json: ["size_gb": 2])  // 400: volumes only grow
        _ = try await sim.send(.POST, base + "/snapshots")
        let snapshots = try await sim.send(.GET, base + "/snapshots").json
        let snapshot = try #require(snapshots.arrayValue?.first?["id"]?.stringValue)
        _ = try await sim.send(.POST, "/apps/shop/volumes", json: ["name": "restored", "region": "ord", "snapshot_id": .string(snapshot)])
        let machine = try await sim.createMachine(
            app: "shop", extra: ["region": "ord", "config": [
                "image": "registry.fly.io/shop:1", "mounts": [["volume": .string(volume), "path": "/data"]],
            ]])
        let machineID = try #require(machine["id"]?.stringValue)
        _ = try await sim.wait("shop", machineID, "started")
        _ = try await sim.send(.DELETE, base)  // 412: attached
        _ = try await sim.send(
            .POST, "/apps/shop/machines",
            json: ["region": "ord", "config": ["image": "x", "mounts": [["volume": .string(volume), "path": "/data"]]]])  // 412
        _ = try await sim.send(
            .POST, "/apps/shop/machines",
            json: ["config": ["image": "x", "mounts": [["volume": "vol_doesnotexist0000", "path": "/data"]]]])  // 400
        _ = try await sim.send(.POST, "/apps/shop/machines/\(machineID)", json: ["config": ["image": "registry.fly.io/shop:2"]])
        _ = try await sim.wait("shop", machineID, "started")
        _ = try await sim.send(.DELETE, base)
        _ = try await sim.send(.GET, base)  // 404
        _ = try await sim.send(.GET, "/orgs/acme/volumes")
        _ = try await sim.send(.GET, "/orgs/acme/volumes?include_deleted=true&summary=true&limit=1&region=ord&state=created")
        _ = try await sim.send(.GET, "/orgs/acme/machines")

        // Secrets.
        _ = try await sim.send(.POST, "/apps/shop/secrets/DATABASE_URL", json: ["value": "postgres://shop:hunter2@db/shop"])
        _ = try await sim.send(.POST, "/apps/shop/secrets/9LIVES", json: ["value": "x"])  // 400
        let update = try await sim.send(.POST, "/apps/shop/secrets", json: ["values": ["A": "1", "B": "2", "DATABASE_URL": nil]])
        let version = try #require(try update.json["version"]?.int64Value)
        _ = try await sim.send(.GET, "/apps/shop/secrets")
        _ = try await sim.send(.GET, "/apps/shop/secrets?min_version=\(version)&show_secrets=true")
        _ = try await sim.send(.GET, "/apps/shop/secrets/A")
        _ = try await sim.send(.GET, "/apps/shop/secrets/NOPE")  // 404
        _ = try await sim.send(.DELETE, "/apps/shop/secrets/A")
        _ = try await sim.send(.DELETE, "/apps/shop/secrets/A")  // 404

        // Secret keys.
        let message: JSONValue = .array(Array("attack at dawn".utf8).map { .int($0) })
        _ = try await sim.send(.POST, "/apps/shop/secretkeys/signing/generate", json: ["type": "nacl_sign"])
        _ = try await sim.send(.POST, "/apps/shop/secretkeys/hmac", json: ["type": "hs256", "value": .array((1...32).map { .int($0) })])
        _ = try await sim.send(.POST, "/apps/shop/secretkeys/box/generate", json: ["type": "nacl_secretbox"])
        _ = try await sim.send(.POST, "/apps/shop/secretkeys/bad/generate", json: ["type": "rot13"])  // 400
        _ = try await sim.send(.GET, "/apps/shop/secretkeys")
        _ = try await sim.send(.GET, "/apps/shop/secretkeys?types=nacl_sign,hs256")
        _ = try await sim.send(.GET, "/apps/shop/secretkeys/signing")
        _ = try await sim.send(.GET, "/apps/shop/secretkeys/nope")  // 404
        let signature = try #require(try await sim.send(.POST, "/apps/shop/secretkeys/signing/sign", json: ["plaintext": message]).json["signature"])
        _ = try await sim.send(.POST, "/apps/shop/secretkeys/signing/verify", json: ["plaintext": message, "signature": signature])
        _ = try await sim.send(
            .POST, "/apps/shop/secretkeys/signing/verify", json: ["plaintext": [1, 2, 3], "signature": signature])  // 400
        let sealed = try await sim.send(
            .POST, "/apps/shop/secretkeys/box/encrypt", json: ["plaintext": message, "associated_data": [7]])
        let ciphertext = try #require(try sealed.json["ciphertext"])
        _ = try await sim.send(.POST, "/apps/shop/secretkeys/box/decrypt", json: ["ciphertext": ciphertext, "associated_data": [7]])
        _ = try await sim.send(.POST, "/apps/shop/secretkeys/box/decrypt", json: ["ciphertext": ciphertext, "associated_data": [8]])  // 400
        _ = try await sim.send(.POST, "/apps/shop/secretkeys/box/sign", json: ["plaintext": message])  // 400: wrong type
        _ = try await sim.send(.DELETE, "/apps/shop/secretkeys/hmac")
        _ = try await sim.send(.DELETE, "/apps/shop/secretkeys/hmac")  // 404

        // Certificates.
        _ = try await sim.send(.POST, "/apps/shop/certificates/acme", json: ["hostname": "www.example.com"])
        _ = try await sim.send(.POST, "/apps/shop/certificates/acme", json: ["hostname": "www.example.com"])  // 422
        _ = try await sim.send(.POST, "/apps/shop/certificates/acme", json: ["hostname": "not a hostname"])  // 422
        _ = try await sim.send(
            .POST, "/apps/shop/certificates/custom",
            json: ["hostname": "custom.example.com", "fullchain": .string(TestCertificates.valid),
                   "private_key": .string(TestCertificates.privateKey)])
        _ = try await sim.send(
            .POST, "/apps/shop/certificates/custom",
            json: ["hostname": "custom.example.com", "fullchain": "garbage", "private_key": .string(TestCertificates.privateKey)])  // 422
        _ = try await sim.send(.GET, "/apps/shop/certificates")
        _ = try await sim.send(.GET, "/apps/shop/certificates?filter=example&limit=1")
        _ = try await sim.send(.GET, "/apps/shop/certificates/www.example.com")
        _ = try await sim.send(.POST, "/apps/shop/certificates/www.example.com/check")
        _ = try await sim.send(.POST, "/apps/shop/certificates/custom.example.com/check")
        _ = try await sim.send(.GET, "/apps/shop/certificates/www.example.com")
        _ = try await sim.send(.DELETE, "/apps/shop/certificates/custom.example.com/custom")
        _ = try await sim.send(.DELETE, "/apps/shop/certificates/custom.example.com/custom")  // 404
        _ = try await sim.send(.DELETE, "/apps/shop/certificates/www.example.com/acme")
        _ = try await sim.send(.DELETE, "/apps/shop/certificates/www.example.com")
        _ = try await sim.send(.GET, "/apps/shop/certificates/www.example.com")  // 404

        // Deleting the app takes everything with it.
        _ = try await sim.send(.DELETE, "/apps/shop")
        _ = try await sim.send(.GET, "/apps/shop")  // 404
        _ = try await sim.send(.GET, "/apps/shop/volumes")  // 404
    }
}
