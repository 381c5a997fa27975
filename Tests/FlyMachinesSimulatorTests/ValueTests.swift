import FlyGateJSON
import FlyMachinesSimulator
import Testing

@Suite("Pure values")
struct ValueTests {
    @Test("RFC 3339 round-trips and parses offsets")
    func rfc3339() throws {
        let time = WallClock(milliseconds: 1_708_569_778_000)
        #expect(time.rfc3339 == "2024-02-22T02:42:58Z")
        #expect(WallClock(rfc3339: "2024-02-22T02:42:58Z") == time)
        #expect(WallClock(rfc3339: "2024-02-22T03:42:58.000+01:00") == time)
        #expect(WallClock(rfc3339: "2024-02-22") == nil)
        #expect(WallClock(milliseconds: 0).rfc3339 == "1970-01-01T00:00:00Z")
    }

    @Test("ULIDs are 26 Crockford characters that sort by time")
    func ulid() {
        let early = Identifiers.ulid(at: WallClock(milliseconds: 1_000))
        let late = Identifiers.ulid(at: WallClock(milliseconds: 2_000))
        #expect(early.count == 26 && late.count == 26)
        #expect(early < late)
        #expect(early.allSatisfy { "0123456789ABCDEFGHJKMNPQRSTVWXYZ".contains($0) })
        #expect(Identifiers.machineID().count == 14)
    }

    @Test(
        "image references split like Docker's",
        arguments: [
            ("nginx", "docker-hub-mirror.fly.io", "library/nginx", "latest"),
            ("registry.fly.io/app:deployment-01H", "registry.fly.io", "app", "deployment-01H"),
            ("localhost:5000/team/svc:v2", "localhost:5000", "team/svc", "v2"),
            ("flyio/postgres-flex:16", "docker-hub-mirror.fly.io", "flyio/postgres-flex", "16"),
        ])
    func imageReference(_ image: String, _ registry: String, _ repository: String, _ tag: String) {
        let reference = ImageReference(parsing: image)
        #expect(reference.registry == registry)
        #expect(reference.repository == repository)
        #expect(reference.tag == tag)
        #expect(ImageReference(parsing: image + "@sha256:abc").digest == "sha256:abc")
    }

    @Test("Go durations")
    func durations() {
        #expect(GoDuration.parse("10s") == .seconds(10))
        #expect(GoDuration.parse("1m30s") == .seconds(90))
        #expect(GoDuration.parse("500ms") == .milliseconds(500))
        #expect(GoDuration.parse("60") == .seconds(60))
        #expect(GoDuration.parse("soon") == nil)
        #expect(GoDuration.parse("-1") == nil)
    }

