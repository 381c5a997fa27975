import FlyGateJSON
import FlyGateTestSupport
import FlyMachinesConformance
import FlyMachinesSimulator
import Foundation
import Testing

/// Fly's OpenAPI document, read from `../shared/fly-machines-openapi.json` beside the package (never copied in).
/// The suites that need it run when it is present, and always under CI, where its absence fails them.
enum OpenAPIDocument {
    static var isRequired: Bool { SharedDocuments.openAPIRequired }

    static func load() throws -> JSONValue {
        try JSONValue(parsing: Array(try SharedDocuments.openAPI()))
    }
}

@Suite("OpenAPI conformance")
struct OpenAPIConformanceTests {
    @Test(
        "every request and answer of a scenario covering every operation conforms to the document",
        .enabled(if: OpenAPIDocument.isRequired, "Fly's OpenAPI document is not at ../shared/fly-machines-openapi.json"),
        .timeLimit(.minutes(1)))
    func scenarioConforms() async throws {
        let document = try OpenAPIDocument.load()
        try await SimulatorHarness.with { configuration in
            configuration.recordExchanges = true
        } _: { sim async throws in
            try await Self.runScenario(sim)
            try await Self.runResourceScenario(sim)
            let exchanges = sim.simulator.exchanges
            let succeeded = Set(exchanges.filter { (200..<300).contains($0.status) }.map(\.operation))
            let missing = Set(SimulatorOperation.allCases).subtracting(succeeded).map(\.rawValue).sorted()
            #expect(missing.isEmpty, "operations never answered 2xx: \(missing)")
            let checker = ConformanceChecker(document: document)
            var problems: [String] = []
            for exchange in exchanges { problems += checker.check(exchange) }
            let report = "\(problems.count) problems:\n" + problems.prefix(40).joined(separator: "\n")
            #expect(problems.isEmpty, "\(report)")
            #expect(exchanges.count > 140)
        }
    }