    @Test("every operation has exactly one route")
    func routes() {
        let requests: [(String, String, SimulatorOperation)] = [
            ("GET", "/v1/apps/a/machines", .list), ("POST", "/v1/apps/a/machines", .create),
            ("GET", "/v1/apps/a/machines/m", .show), ("POST", "/v1/apps/a/machines/m", .update),
            ("DELETE", "/v1/apps/a/machines/m", .delete), ("POST", "/v1/apps/a/machines/m/cordon", .cordon),
            ("POST", "/v1/apps/a/machines/m/uncordon", .uncordon), ("POST", "/v1/apps/a/machines/m/start", .start),
            ("POST", "/v1/apps/a/machines/m/stop", .stop), ("POST", "/v1/apps/a/machines/m/suspend", .suspend),
            ("POST", "/v1/apps/a/machines/m/restart", .restart), ("POST", "/v1/apps/a/machines/m/signal", .signal),
            ("GET", "/v1/apps/a/machines/m/events", .listEvents), ("POST", "/v1/apps/a/machines/m/exec", .exec),
            ("GET", "/v1/apps/a/machines/m/lease", .showLease), ("POST", "/v1/apps/a/machines/m/lease", .createLease),
            ("DELETE", "/v1/apps/a/machines/m/lease", .releaseLease), ("GET", "/v1/apps/a/machines/m/memory", .getMemory),
            ("PUT", "/v1/apps/a/machines/m/memory", .setMemoryLimit),
            ("POST", "/v1/apps/a/machines/m/memory/reclaim", .reclaimMemory),
            ("GET", "/v1/apps/a/machines/m/metadata", .showMetadata),
            ("PATCH", "/v1/apps/a/machines/m/metadata", .updateMetadata),
            ("GET", "/v1/apps/a/machines/m/metadata/k", .getMetadataKey),
            ("POST", "/v1/apps/a/machines/m/metadata/k", .upsertMetadata),
            ("DELETE", "/v1/apps/a/machines/m/metadata/k", .deleteMetadata),
            ("GET", "/v1/apps/a/machines/m/ps", .listProcesses), ("GET", "/v1/apps/a/machines/m/versions", .listVersions),
            ("GET", "/v1/apps/a/machines/m/wait", .wait), ("GET", "/v1/orgs/personal/machines", .orgList),
            ("GET", "/v1/apps", .listApps), ("POST", "/v1/apps", .createApp), ("GET", "/v1/apps/a", .showApp),
            ("DELETE", "/v1/apps/a", .deleteApp), ("GET", "/v1/apps/a/ip_assignments", .listIPAssignments),
            ("POST", "/v1/apps/a/ip_assignments", .createIPAssignment),
            ("DELETE", "/v1/apps/a/ip_assignments/2a09:8280:1::1:2", .deleteIPAssignment),
            ("GET", "/v1/apps/a/certificates", .listCertificates),
            ("POST", "/v1/apps/a/certificates/acme", .createACMECertificate),
            ("POST", "/v1/apps/a/certificates/custom", .createCustomCertificate),
            ("GET", "/v1/apps/a/certificates/www.example.com", .showCertificate),
            ("DELETE", "/v1/apps/a/certificates/www.example.com", .deleteCertificate),
            ("DELETE", "/v1/apps/a/certificates/www.example.com/acme", .deleteACMECertificate),
            ("POST", "/v1/apps/a/certificates/www.example.com/check", .checkCertificate),
            ("DELETE", "/v1/apps/a/certificates/www.example.com/custom", .deleteCustomCertificate),
            ("GET", "/v1/apps/a/secrets", .listSecrets), ("POST", "/v1/apps/a/secrets", .updateSecrets),
            ("GET", "/v1/apps/a/secrets/S", .showSecret), ("POST", "/v1/apps/a/secrets/S", .setSecret),
            ("DELETE", "/v1/apps/a/secrets/S", .deleteSecret), ("GET", "/v1/apps/a/secretkeys", .listSecretKeys),
            ("GET", "/v1/apps/a/secretkeys/k", .showSecretKey), ("POST", "/v1/apps/a/secretkeys/k", .setSecretKey),
            ("DELETE", "/v1/apps/a/secretkeys/k", .deleteSecretKey),
            ("POST", "/v1/apps/a/secretkeys/k/decrypt", .decryptWithSecretKey),
            ("POST", "/v1/apps/a/secretkeys/k/encrypt", .encryptWithSecretKey),
            ("POST", "/v1/apps/a/secretkeys/k/generate", .generateSecretKey),
            ("POST", "/v1/apps/a/secretkeys/k/sign", .signWithSecretKey),
            ("POST", "/v1/apps/a/secretkeys/k/verify", .verifyWithSecretKey),
            ("GET", "/v1/apps/a/volumes", .listVolumes), ("POST", "/v1/apps/a/volumes", .createVolume),
            ("GET", "/v1/apps/a/volumes/v", .showVolume), ("PUT", "/v1/apps/a/volumes/v", .updateVolume),
            ("DELETE", "/v1/apps/a/volumes/v", .deleteVolume), ("PUT", "/v1/apps/a/volumes/v/extend", .extendVolume),
            ("GET", "/v1/apps/a/volumes/v/snapshots", .listVolumeSnapshots),
            ("POST", "/v1/apps/a/volumes/v/snapshots", .createVolumeSnapshot),
            ("GET", "/v1/orgs/personal/volumes", .orgListVolumes), ("GET", "/v1/platform/regions", .listRegions),
            ("POST", "/v1/platform/placements", .getPlacements),
        ]
        #expect(Set(requests.map(\.2)) == Set(SimulatorOperation.allCases))
        for (method, path, operation) in requests {
            let segments = path.split(separator: "/").map(String.init)
            #expect(Route.match(method: method, segments: segments)?.operation == operation, "\(method) \(path)")
        }
        #expect(Route.match(method: "PUT", segments: ["v1", "apps", "a", "machines", "m", "metadata"])?.operation == .updateMetadata)
        #expect(Route.match(method: "PUT", segments: ["v1", "apps", "a", "machines", "m", "start"]) == nil)
        // Credential-minting operations are never served, nor are near misses of real paths.
        let unserved: [(String, String)] = [
            ("POST", "/v1/apps/a/deploy_token"), ("POST", "/v1/tokens/authenticate"), ("POST", "/v1/tokens/authorize"),
            ("GET", "/v1/tokens/current"), ("POST", "/v1/tokens/kms"), ("POST", "/v1/tokens/oidc"),
            ("PUT", "/v1/apps/a"), ("GET", "/v1/apps/a/volumes/v/extend"), ("POST", "/v1/apps/a/secretkeys/k/rotate"),
            ("GET", "/v1/apps/a/certificates/acme/check"), ("PATCH", "/v1/apps/a/secrets"), ("GET", "/v1/platform"),
            ("GET", "/v1/orgs/personal"), ("GET", "/v1/orgs/personal/apps"), ("GET", "/v2/apps"),
        ]
        for (method, path) in unserved {
            let segments = path.split(separator: "/").map(String.init)
            #expect(Route.match(method: method, segments: segments) == nil, "\(method) \(path)")
        }
        let volume = Route.match(method: "PUT", segments: ["v1", "apps", "a", "volumes", "vol_1", "extend"])
        #expect(volume?.app == "a" && volume?.resource == "vol_1" && volume?.machineID == "")
        let certificate = Route.match(method: "POST", segments: ["v1", "apps", "a", "certificates", "*.example.com", "check"])
        #expect(certificate?.resource == "*.example.com")
    }
}