    /// Drives every operation, in success and in the documented failure cases.
    static func runScenario(_ sim: SimulatorHarness) async throws {
        let machine = try await sim.createMachine(extra: [
            "region": "ord", "lease_ttl": 300,  // the scenario holds it throughout, however slow the machine
            "config": [
                "image": "registry.fly.io/demo:deployment-1", "env": ["A": "1"], "metadata": ["role": "web"],
                "guest": ["cpu_kind": "shared", "cpus": 1, "memory_mb": 256],
                "services": [["protocol": "tcp", "internal_port": 8080, "autostop": "stop", "autostart": true,
                              "ports": [["port": 443, "handlers": ["tls", "http"]]]]],
                "checks": ["alive": ["type": "tcp", "port": 8080, "interval": "15s", "timeout": "2s"]],
                "restart": ["policy": "on-failure"], "statics": [["guest_path": "/app/public", "url_prefix": "/static"]],
                "stop_config": ["signal": "SIGTERM", "timeout": "5s"],
            ],
        ])
        let id = try #require(machine["id"]?.stringValue)
        let nonce = try #require(machine["nonce"]?.stringValue)
        let base = "/apps/demo/machines/\(id)"
        let held = [("fly-machine-lease-nonce", nonce)]
        _ = try await sim.wait("demo", id, "started")
        _ = try await sim.send(.GET, "/apps/demo/machines")
        _ = try await sim.send(.GET, "/apps/demo/machines?summary=true&include_deleted=true")
        _ = try await sim.send(.GET, base)
        _ = try await sim.send(.GET, base + "/lease")
        _ = try await sim.send(.POST, base + "/lease", json: ["ttl": 300, "description": "scenario"], headers: held)
        _ = try await sim.send(.POST, base + "/lease", json: ["ttl": 10])  // 409
        _ = try await sim.send(.POST, base + "/cordon")  // 409
        _ = try await sim.send(.POST, base + "/cordon", headers: held)
        _ = try await sim.send(.POST, base + "/uncordon", headers: held)
        _ = try await sim.send(.POST, base + "/signal", json: ["signal": "SIGHUP"], headers: held)
        _ = try await sim.send(.POST, base + "/signal", json: ["signal": "SIGBOGUS"], headers: held)  // 400
        _ = try await sim.send(.GET, base + "/events?limit=5")
        _ = try await sim.send(.GET, base + "/versions")
        _ = try await sim.send(.POST, base + "/exec", json: ["command": ["echo", "hi"], "timeout": 5])
        _ = try await sim.send(.POST, base + "/exec", json: ["cmd": "sh -c 'exit 3'", "stdin": ""])
        _ = try await sim.send(.GET, base + "/ps?sort_by=cpu&order=desc")
        _ = try await sim.send(.GET, base + "/ps?sort_by=nope")  // 400
        _ = try await sim.send(.GET, base + "/memory")
        _ = try await sim.send(.PUT, base + "/memory", json: ["limit_mb": 200])
        _ = try await sim.send(.POST, base + "/memory/reclaim", json: ["amount_mb": 10])
        _ = try await sim.send(.GET, base + "/metadata")
        _ = try await sim.send(.GET, base + "/metadata/role")
        _ = try await sim.send(.GET, base + "/metadata/absent")  // 404
        _ = try await sim.send(.POST, base + "/metadata/team", json: ["value": "core"])
        _ = try await sim.send(.DELETE, base + "/metadata/team")
        let version = try #require(try await sim.send(.GET, base).json["instance_id"]?.stringValue)
        _ = try await sim.send(.PATCH, base + "/metadata", json: ["metadata": ["x": "1"], "machine_version": .string(version)])
        _ = try await sim.send(.PUT, base + "/metadata", json: ["metadata": ["role": "web"]])
        _ = try await sim.send(.PATCH, base + "/metadata", json: ["metadata": ["x": "2"], "machine_version": "01HQ73A7BFFDF1B6WMGHFZZ4E7"])  // 412
        _ = try await sim.send(.GET, base + "/wait?state=started&timeout=1")
        _ = try await sim.send(.GET, base + "/wait?timeout=0")  // 400
        _ = try await sim.send(.GET, base + "/wait?state=stopped&timeout=1")  // 408
        _ = try await sim.send(.POST, base + "/restart?signal=SIGTERM&timeout=10s", headers: held)
        _ = try await sim.wait("demo", id, "started")
        _ = try await sim.send(.POST, base + "/suspend", headers: held)
        _ = try await sim.wait("demo", id, "suspended")
        _ = try await sim.send(.POST, base + "/start", headers: held)
        _ = try await sim.wait("demo", id, "started")
        _ = try await sim.send(
            .POST, base, json: ["config": ["image": "registry.fly.io/demo:deployment-2"], "skip_launch": false],
            headers: held)
        _ = try await sim.wait("demo", id, "started")
        _ = try await sim.send(.DELETE, base, headers: held)  // 412: running
        _ = try await sim.send(.POST, base + "/stop", json: ["signal": "SIGINT", "timeout": "5s"], headers: held)
        _ = try await sim.wait("demo", id, "stopped")
        _ = try await sim.send(.GET, base + "/memory")  // 412: stopped
        _ = try await sim.send(.DELETE, base + "/lease")  // 400: no nonce
        _ = try await sim.send(.DELETE, base + "/lease", headers: held)
        _ = try await sim.send(.GET, base + "/lease")  // 404
        _ = try await sim.send(.GET, "/orgs/personal/machines?limit=10")
        _ = try await sim.send(.GET, "/orgs/personal/machines?summary=true")
        _ = try await sim.send(.DELETE, base)
        _ = try await sim.wait("demo", id, "destroyed")
        _ = try await sim.send(.GET, "/apps/demo/machines/ffffffffffffff")  // 404
        _ = try await sim.send(.GET, "/apps/demo/machines", authorization: "")  // 401
        let second = try await sim.createMachine(extra: ["skip_launch": true, "skip_service_registration": true])
        let secondID = try #require(second["id"]?.stringValue)
        _ = try await sim.send(.POST, "/apps/demo/machines/\(secondID)/lease?ttl=30")
        _ = try await sim.send(.POST, "/apps/demo/machines/\(secondID)/signal", json: ["signal": 9])  // 412 not started
        _ = try await sim.send(.POST, "/apps/demo/machines", json: ["config": ["env": [:]]])  // 400 no image
    }
}
